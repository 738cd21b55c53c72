import { LIMITS } from './params.ts';

/**
 * The public contract of the HTTP API as an OpenAPI 3.1 document, served at `GET /openapi.json`.
 * Limits come from `LIMITS`, so the description cannot drift from what `params.ts` enforces;
 * `test/openapi.test.ts` validates real responses of every route and error against it.
 *
 * @example fetch('https://api.example/openapi.json').then((r) => r.json()) // this object
 */
/** `/suggest` limits, as `parseSuggestParams` enforces them (checked by test/openapi.test.ts). */
const SUGGEST = { qMaxLength: 100, maxLimit: 20, defaultLimit: 8 } as const;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` }) as const;
const errorRef = (name: string) => ({ $ref: `#/components/responses/${name}` }) as const;
const int = (minimum: number, maximum: number, dflt: number) => ({ type: 'integer', minimum, maximum, default: dflt });
const query = (name: string, description: string, schema: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
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
const jsonOf = (schema: Record<string, unknown>) => ({ 'application/json': { schema } });
const CACHE_HEADER = { 'Cache-Control': { schema: { type: 'string' }, description: 'How long clients and CDNs may cache the answer.' } };

const facetList = { type: 'array', items: ref('FacetValue') };
const stringList = { type: 'array', items: { type: 'string' } };
const date = { type: 'string', format: 'date' };
const url = { type: ['string', 'null'], format: 'uri' };

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'news-search',
    version: '1',
    summary: 'Faceted full-text search over a news archive: public, read-only, GET only.',
    license: { name: 'MIT', identifier: 'MIT' },
  },
  paths: {
    '/search': {
      get: {
        operationId: 'search',
        summary: 'Full-text search with person, location and date filters, facets, sorting and paging.',
        description: 'Unknown parameter names are rejected (400 unknown_parameter); single-valued parameters may be given once.',
        parameters: [
          query('q', `Words, all of which must occur in the title or body; the last one matches as a prefix unless the query ends with a space. At most ${LIMITS.qMaxLength} characters.`, { type: 'string', maxLength: LIMITS.qMaxLength }),
          filter('person', 'Person'),
          filter('location', 'Location (any place the story mentions, with the countries of its cities and regions)'),
          filter('about', 'Location the story is about: its dateline, title or lede, or one it mentions twice'),
          query('from', 'First day, inclusive.', date),
          query('to', 'Last day, inclusive; not before `from`.', date),
          query('sort', '`relevance` is the default with `q`, `date` (newest first) without.', { type: 'string', enum: ['relevance', 'date', 'date_asc'] }),
          query('recency', 'Optional recency boost for `sort=relevance` (needs `q`): a half-life in days. Relevance is multiplied by 0.5 + 0.5 · 2^(−age / recency), age counted back from the newest article in the index, so a story one half-life older keeps 75% of its score and none drops below half.', { type: 'integer', minimum: 1, maximum: LIMITS.maxRecencyDays }),
          query('page', 'Page, from 1.', int(1, LIMITS.maxPage, 1)),
          query('limit', 'Hits per page.', int(1, LIMITS.maxLimit, LIMITS.defaultLimit)),
          query('facetLimit', 'Values per person, location and about facet.', int(0, LIMITS.maxFacetLimit, LIMITS.defaultFacetLimit)),
        ],
        responses: {
          '200': { description: 'Results', headers: CACHE_HEADER, content: jsonOf(ref('SearchResponse')) },
          '400': errorRef('BadRequest'),
          '405': errorRef('MethodNotAllowed'),
          '500': errorRef('Internal'),
          '503': errorRef('Unavailable'),
        },
      },
    },
    '/suggest': {
      get: {
        operationId: 'suggest',
        summary: 'Completions for a search box: terms completing the last word, and people and places with a word starting with it.',
        parameters: [
          query('q', 'What has been typed so far, 1 to 100 characters.', { type: 'string', minLength: 1, maxLength: SUGGEST.qMaxLength }, { required: true }),
          query('limit', 'Suggestions to return.', int(1, SUGGEST.maxLimit, SUGGEST.defaultLimit)),
        ],
        responses: {
          '200': { description: 'Suggestions, names first', headers: CACHE_HEADER, content: jsonOf(ref('SuggestResponse')) },
          '400': errorRef('BadRequest'),
          '405': errorRef('MethodNotAllowed'),
          '500': errorRef('Internal'),
          '503': errorRef('Unavailable'),
        },
      },
    },
    '/articles/{id}': {
      get: {
        operationId: 'getArticle',
        summary: 'One stored article, by id (percent-encoded; may contain `/`). No query parameters.',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 512 } }],
        responses: {
          '200': { description: 'The article', headers: CACHE_HEADER, content: jsonOf(ref('Article')) },
          '400': errorRef('BadRequest'),
          '404': errorRef('NotFound'),
          '405': errorRef('MethodNotAllowed'),
          '500': errorRef('Internal'),
          '503': errorRef('Unavailable'),
        },
      },
    },
    '/health': {
      get: {
        operationId: 'health',
        summary: 'The loaded index version and size. Never cached. No query parameters.',
        responses: {
          '200': { description: 'The index is loaded', content: jsonOf(ref('Health')) },
          '400': errorRef('BadRequest'),
          '405': errorRef('MethodNotAllowed'),
          '500': errorRef('Internal'),
          '503': errorRef('Unavailable'),
        },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'openapi',
        summary: 'This document. No query parameters.',
        responses: {
          '200': { description: 'OpenAPI 3.1 description of the API', content: jsonOf({ type: 'object', required: ['openapi', 'paths'], properties: { openapi: { type: 'string', pattern: '^3\\.1\\.' }, paths: { type: 'object' } } }) },
          '400': errorRef('BadRequest'),
          '405': errorRef('MethodNotAllowed'),
        },
      },
    },
  },
  components: {
    schemas: {
      FacetValue: {
        type: 'object',
        additionalProperties: false,
        required: ['value', 'count'],
        properties: { value: { type: 'string' }, count: { type: 'integer', minimum: 1 } },
      },
      Hit: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'title', 'date', 'url', 'people', 'locations', 'about', 'score', 'snippet'],
        properties: {
          id: { type: 'string' },
          title: { type: 'string' },
          date,
          url,
          people: stringList,
          locations: stringList,
          about: { ...stringList, description: 'The subset of `locations` the story is about.' },
          score: { type: 'number', description: 'Higher is better; comparable within one response only; 0 without `q`.' },
          snippet: { type: 'string', description: 'HTML-escaped body excerpt with matches wrapped in <mark>.' },
        },
      },
      SearchResponse: {
        type: 'object',
        additionalProperties: false,
        required: ['total', 'page', 'limit', 'sort', 'hits', 'facets', 'tookMs'],
        properties: {
          total: { type: 'integer', minimum: 0, description: 'Matches over the whole filtered set, not the page.' },
          page: { type: 'integer', minimum: 1, maximum: LIMITS.maxPage },
          limit: { type: 'integer', minimum: 1, maximum: LIMITS.maxLimit },
          sort: { type: 'string', enum: ['relevance', 'date', 'date_asc'] },
          hits: { type: 'array', maxItems: LIMITS.maxLimit, items: ref('Hit') },
          facets: {
            type: 'object',
            additionalProperties: false,
            required: ['person', 'location', 'about', 'date'],
            properties: {
              person: { ...facetList, maxItems: LIMITS.maxFacetLimit },
              location: { ...facetList, maxItems: LIMITS.maxFacetLimit },
              about: { ...facetList, maxItems: LIMITS.maxFacetLimit },
              date: { ...facetList, description: 'Months (YYYY-MM), ascending.' },
            },
          },
          tookMs: { type: 'number', minimum: 0 },
          didYouMean: { type: 'string', description: 'A corrected query when words of q are unknown.' },
          corrected: { type: 'boolean', description: 'True when these results are for didYouMean instead of q.' },
        },
      },
      SuggestResponse: {
        type: 'object',
        additionalProperties: false,
        required: ['suggestions', 'tookMs'],
        properties: {
          suggestions: {
            type: 'array',
            maxItems: SUGGEST.maxLimit,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['value', 'kind', 'count'],
              properties: {
                value: { type: 'string', description: 'The completed query, or a person or place to filter by.' },
                kind: { type: 'string', enum: ['term', 'person', 'location'] },
                count: { type: 'integer', minimum: 0, description: 'Articles in the whole archive.' },
              },
            },
          },
          tookMs: { type: 'number', minimum: 0 },
        },
      },
      Article: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'date', 'title', 'body', 'url', 'people', 'locations', 'about'],
        properties: { id: { type: 'string' }, date, title: { type: 'string' }, body: { type: 'string' }, url, people: stringList, locations: stringList, about: stringList },
      },
      Health: {
        type: 'object',
        additionalProperties: false,
        required: ['status', 'formatVersion', 'indexVersion', 'articleCount', 'builtAt', 'loadMs'],
        properties: {
          status: { const: 'ok' },
          formatVersion: { type: 'integer' },
          indexVersion: { type: 'string', pattern: '^[0-9a-f]+$' },
          articleCount: { type: 'integer', minimum: 0 },
          builtAt: { type: 'string', format: 'date-time' },
          loadMs: { type: 'number', minimum: 0 },
        },
      },
      Error: {
        type: 'object',
        additionalProperties: false,
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            additionalProperties: false,
            required: ['code', 'message'],
            properties: {
              code: { type: 'string', enum: ['unknown_parameter', 'invalid_parameter', 'not_found', 'method_not_allowed', 'index_unavailable', 'internal'] },
              message: { type: 'string', minLength: 1 },
              field: { type: 'string', description: 'The parameter at fault (400 only).' },
            },
          },
        },
      },
    },
    responses: {
      BadRequest: { description: 'A parameter is unknown, repeated, malformed or out of range (code unknown_parameter or invalid_parameter, with field).', content: jsonOf(ref('Error')) },
      NotFound: { description: 'No such article, or no such route (code not_found).', content: jsonOf(ref('Error')) },
      MethodNotAllowed: {
        description: 'Only GET, HEAD and OPTIONS are served (code method_not_allowed).',
        headers: { Allow: { required: true, schema: { type: 'string' } } },
        content: jsonOf(ref('Error')),
      },
      Internal: { description: 'Unexpected failure; the body never carries internals (code internal).', content: jsonOf(ref('Error')) },
      Unavailable: {
        description: 'The index cannot be loaded or is damaged (code index_unavailable); retry later.',
        headers: { 'Retry-After': { required: true, schema: { type: 'string' } } },
        content: jsonOf(ref('Error')),
      },
    },
  },
} as const;
