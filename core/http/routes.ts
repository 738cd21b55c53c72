import type { ObjectEntries } from 'valibot';
import { canonicalQuery, canonicalSearch, canonicalSuggest, IGNORED_PARAMETERS_TEXT } from './canonical.ts';
import { encodeCursor } from './cursor.ts';
import { ARTICLE_LIMITS, LIMITS, QUERY_LIMITS, SORT_ORDERS, SUGGEST_LIMITS } from './limits.ts';
import { NoQuery, parseArticleId, parseNoParams, parseSearchParams, parseSuggestParams, SearchQuery, SuggestQuery, type RawQuery } from './params.ts';

/**
 * The route table: every fact about a route, written once. The router's dispatch (router.ts), the
 * `Allow` header, the Cache-Control, ETag and Vary headers and the OpenAPI paths (openapi.ts) are all
 * derived from it; `test/openapi.test.ts` checks router, table and document against each other.
 */

export type Method = 'GET' | 'HEAD' | 'OPTIONS';
export type CachePolicy =
  /**
   * Browsers and CDNs keep the answer for the router's `cacheSeconds` (the index reload interval),
   * then may serve it stale while revalidating: `public, max-age=s, s-maxage=s,
   * stale-while-revalidate=s, stale-if-error=…` (cache.ts).
   */
  | 'public'
  /** `no-store`: never cached. */
  | 'no-store';
export type JsonObject = Record<string, unknown>;

export interface RouteSpec<P = unknown, I extends boolean = boolean> {
  /** OpenAPI path template. A trailing `{name}` takes the rest of the path, still percent-encoded. */
  path: string;
  /** Methods served, in the order the `Allow` header lists them. OPTIONS answers CORS preflights. */
  methods: readonly Method[];
  summary: string;
  description?: string;
  /** The query's valibot schema (params.ts): the names accepted and the rules on their values. */
  query: { readonly type: 'strict_object'; readonly entries: ObjectEntries };
  /** Validates the query and the path parameter (the rest of the path after the template's prefix); throws `BadRequestError`. */
  parse: (query: RawQuery, pathParam: string) => P;
  /**
   * The request's canonical form (canonical.ts): one string for every spelling of the same request
   * (names sorted, filter values sorted, defaults dropped; tracking names never reach `parse`). Its
   * ETag is derived from it, with the index version.
   */
  canonical: (params: P) => string;
  /** The numbers the validation enforces and the document states (from limits.ts). */
  limits: Readonly<Record<string, number>>;
  /** OpenAPI parameter objects, in documented order. */
  parameters: readonly JsonObject[];
  /** The handler reads the index: the router loads it once validation has passed (so 503 and 500 are possible). */
  usesIndex: I;
  cache: CachePolicy;
  /** Answers of 1 kB or more are compressed per Accept-Encoding (compress.ts); every answer carries `Vary: Accept-Encoding`. */
  compress: boolean;
  /** The 200 answer: its OpenAPI description, schema (a components/schemas name, or inline) and whether Cache-Control is documented. */
  response: { description: string; schema: string | JsonObject; cacheHeader: boolean };
}

/** A public, read-only API: every route serves the same methods. */
const READ_ONLY = ['GET', 'HEAD', 'OPTIONS'] as const satisfies readonly Method[];

const int = (minimum: number, maximum: number, dflt: number) => ({ type: 'integer', minimum, maximum, default: dflt });
const query = (name: string, description: string, schema: JsonObject, extra: JsonObject = {}) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
  ...extra,
});
const filter = (name: string, what: string) =>
  query(
    name,
    `${what} filter, case-insensitive; repeat the parameter (up to ${LIMITS.filterValues} times) to require several values.`,
    { type: 'array', maxItems: LIMITS.filterValues, items: { type: 'string', minLength: 1, maxLength: LIMITS.filterValueLength } },
    { style: 'form', explode: true },
  );
const date = { type: 'string', format: 'date' };

/** Keeps each route's parameter and index types, for the router's typed handlers. */
const route = <P, I extends boolean>(spec: RouteSpec<P, I>): RouteSpec<P, I> => spec;

/** Keyed by OpenAPI operationId; in the order the document lists them. */
export const ROUTES = {
  search: route({
    path: '/search',
    methods: READ_ONLY,
    summary: 'Full-text search with person, location and date filters, facets, sorting and paging.',
    description: `Unknown parameter names are rejected (400 unknown_parameter), except tracking and cache-busting ones (${IGNORED_PARAMETERS_TEXT}), which every route ignores; single-valued parameters may be given once. To walk a whole result set, follow \`nextCursor\` (search-after) instead of raising \`page\`.`,
    query: SearchQuery,
    parse: (raw) => parseSearchParams(raw),
    // The cursor re-encoded, so every spelling of one token (padding aside, there is one) keys alike.
    canonical: (p) => canonicalSearch(p, p.cursor ? encodeCursor(p.cursor.indexVersion, p, p.cursor.after) : null),
    limits: LIMITS,
    parameters: [
      query('q', `A query (README, "Query syntax"): words, all of which must occur in the title or body; \`"exact phrase"\` (adjacent, in order); \`a OR b\`; \`-word\`, \`-"phrase"\` or \`NOT word\` to exclude (a query of exclusions only means everything else); \`title:\` or \`body:\` before a word, phrase or group; \`( )\` to group; \`pre*\` for a prefix. OR, AND and NOT are operators only in capitals; NOT and - bind tightest, then OR, then AND. The last word matches as a prefix unless the query ends with a space or the word is quoted or excluded. At most ${LIMITS.qMaxLength} characters, ${QUERY_LIMITS.maxTerms} terms, ${QUERY_LIMITS.maxPrefixes} prefixes, ${QUERY_LIMITS.maxOrBranches} OR alternatives and ${QUERY_LIMITS.maxDepth} nested parentheses; a malformed query is a 400 bad_query whose message ends with the position (1-based, in characters).`, { type: 'string', maxLength: LIMITS.qMaxLength }),
      filter('person', 'Person'),
      filter('location', 'Location (any place the story mentions, with the countries of its cities and regions)'),
      filter('about', 'Location the story is about: its dateline, title or lede, or one it mentions twice'),
      query('from', 'First day, inclusive.', date),
      query('to', 'Last day, inclusive; not before `from`.', date),
      query('sort', '`relevance` is the default with `q`, `date` (newest first) without.', { type: 'string', enum: [...SORT_ORDERS] }),
      query('recency', 'Optional recency boost for `sort=relevance` (needs `q`): a half-life in days. Relevance is multiplied by 0.5 + 0.5 · 2^(−age / recency), age counted back from the newest article in the index, so a story one half-life older keeps 75% of its score and none drops below half.', { type: 'integer', minimum: 1, maximum: LIMITS.maxRecencyDays }),
      query('correct', 'Spelling correction: with `true` (the default) a query with no hit is answered for its corrected form (`corrected: true`, `didYouMean`); with `false` it is answered as written, and `didYouMean` still suggests the correction.', { type: 'string', enum: ['true', 'false'], default: 'true' }),
      query('page', 'Page, from 1.', int(1, LIMITS.maxPage, 1)),
      query('limit', 'Hits per page.', int(1, LIMITS.maxLimit, LIMITS.defaultLimit)),
      query('facetLimit', 'Values per person, location and about facet.', int(0, LIMITS.maxFacetLimit, LIMITS.defaultFacetLimit)),
      query(
        'cursor',
        `Continue after the last hit of an earlier answer: its \`nextCursor\`, passed unchanged with the same other parameters (\`limit\` and \`facetLimit\` may change), never with \`page\`. Walks every hit exactly once, in the order pages give, with no page limit. A cursor belongs to one index version: after a new one is published it is refused with 409 index_changed; start again from the first page.`,
        { type: 'string', minLength: 1, maxLength: LIMITS.cursorMaxLength, pattern: '^[A-Za-z0-9_-]+$' },
      ),
    ],
    usesIndex: true,
    cache: 'public',
    compress: true,
    response: { description: 'Results', schema: 'SearchResponse', cacheHeader: true },
  }),
  suggest: route({
    path: '/suggest',
    methods: READ_ONLY,
    summary: 'Completions for a search box: terms completing the last word, and people and places with a word starting with it.',
    query: SuggestQuery,
    parse: (raw) => parseSuggestParams(raw),
    canonical: canonicalSuggest,
    limits: SUGGEST_LIMITS,
    parameters: [
      query('q', `What has been typed so far, 1 to ${SUGGEST_LIMITS.qMaxLength} characters.`, { type: 'string', minLength: 1, maxLength: SUGGEST_LIMITS.qMaxLength }, { required: true }),
      query('limit', 'Suggestions to return.', int(1, SUGGEST_LIMITS.maxLimit, SUGGEST_LIMITS.defaultLimit)),
    ],
    usesIndex: true,
    cache: 'public',
    compress: true,
    response: { description: 'Suggestions, names first', schema: 'SuggestResponse', cacheHeader: true },
  }),
  getArticle: route({
    path: '/articles/{id}',
    methods: READ_ONLY,
    summary: 'One stored article, by id (percent-encoded; may contain `/`). No query parameters.',
    query: NoQuery,
    parse: (raw, segment) => {
      parseNoParams(raw);
      return { id: parseArticleId(segment) };
    },
    canonical: ({ id }) => canonicalQuery({ id }),
    limits: ARTICLE_LIMITS,
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: ARTICLE_LIMITS.idMaxLength } }],
    usesIndex: true,
    cache: 'public',
    compress: true,
    response: { description: 'The article', schema: 'Article', cacheHeader: true },
  }),
  health: route({
    path: '/health',
    methods: READ_ONLY,
    summary: 'The loaded index version and size. Never cached. No query parameters.',
    query: NoQuery,
    parse: (raw) => parseNoParams(raw),
    canonical: () => '',
    limits: {},
    parameters: [],
    usesIndex: true,
    cache: 'no-store',
    // About 150 bytes: never worth compressing.
    compress: false,
    response: { description: 'The index is loaded', schema: 'Health', cacheHeader: false },
  }),
  openapi: route({
    path: '/openapi.json',
    methods: READ_ONLY,
    summary: 'This document. No query parameters.',
    query: NoQuery,
    parse: (raw) => parseNoParams(raw),
    canonical: () => '',
    limits: {},
    parameters: [],
    usesIndex: false,
    cache: 'public',
    compress: true,
    response: {
      description: 'OpenAPI 3.1 description of the API',
      schema: { type: 'object', required: ['openapi', 'paths'], properties: { openapi: { type: 'string', pattern: '^3\\.1\\.' }, paths: { type: 'object' } } },
      cacheHeader: false,
    },
  }),
};

export type Routes = typeof ROUTES;
export type RouteId = keyof Routes;

/** The table's entries with their ids, in order. */
export const ROUTE_LIST = (Object.keys(ROUTES) as RouteId[]).map((id) => ({ id, ...(ROUTES[id] as RouteSpec) }));

/** Every method some route serves: what an unknown path allows (a 405 there, like on a known one). */
export const ALL_METHODS: readonly Method[] = [...new Set(ROUTE_LIST.flatMap((r) => r.methods))];

/** The template's fixed part, and whether a `{param}` takes the rest of the path. */
function templateOf(path: string): { prefix: string; param: boolean } {
  const brace = path.indexOf('{');
  if (brace === -1) return { prefix: path, param: false };
  if (!/^\{\w+\}$/.test(path.slice(brace))) throw new Error(`route ${path}: only a trailing {param} is supported`);
  return { prefix: path.slice(0, brace), param: true };
}

const MATCHERS = ROUTE_LIST.map((r) => ({ route: r, ...templateOf(r.path) }));

/**
 * The route serving a (still percent-encoded) path, and its path parameter ('' when it has none).
 * One trailing slash is ignored on routes without a path parameter (`/search/` is `/search`); in a
 * path parameter it is part of the value (article ids may end with `/`).
 */
export function matchRoute(path: string): { route: (typeof ROUTE_LIST)[number]; pathParam: string } | undefined {
  for (const m of MATCHERS) {
    if (m.param ? path.startsWith(m.prefix) : path === m.prefix || path === `${m.prefix}/`) {
      return { route: m.route, pathParam: m.param ? path.slice(m.prefix.length) : '' };
    }
  }
  return undefined;
}
