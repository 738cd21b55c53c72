import type { ObjectEntries } from 'valibot';
import { ARTICLE_LIMITS, LIMITS, SORT_ORDERS, SUGGEST_LIMITS } from './limits.ts';
import { NoQuery, parseArticleId, parseNoParams, parseSearchParams, parseSuggestParams, SearchQuery, SuggestQuery, type RawQuery } from './params.ts';

/**
 * The route table: every fact about a route, written once. The router's dispatch (router.ts), the
 * `Allow` header, the Cache-Control header and the OpenAPI paths (openapi.ts) are all derived from it;
 * `test/openapi.test.ts` checks router, table and document against each other.
 */

export type Method = 'GET' | 'HEAD' | 'OPTIONS';
export type CachePolicy =
  /** `public, max-age=<cacheSeconds>` (the router's option, 60 s by default). */
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
  /** The numbers the validation enforces and the document states (from limits.ts). */
  limits: Readonly<Record<string, number>>;
  /** OpenAPI parameter objects, in documented order. */
  parameters: readonly JsonObject[];
  /** The handler reads the index: the router loads it once validation has passed (so 503 and 500 are possible). */
  usesIndex: I;
  cache: CachePolicy;
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
    description: 'Unknown parameter names are rejected (400 unknown_parameter); single-valued parameters may be given once.',
    query: SearchQuery,
    parse: (raw) => parseSearchParams(raw),
    limits: LIMITS,
    parameters: [
      query('q', `Words, all of which must occur in the title or body; the last one matches as a prefix unless the query ends with a space. At most ${LIMITS.qMaxLength} characters.`, { type: 'string', maxLength: LIMITS.qMaxLength }),
      filter('person', 'Person'),
      filter('location', 'Location (any place the story mentions, with the countries of its cities and regions)'),
      filter('about', 'Location the story is about: its dateline, title or lede, or one it mentions twice'),
      query('from', 'First day, inclusive.', date),
      query('to', 'Last day, inclusive; not before `from`.', date),
      query('sort', '`relevance` is the default with `q`, `date` (newest first) without.', { type: 'string', enum: [...SORT_ORDERS] }),
      query('recency', 'Optional recency boost for `sort=relevance` (needs `q`): a half-life in days. Relevance is multiplied by 0.5 + 0.5 · 2^(−age / recency), age counted back from the newest article in the index, so a story one half-life older keeps 75% of its score and none drops below half.', { type: 'integer', minimum: 1, maximum: LIMITS.maxRecencyDays }),
      query('page', 'Page, from 1.', int(1, LIMITS.maxPage, 1)),
      query('limit', 'Hits per page.', int(1, LIMITS.maxLimit, LIMITS.defaultLimit)),
      query('facetLimit', 'Values per person, location and about facet.', int(0, LIMITS.maxFacetLimit, LIMITS.defaultFacetLimit)),
    ],
    usesIndex: true,
    cache: 'public',
    response: { description: 'Results', schema: 'SearchResponse', cacheHeader: true },
  }),
  suggest: route({
    path: '/suggest',
    methods: READ_ONLY,
    summary: 'Completions for a search box: terms completing the last word, and people and places with a word starting with it.',
    query: SuggestQuery,
    parse: (raw) => parseSuggestParams(raw),
    limits: SUGGEST_LIMITS,
    parameters: [
      query('q', `What has been typed so far, 1 to ${SUGGEST_LIMITS.qMaxLength} characters.`, { type: 'string', minLength: 1, maxLength: SUGGEST_LIMITS.qMaxLength }, { required: true }),
      query('limit', 'Suggestions to return.', int(1, SUGGEST_LIMITS.maxLimit, SUGGEST_LIMITS.defaultLimit)),
    ],
    usesIndex: true,
    cache: 'public',
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
    limits: ARTICLE_LIMITS,
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: ARTICLE_LIMITS.idMaxLength } }],
    usesIndex: true,
    cache: 'public',
    response: { description: 'The article', schema: 'Article', cacheHeader: true },
  }),
  health: route({
    path: '/health',
    methods: READ_ONLY,
    summary: 'The loaded index version and size. Never cached. No query parameters.',
    query: NoQuery,
    parse: (raw) => parseNoParams(raw),
    limits: {},
    parameters: [],
    usesIndex: true,
    cache: 'no-store',
    response: { description: 'The index is loaded', schema: 'Health', cacheHeader: false },
  }),
  openapi: route({
    path: '/openapi.json',
    methods: READ_ONLY,
    summary: 'This document. No query parameters.',
    query: NoQuery,
    parse: (raw) => parseNoParams(raw),
    limits: {},
    parameters: [],
    usesIndex: false,
    cache: 'public',
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

/** The route serving a (still percent-encoded) path, and its path parameter ('' when it has none). */
export function matchRoute(path: string): { route: (typeof ROUTE_LIST)[number]; pathParam: string } | undefined {
  for (const m of MATCHERS) {
    if (m.param ? path.startsWith(m.prefix) : path === m.prefix) return { route: m.route, pathParam: m.param ? path.slice(m.prefix.length) : '' };
  }
  return undefined;
}
