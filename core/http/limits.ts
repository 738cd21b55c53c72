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
