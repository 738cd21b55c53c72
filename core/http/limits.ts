/**
 * The numbers and enums of the public API, written once. Everything that states a limit or lists
 * the sort orders reads them from here: the validators (params.ts), the route table and OpenAPI
 * document (routes.ts, openapi.ts), the CLI and the browser widget.
 *
 * Imports nothing, on purpose: the widget bundles this module (eslint.config.js enforces it).
 */

/** Result orders of `/search`; the first is the default with a text query, `date` the one without. */
export const SORT_ORDERS = ['relevance', 'date', 'date_asc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export function isSortOrder(s: string): s is SortOrder {
  return (SORT_ORDERS as readonly string[]).includes(s);
}

/** Limits of `/search`. Documented in README and the OpenAPI description. */
export const LIMITS = {
  qMaxLength: 500,
  filterValues: 10,
  filterValueLength: 200,
  maxLimit: 100,
  defaultLimit: 10,
  maxPage: 1000,
  maxFacetLimit: 100,
  defaultFacetLimit: 10,
  /** Recency half-life in days: up to a century. */
  maxRecencyDays: 36_500,
  /** Longest `cursor` accepted: a token is about 130 characters (index version, sort, last key, query hash). */
  cursorMaxLength: 256,
} as const;

/** Limits of `/suggest`. */
export const SUGGEST_LIMITS = {
  qMaxLength: 100,
  maxLimit: 20,
  defaultLimit: 8,
} as const;

/** Limits of `/articles/{id}`: the decoded id's length. */
export const ARTICLE_LIMITS = {
  idMaxLength: 512,
} as const;

/**
 * Limits of the query language in `/search`'s `q` (core/search/query/parse.ts). Documented in README
 * ("Query syntax") and the OpenAPI description; exceeding one is a 400 `bad_query` naming the position.
 */
export const QUERY_LIMITS = {
  /** Terms in the whole query, negated and quoted ones included (a word the analyzer splits counts each part). */
  maxTerms: 32,
  /** Prefix terms (`term*`, and the last word while typing); each expands to at most 128 vocabulary terms. */
  maxPrefixes: 8,
  /** Alternatives joined by OR, summed over the query: `(a OR b) (c OR d)` has 4. */
  maxOrBranches: 16,
  /** Parentheses nested inside each other. */
  maxDepth: 8,
} as const;
