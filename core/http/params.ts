import * as v from 'valibot';
import { BadRequestError } from '../errors.ts';
import { parseIsoDate } from '../dates.ts';
import type { SearchParams } from '../types.ts';
import { defaultSort, isIgnoredParameter } from './canonical.ts';
import { decodeCursor } from './cursor.ts';
import { ARTICLE_LIMITS, LIMITS, SORT_ORDERS, SUGGEST_LIMITS } from './limits.ts';

/** The limits live in limits.ts (dependency-free, so the widget can import them); re-exported here. */
export { LIMITS, SUGGEST_LIMITS } from './limits.ts';

/** Parameter names are echoed in errors: cap them so an error body stays small whatever is sent. */
export function shortName(name: string): string {
  return name.length > 100 ? `${name.slice(0, 100)}…` : name;
}

const REPEATABLE = new Set(['person', 'location', 'about']);

const intInRange = (name: string, min: number, max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d{1,9}$/, `${name} must be a whole number from ${min} to ${max}`),
    v.transform(Number),
    v.minValue(min, `${name} must be a whole number from ${min} to ${max}`),
    v.maxValue(max, `${name} must be a whole number from ${min} to ${max}`),
  );

const isoDate = (name: string) =>
  v.pipe(
    v.string(),
    v.check((s) => parseIsoDate(s) !== null, `${name} must be a real calendar date in YYYY-MM-DD form`),
  );

const filterValues = (name: string) =>
  v.pipe(
    v.array(
      v.pipe(
        v.string(),
        v.trim(),
        v.nonEmpty(`${name} must not be empty`),
        v.maxLength(LIMITS.filterValueLength, `${name} must be at most ${LIMITS.filterValueLength} characters`),
      ),
    ),
    v.maxLength(LIMITS.filterValues, `${name} may be given at most ${LIMITS.filterValues} times`),
  );

/** `/search` query parameters: names, value rules and messages. `parseSearchParams` adds the cross-field rules. */
export const SearchQuery = v.strictObject({
  q: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.qMaxLength, `q must be at most ${LIMITS.qMaxLength} characters`))),
  person: v.optional(filterValues('person')),
  location: v.optional(filterValues('location')),
  about: v.optional(filterValues('about')),
  from: v.optional(isoDate('from')),
  to: v.optional(isoDate('to')),
  sort: v.optional(v.picklist(SORT_ORDERS, `sort must be one of ${SORT_ORDERS.join(', ')}`)),
  recency: v.optional(intInRange('recency', 1, LIMITS.maxRecencyDays)),
  correct: v.optional(v.picklist(['true', 'false'], 'correct must be true or false')),
  page: v.optional(intInRange('page', 1, LIMITS.maxPage)),
  limit: v.optional(intInRange('limit', 1, LIMITS.maxLimit)),
  facetLimit: v.optional(intInRange('facetLimit', 0, LIMITS.maxFacetLimit)),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.cursorMaxLength, `cursor must be at most ${LIMITS.cursorMaxLength} characters`))),
});

/** Query parameters as they arrive: every name with all its values, in order. */
export type RawQuery = Map<string, string[]>;

/** The parameters of a query string, without the tracking and cache-busting ones every route ignores (canonical.ts). */
export function rawQueryFromString(queryString: string): RawQuery {
  const out: RawQuery = new Map();
  for (const [k, val] of new URLSearchParams(queryString)) {
    if (isIgnoredParameter(k)) continue;
    const list = out.get(k);
    if (list) list.push(val);
    else out.set(k, [val]);
  }
  return out;
}

/**
 * Validates `/search` parameters. Unknown names, repeated single-valued names and bad values are all
 * a `BadRequestError` naming the field, so a typo like `?lmit=5` is never silently ignored.
 */
export function parseSearchParams(raw: RawQuery): SearchParams {
  const input = schemaInput(raw, REPEATABLE);
  const result = v.safeParse(SearchQuery, input);
  if (!result.success) throw toBadRequest(result.issues[0]);
  const p = result.output;
  // Not trimmed: a trailing space means the last word is complete (exact, not a prefix).
  const q = (p.q ?? '').trim() === '' ? '' : (p.q as string).trimStart();
  if (p.from && p.to && p.from > p.to) {
    throw new BadRequestError('invalid_parameter', 'from must not be after to', 'from');
  }
  const sort = p.sort ?? defaultSort(q);
  // The boost re-weights relevance: with a date order or no text to score it would silently do nothing.
  if (p.recency !== undefined && (sort !== 'relevance' || !q)) {
    throw new BadRequestError('invalid_parameter', 'recency needs a text query q and sort=relevance', 'recency');
  }
  // A cursor says where to start; a page number would say it too, differently.
  if (p.cursor !== undefined && p.page !== undefined) {
    throw new BadRequestError('invalid_parameter', 'cursor and page cannot be combined: a cursor continues after the last hit of the answer that returned it', 'cursor');
  }
  const params: SearchParams = {
    q,
    person: dedupe(p.person ?? []),
    location: dedupe(p.location ?? []),
    about: dedupe(p.about ?? []),
    from: p.from ?? null,
    to: p.to ?? null,
    sort,
    recency: p.recency ?? null,
    page: p.page ?? 1,
    limit: p.limit ?? LIMITS.defaultLimit,
    facetLimit: p.facetLimit ?? LIMITS.defaultFacetLimit,
    cursor: null,
  };
  if (p.correct === 'false') params.correct = false;
  if (p.cursor !== undefined) params.cursor = decodeCursor(p.cursor, params);
  return params;
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}

function toBadRequest(issue: v.BaseIssue<unknown>): BadRequestError {
  const field = issue.path?.map((p) => String(p.key)).find((k) => !/^\d+$/.test(k));
  if (issue.type === 'strict_object' && field) {
    return new BadRequestError('unknown_parameter', `Unknown parameter: ${shortName(field)}`, shortName(field));
  }
  const message = issue.message.startsWith('Invalid') ? `${field ?? 'parameter'} is invalid` : issue.message;
  return new BadRequestError('invalid_parameter', message, field);
}

/** `/suggest` query parameters. */
export const SuggestQuery = v.strictObject({
  q: v.pipe(
    v.string('q is required'),
    v.minLength(1, 'q is required'),
    v.maxLength(SUGGEST_LIMITS.qMaxLength, `q must be at most ${SUGGEST_LIMITS.qMaxLength} characters`),
  ),
  limit: v.optional(intInRange('limit', 1, SUGGEST_LIMITS.maxLimit)),
});

/** Validates `/suggest` parameters: `q` (required) and `limit`, within `SUGGEST_LIMITS`. */
export function parseSuggestParams(raw: RawQuery): { q: string; limit: number } {
  const result = v.safeParse(SuggestQuery, schemaInput(raw, new Set()));
  if (!result.success) throw toBadRequest(result.issues[0]);
  return { q: result.output.q, limit: result.output.limit ?? SUGGEST_LIMITS.defaultLimit };
}

/** The query of a route that takes no parameters: every name is unknown. */
export const NoQuery = v.strictObject({});

/** Validates the query of a route without parameters: the first name given is a 400 unknown_parameter. */
export function parseNoParams(raw: RawQuery): Record<string, never> {
  const first = raw.keys().next().value;
  if (first !== undefined) throw new BadRequestError('unknown_parameter', `Unknown parameter: ${shortName(first)}`, shortName(first));
  return {};
}

/** Decodes the `{id}` path segment of `/articles/{id}` (percent-encoded, may contain `/`). */
export function parseArticleId(segment: string): string {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    throw new BadRequestError('invalid_parameter', 'id is not valid percent-encoding', 'id');
  }
  const max = ARTICLE_LIMITS.idMaxLength;
  if (id.length === 0 || id.length > max) throw new BadRequestError('invalid_parameter', `id must be 1 to ${max} characters`, 'id');
  return id;
}

/**
 * Raw parameters as the schema's input: repeatable names keep every value, the others must be given
 * once. Built on a null-prototype object, so `__proto__` is just another unknown name.
 */
function schemaInput(raw: RawQuery, repeatable: ReadonlySet<string>): Record<string, string | string[]> {
  const input = Object.create(null) as Record<string, string | string[]>;
  for (const [name, values] of raw) {
    if (repeatable.has(name)) input[name] = values;
    else if (values.length > 1) throw new BadRequestError('invalid_parameter', `${shortName(name)} may be given only once`, shortName(name));
    else input[name] = values[0] as string;
  }
  return input;
}
