import { IGNORED_PARAMETERS_TEXT } from './canonical.ts';
import { COMPRESS_MIN_BYTES } from './compress.ts';
import { LIMITS, SORT_ORDERS, SUGGEST_LIMITS } from './limits.ts';
import { ROUTE_LIST, type JsonObject } from './routes.ts';

/**
 * The public contract of the HTTP API as an OpenAPI 3.1 document, served at `GET /openapi.json`.
 * The paths come from the route table (routes.ts) and every limit from limits.ts, so the description
 * cannot drift from what the router serves and `params.ts` enforces; `test/openapi.test.ts` validates
 * real responses of every route and error against it.
 *
 * @example fetch('https://api.example/openapi.json').then((r) => r.json()) // this object
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` }) as const;
const errorRef = (name: ErrorResponse) => ({ $ref: `#/components/responses/${name}` }) as const;
const jsonOf = (schema: JsonObject) => ({ 'application/json': { schema } });
const CACHE_HEADER = {
  'Cache-Control': {
    schema: { type: 'string' },
    description: 'How long clients and CDNs may keep the answer (the index reload interval), and serve it stale while revalidating.',
  },
};
const ETAG_HEADER = {
  ETag: {
    required: true,
    schema: { type: 'string', pattern: '^W/"[A-Za-z0-9_-]+"$' },
    description: 'Weak validator derived from the index version and the canonical request (parameter order, repeated filter values, defaults and tracking parameters do not change it). Send it back as If-None-Match to get a 304.',
  },
};
const VARY_HEADER = { Vary: { required: true, schema: { type: 'string', pattern: 'accept-encoding' }, description: 'Always names Accept-Encoding: answers may be compressed.' } };
const IF_NONE_MATCH = {
  name: 'If-None-Match',
  in: 'header',
  required: false,
  description: 'ETags of copies the client holds (or `*`): a 304 without body when one is current.',
  schema: { type: 'string' },
};

const facetList = { type: 'array', items: ref('FacetValue') };
const stringList = { type: 'array', items: { type: 'string' } };
const date = { type: 'string', format: 'date' };
const url = { type: ['string', 'null'], format: 'uri' };

/** The error answers, written once (components/responses), by status. */
const ERROR_RESPONSES = {
  BadRequest: {
    status: 400,
    response: {
      description: 'A parameter is unknown, repeated, malformed or out of range (code unknown_parameter or invalid_parameter, with field), or q is not a well-formed query (bad_query, field q).',
      content: jsonOf(ref('Error')),
    },
  },
  NotFound: { status: 404, response: { description: 'No such article, or no such route (code not_found).', content: jsonOf(ref('Error')) } },
  MethodNotAllowed: {
    status: 405,
    response: {
      description: 'Only GET, HEAD and OPTIONS are served (code method_not_allowed).',
      headers: { Allow: { required: true, schema: { type: 'string' } } },
      content: jsonOf(ref('Error')),
    },
  },
  Conflict: {
    status: 409,
    response: {
      description: 'The cursor was issued for an index version no longer live (code index_changed, field cursor): a new version was published; start again from the first page.',
      content: jsonOf(ref('Error')),
    },
  },
  Internal: { status: 500, response: { description: 'Unexpected failure; the body never carries internals (code internal).', content: jsonOf(ref('Error')) } },
  Unavailable: {
    status: 503,
    response: {
      description: 'The index cannot be loaded or is damaged (code index_unavailable); retry later.',
      headers: { 'Retry-After': { required: true, schema: { type: 'string' } } },
      content: jsonOf(ref('Error')),
    },
  },
} as const;
type ErrorResponse = keyof typeof ERROR_RESPONSES;

/**
 * The errors a route can answer, from its facts: every route validates its query (400) and its
 * method (405); a path parameter can name nothing (404); reading the index can fail (503, 500).
 */
function errorsOf(route: (typeof ROUTE_LIST)[number]): ErrorResponse[] {
  const out: ErrorResponse[] = ['BadRequest', 'MethodNotAllowed'];
  if (route.parameters.some((p) => p['in'] === 'path')) out.push('NotFound');
  if (route.parameters.some((p) => p['name'] === 'cursor')) out.push('Conflict');
  if (route.usesIndex) out.push('Internal', 'Unavailable');
  return out;
}

function pathItem(route: (typeof ROUTE_LIST)[number]) {
  const { response } = route;
  const headers = { ...ETAG_HEADER, ...(response.cacheHeader ? CACHE_HEADER : {}), ...(route.compress ? VARY_HEADER : {}) };
  const responses: Record<string, unknown> = {
    '200': {
      description: response.description + (route.compress ? ` Compressed (br or gzip, per Accept-Encoding) from ${COMPRESS_MIN_BYTES} bytes.` : ''),
      headers,
      content: jsonOf(typeof response.schema === 'string' ? ref(response.schema) : response.schema),
    },
    '304': { $ref: '#/components/responses/NotModified' },
  };
  for (const name of errorsOf(route)) responses[String(ERROR_RESPONSES[name].status)] = errorRef(name);
  return {
    // Only GET is documented: HEAD is GET without the body, OPTIONS the CORS preflight.
    get: {
      operationId: route.id,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      parameters: [...route.parameters, IF_NONE_MATCH],
      responses,
    },
  };
}

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'news-search',
    version: '1',
    summary: 'Faceted full-text search over a news archive: public, read-only, GET only.',
    description: [
      `Tracking and cache-busting parameters (${IGNORED_PARAMETERS_TEXT}) are ignored on every route; any other unknown name is a 400 unknown_parameter.`,
      'A trailing slash is ignored (`/search/` is `/search`), and a deployment may mount the API under a base path (such as `/v1`).',
      'Successful answers carry a weak ETag derived from the index version and the canonical request; If-None-Match gets a 304.',
      `Answers of ${COMPRESS_MIN_BYTES} bytes or more are compressed with brotli or gzip, per Accept-Encoding.`,
    ].join(' '),
    license: { name: 'MIT', identifier: 'MIT' },
  },
  paths: Object.fromEntries(ROUTE_LIST.map((r) => [r.path, pathItem(r)])),
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
          sort: { type: 'string', enum: [...SORT_ORDERS] },
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
          nextCursor: {
            type: 'string',
            maxLength: LIMITS.cursorMaxLength,
            description: 'Present when more hits follow: pass it as cursor, with the same query, for the next page (no page limit).',
          },
        },
      },
      SuggestResponse: {
        type: 'object',
        additionalProperties: false,
        required: ['suggestions', 'tookMs'],
        properties: {
          suggestions: {
            type: 'array',
            maxItems: SUGGEST_LIMITS.maxLimit,
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
        required: ['status', 'formatVersion', 'indexVersion', 'articleCount', 'builtAt', 'segments', 'lastAddedAt', 'loadMs'],
        properties: {
          status: { const: 'ok' },
          formatVersion: { type: 'integer' },
          indexVersion: { type: 'string', pattern: '^[0-9a-f]+$' },
          articleCount: { type: 'integer', minimum: 0 },
          builtAt: { type: 'string', format: 'date-time' },
          segments: { type: 'integer', minimum: 0 },
          lastAddedAt: { type: ['string', 'null'], format: 'date-time' },
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
              code: { type: 'string', enum: ['unknown_parameter', 'invalid_parameter', 'bad_query', 'not_found', 'method_not_allowed', 'index_changed', 'index_unavailable', 'internal'] },
              message: { type: 'string', minLength: 1 },
              field: { type: 'string', description: 'The parameter at fault (400, and 409 for cursor).' },
            },
          },
        },
      },
    },
    responses: {
      NotModified: {
        description: 'If-None-Match named the current ETag (or was `*`): the copy the client holds is current. No body; ETag, Cache-Control and Vary as on the 200.',
        headers: ETAG_HEADER,
      },
      ...Object.fromEntries(Object.entries(ERROR_RESPONSES).map(([name, e]) => [name, e.response])),
    },
  },
} as const;
