import { BadRequestError, MethodNotAllowedError, NotFoundError } from '../errors.ts';
import { search } from '../search/search.ts';
import type { SearchIndex } from '../search/search-index.ts';
import type { HealthResponse } from '../types.ts';
import { corsHeaders } from './cors.ts';
import { parseSearchParams, parseSuggestParams, rawQueryFromString, shortName } from './params.ts';
import { suggest } from '../search/suggest.ts';
import { OPENAPI_DOCUMENT } from './openapi.ts';
import { json, toErrorResponse } from './respond.ts';
import type { ApiRequest, ApiResponse } from './types.ts';

export interface RouterOptions {
  /** Resolves the current index, or throws `IndexUnavailableError`. Called once per request. */
  getIndex: () => Promise<SearchIndex>;
  corsOrigins?: readonly string[];
  /** Seconds clients and CDNs may cache successful responses. */
  cacheSeconds?: number;
}

export type Router = (req: ApiRequest) => Promise<ApiResponse>;

/**
 * The HTTP API, independent of any server: the Lambda handler and the local server both translate
 * their requests into `ApiRequest` and send back the `ApiResponse` as is.
 */
export function createRouter(opts: RouterOptions): Router {
  const origins = opts.corsOrigins ?? ['*'];
  const cache = { 'cache-control': `public, max-age=${opts.cacheSeconds ?? 60}` };

  return async (req) => {
    const route = routeOf(req.path);
    const cors = corsHeaders(origins, req.headers['origin']);
    let res: ApiResponse;
    try {
      if (req.method === 'OPTIONS') {
        res = { status: 204, headers: {}, body: '', log: { route } };
      } else if (req.method !== 'GET' && req.method !== 'HEAD') {
        throw new MethodNotAllowedError(['GET', 'OPTIONS']);
      } else {
        res = await dispatch(route, req, opts, cache);
      }
    } catch (err) {
      res = toErrorResponse(err, route);
    }
    res.headers = { ...res.headers, ...cors };
    if (req.method === 'HEAD') res.body = '';
    return res;
  };
}

function routeOf(path: string): string {
  if (path === '/openapi.json') return path;
  if (path === '/search' || path === '/health' || path === '/suggest') return path;
  if (path.startsWith('/articles/')) return '/articles/{id}';
  return 'unknown';
}

async function dispatch(route: string, req: ApiRequest, opts: RouterOptions, cache: Record<string, string>): Promise<ApiResponse> {
  switch (route) {
    case '/search': {
      const params = parseSearchParams(rawQueryFromString(req.query));
      const index = await opts.getIndex();
      const res = json(200, await search(index, params), route, cache);
      res.log.indexVersion = index.manifest.indexVersion;
      return res;
    }
    case '/suggest': {
      const { q, limit } = parseSuggestParams(rawQueryFromString(req.query));
      const index = await opts.getIndex();
      const res = json(200, suggest(index, q, limit), route, cache);
      res.log.indexVersion = index.manifest.indexVersion;
      return res;
    }
    case '/articles/{id}': {
      if (req.query) rejectAnyParameter(req.query);
      const id = decodeId(req.path.slice('/articles/'.length));
      const index = await opts.getIndex();
      const article = await index.article(id);
      if (!article) throw new NotFoundError(`No article with id ${JSON.stringify(id.slice(0, 200))}`);
      const res = json(200, article, route, cache);
      res.log.indexVersion = index.manifest.indexVersion;
      return res;
    }
    case '/health': {
      if (req.query) rejectAnyParameter(req.query);
      const index = await opts.getIndex();
      const body: HealthResponse = {
        status: 'ok',
        formatVersion: index.manifest.formatVersion,
        indexVersion: index.manifest.indexVersion,
        articleCount: index.size,
        builtAt: index.manifest.builtAt,
        loadMs: Math.round(index.loadMs * 10) / 10,
      };
      const res = json(200, body, route, { 'cache-control': 'no-store' });
      res.log.indexVersion = index.manifest.indexVersion;
      return res;
    }
    case '/openapi.json': {
      if (req.query) rejectAnyParameter(req.query);
      return json(200, OPENAPI_DOCUMENT, route, cache);
    }
    default:
      throw new NotFoundError('No such route; see /search, /suggest, /articles/{id}, /health');
  }
}

function rejectAnyParameter(query: string): void {
  const first = rawQueryFromString(query).keys().next().value;
  if (first !== undefined) throw new BadRequestError('unknown_parameter', `Unknown parameter: ${shortName(first)}`, shortName(first));
}

function decodeId(segment: string): string {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    throw new BadRequestError('invalid_parameter', 'id is not valid percent-encoding', 'id');
  }
  if (id.length === 0 || id.length > 512) throw new BadRequestError('invalid_parameter', 'id must be 1 to 512 characters', 'id');
  return id;
}
