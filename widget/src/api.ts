/**
 * Talks to the search API. Every failure becomes a `SearchFailure` whose message is written for the
 * reader of the page, never a raw stack or status line, so the widget can always show something useful.
 */
import { SUGGEST_LIMITS } from '../../core/http/limits.ts';
import type { FacetValue, SearchHit, Suggestion, WidgetResponse } from './types.ts';

export type FailureKind = 'network' | 'timeout' | 'http' | 'format' | 'config';

export class SearchFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SearchFailure';
  }
}

export interface FetchOptions {
  signal: AbortSignal;
  timeoutMs: number;
}

/** Runs one search. Rejects with an `AbortError` when `signal` aborts (callers ignore those). */
export async function fetchSearch(endpoint: string, query: URLSearchParams, opts: FetchOptions): Promise<WidgetResponse> {
  if (!endpoint) throw new SearchFailure('config', 'This search box is not set up yet: its endpoint attribute is missing.');
  let url: URL;
  try {
    url = new URL(endpoint, document.baseURI);
  } catch {
    throw new SearchFailure('config', 'This search box is not set up correctly: its endpoint is not a valid URL.');
  }
  query.forEach((v, k) => url.searchParams.append(k, v));

  // Our own controller so a timeout and the caller's abort both cancel the request,
  // without AbortSignal.any (too new for the browsers we target).
  const ctl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctl.abort();
  }, opts.timeoutMs);
  const onAbort = () => ctl.abort();
  opts.signal.addEventListener('abort', onAbort);
  try {
    let res: Response;
    try {
      res = await fetch(url.href, { signal: ctl.signal, headers: { accept: 'application/json' } });
    } catch (err) {
      if (opts.signal.aborted) throw err;
      if (timedOut) throw new SearchFailure('timeout', 'The search service is taking too long to answer. Please try again.');
      throw new SearchFailure('network', 'Could not reach the search service. Check your connection and try again.');
    }
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) throw httpFailure(res.status, body);
    const parsed = normalizeResponse(body);
    if (!parsed) throw new SearchFailure('format', 'The search service sent a response this page cannot read.');
    return parsed;
  } finally {
    clearTimeout(timer);
    opts.signal.removeEventListener('abort', onAbort);
  }
}

function httpFailure(status: number, body: unknown): SearchFailure {
  const detail = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
  // 4xx messages explain what was wrong with the request; 5xx ones say nothing useful to a reader.
  if (status < 500) {
    const why = typeof detail === 'string' && detail ? detail : 'the request was not accepted';
    return new SearchFailure('http', `This search could not be run (error ${status}): ${why}.`.replace(/\.\.$/, '.'), status);
  }
  return new SearchFailure('http', `The search service is having trouble right now (error ${status}). Please try again in a moment.`, status);
}

const str = (x: unknown): string => (typeof x === 'string' ? x : x == null ? '' : String(x));
const num = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const facetList = (x: unknown): FacetValue[] =>
  list(x).map((f) => ({ value: str((f as FacetValue).value), count: num((f as FacetValue).count) }));

/**
 * Checks the outer shape and coerces every field the renderer touches to its declared type, so a
 * surprising payload degrades to blanks instead of breaking the page.
 */
export function normalizeResponse(body: unknown): WidgetResponse | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  if (typeof b.total !== 'number' || !Array.isArray(b.hits)) return null;
  const facets = (typeof b.facets === 'object' && b.facets) || {};
  const f = facets as Record<string, unknown>;
  const hits: SearchHit[] = b.hits.map((raw) => {
    const h = (raw ?? {}) as Record<string, unknown>;
    return {
      id: str(h.id),
      title: str(h.title),
      date: str(h.date),
      url: typeof h.url === 'string' ? h.url : null,
      people: list(h.people).map(str),
      locations: list(h.locations).map(str),
      about: list(h.about).map(str),
      score: num(h.score),
      snippet: str(h.snippet),
    };
  });
  const out: WidgetResponse = {
    total: num(b.total),
    page: num(b.page) || 1,
    limit: num(b.limit) || hits.length || 10,
    sort: str(b.sort) as WidgetResponse['sort'],
    hits,
    facets: { person: facetList(f.person), location: facetList(f.location), about: facetList(f.about), date: facetList(f.date) },
    tookMs: num(b.tookMs),
  };
  // Trimmed: the API marks a completed last word with a trailing space ("lisbon ").
  if (typeof b.didYouMean === 'string' && b.didYouMean.trim()) {
    out.didYouMean = b.didYouMean.trim();
    if (b.corrected === true) out.corrected = true;
  }
  return out;
}


const KINDS: readonly string[] = ['term', 'person', 'location'];

/**
 * Completions for what is typed (`GET /suggest`). A failure only means no completions, so anything
 * but an abort resolves to an empty list; an abort rejects (callers ignore it).
 */
export async function fetchSuggestions(endpoint: URL, q: string, signal: AbortSignal): Promise<Suggestion[]> {
  if (q.length > SUGGEST_LIMITS.qMaxLength) return [];
  const url = new URL(endpoint.href);
  url.searchParams.set('q', q);
  let body: unknown;
  try {
    const res = await fetch(url.href, { signal, headers: { accept: 'application/json' } });
    body = res.ok ? await res.json() : null;
  } catch (err) {
    if (signal.aborted) throw err;
    return [];
  }
  return list((body as { suggestions?: unknown } | null)?.suggestions)
    .map((raw) => {
      const s = (raw ?? {}) as Record<string, unknown>;
      return { value: str(s.value).trim(), kind: str(s.kind) as Suggestion['kind'], count: num(s.count) };
    })
    .filter((s) => s.value && KINDS.includes(s.kind));
}
