/**
 * URL <-> state. The widget shares the page URL with its host, so it only reads and writes its own
 * (prefixed) keys and leaves every other parameter alone. Values are validated here, at the boundary,
 * so a hand-edited link can never make the widget send a malformed request.
 */
import { isSortOrder, LIMITS } from '../../core/http/limits.ts';
import { EMPTY_STATE, type SearchState } from './types.ts';

export type UrlMode = 'query' | 'hash' | 'off';

export interface UrlOptions {
  mode: UrlMode;
  /** Prepended to every key, so two widgets (or a host's own `?page=`) do not collide. */
  prefix: string;
}

const KEYS = ['q', 'person', 'location', 'about', 'from', 'to', 'sort', 'page', 'correct'] as const;
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function isIsoDate(s: string): boolean {
  return ISO_DATE.test(s);
}

function paramsOf(url: URL, mode: UrlMode): URLSearchParams {
  return new URLSearchParams(mode === 'hash' ? url.hash.slice(1) : url.search);
}

function cleanList(values: string[]): string[] {
  const out = [...new Set(values.map((v) => v.trim()).filter(Boolean))];
  return out.slice(0, LIMITS.filterValues);
}

export function readState(url: URL, opts: UrlOptions): SearchState {
  if (opts.mode === 'off') return { ...EMPTY_STATE };
  const p = paramsOf(url, opts.mode);
  const get = (k: string) => p.get(opts.prefix + k) ?? '';
  const from = get('from');
  const to = get('to');
  const sort = get('sort');
  const page = Number(get('page'));
  return {
    q: get('q'),
    person: cleanList(p.getAll(opts.prefix + 'person')),
    location: cleanList(p.getAll(opts.prefix + 'location')),
    about: cleanList(p.getAll(opts.prefix + 'about')),
    from: isIsoDate(from) ? from : '',
    to: isIsoDate(to) ? to : '',
    sort: isSortOrder(sort) ? sort : '',
    page: Number.isInteger(page) && page >= 1 && page <= LIMITS.maxPage ? page : 1,
    correct: get('correct') !== 'false',
  };
}

/** Only the non-default parts of the state, as `[key, value]` pairs in a stable order. */
function entries(state: SearchState): [string, string][] {
  const out: [string, string][] = [];
  if (state.q.trim()) out.push(['q', state.q.trim()]);
  for (const v of state.person) out.push(['person', v]);
  for (const v of state.location) out.push(['location', v]);
  for (const v of state.about) out.push(['about', v]);
  if (state.from) out.push(['from', state.from]);
  if (state.to) out.push(['to', state.to]);
  if (state.sort) out.push(['sort', state.sort]);
  if (state.page > 1) out.push(['page', String(state.page)]);
  if (!state.correct && state.q.trim()) out.push(['correct', 'false']);
  return out;
}

/** A copy of `url` carrying `state`; keys that are not ours are kept as they were. */
export function writeState(url: URL, state: SearchState, opts: UrlOptions): URL {
  const next = new URL(url.href);
  if (opts.mode === 'off') return next;
  const p = paramsOf(next, opts.mode);
  for (const k of KEYS) p.delete(opts.prefix + k);
  for (const [k, v] of entries(state)) p.append(opts.prefix + k, v);
  const s = p.toString();
  if (opts.mode === 'hash') next.hash = s;
  else next.search = s;
  return next;
}

export interface RequestOptions {
  limit: number | null;
  facetLimit: number | null;
  /** Recency half-life in days for relevance order, or null for none. */
  recency: number | null;
}

/** The API query for a state. Empty values are omitted: the API rejects unknown or blank parameters. */
export function toApiQuery(state: SearchState, opts: RequestOptions): URLSearchParams {
  const p = new URLSearchParams(entries(state));
  if (opts.limit !== null) p.set('limit', String(opts.limit));
  if (opts.facetLimit !== null) p.set('facetLimit', String(opts.facetLimit));
  // The boost applies to relevance order, which the API uses for a text query unless a date order is chosen.
  if (opts.recency !== null && state.q.trim() && (state.sort === '' || state.sort === 'relevance')) p.set('recency', String(opts.recency));
  return p;
}

/** A stable string for comparing states (same string = same search). */
export function stateKey(state: SearchState): string {
  return new URLSearchParams(entries(state)).toString();
}
