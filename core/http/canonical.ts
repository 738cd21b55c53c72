import type { SearchParams } from '../types.ts';
import { LIMITS, SUGGEST_LIMITS } from './limits.ts';

/**
 * Canonical requests: one spelling per meaning. Equivalent URLs (parameters in another order, filter
 * values repeated or reordered, defaults spelled out, tracking tags added) have one canonical query,
 * and ETags (cache.ts) and cursors (cursor.ts) are derived from it, never from the raw string.
 */

/**
 * Names every route ignores, dropped before validation: analytics tags a shared link picks up
 * (`utm_*`, `fbclid`, `gclid`) and the cache buster some HTTP clients append (`_=<timestamp>`).
 * Any other unknown name is still a 400, so a typo like `lmit=5` is never silently ignored.
 */
export const IGNORED_PARAMETERS = { names: ['_', 'fbclid', 'gclid'], prefixes: ['utm_'] } as const;

export function isIgnoredParameter(name: string): boolean {
  return (IGNORED_PARAMETERS.names as readonly string[]).includes(name) || IGNORED_PARAMETERS.prefixes.some((p) => name.startsWith(p));
}

/** How `IGNORED_PARAMETERS` reads in the API description. */
export const IGNORED_PARAMETERS_TEXT = `${IGNORED_PARAMETERS.prefixes.map((p) => `\`${p}*\``).join(', ')}, ${IGNORED_PARAMETERS.names.map((n) => `\`${n}\``).join(', ')}`;

type Value = string | number | null | undefined | readonly string[];

/**
 * `name=value` pairs percent-encoded, sorted by name; a list gives one pair per value, sorted by
 * UTF-16 code units (filters are all required, so their order means nothing). Null, undefined and
 * empty lists are left out: callers pass null for a default.
 */
export function canonicalQuery(fields: Readonly<Record<string, Value>>): string {
  const pairs: string[] = [];
  for (const name of Object.keys(fields).sort()) {
    const value = fields[name];
    if (value === null || value === undefined) continue;
    const values = typeof value === 'string' || typeof value === 'number' ? [String(value)] : [...value].sort();
    for (const v of values) pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(v)}`);
  }
  return pairs.join('&');
}

/** The sort `/search` uses when none is given. */
export function defaultSort(q: string): SearchParams['sort'] {
  return q ? 'relevance' : 'date';
}

/**
 * What selects and orders the hits of `/search` (not which page, how many, or facet sizes): a
 * cursor is bound to it, so it can only continue the query it came from.
 */
export function searchIdentity(p: SearchParams): string {
  return canonicalQuery(identityFields(p));
}

function identityFields(p: SearchParams): Record<string, Value> {
  return {
    q: p.q === '' ? null : p.q,
    person: p.person,
    location: p.location,
    about: p.about,
    from: p.from,
    to: p.to,
    sort: p.sort === defaultSort(p.q) ? null : p.sort,
    recency: p.recency,
    correct: p.correct === false ? 'false' : null,
  };
}

/** The canonical query of a `/search` request; `cursor` is the token re-encoded (cursor.ts). */
export function canonicalSearch(p: SearchParams, cursor: string | null): string {
  return canonicalQuery({
    ...identityFields(p),
    page: p.page === 1 ? null : p.page,
    limit: p.limit === LIMITS.defaultLimit ? null : p.limit,
    facetLimit: p.facetLimit === LIMITS.defaultFacetLimit ? null : p.facetLimit,
    cursor,
  });
}

export function canonicalSuggest(p: { q: string; limit: number }): string {
  return canonicalQuery({ q: p.q, limit: p.limit === SUGGEST_LIMITS.defaultLimit ? null : p.limit });
}
