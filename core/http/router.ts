import { MethodNotAllowedError, NotFoundError } from '../errors.ts';
import { search } from '../search/search.ts';
import type { SearchIndex } from '../search/search-index.ts';
import type { HealthResponse } from '../types.ts';
import { corsHeaders } from './cors.ts';
import { rawQueryFromString } from './params.ts';
import { suggest } from '../search/suggest.ts';
import { OPENAPI_DOCUMENT } from './openapi.ts';
import { json, toErrorResponse } from './respond.ts';
import { ALL_METHODS, matchRoute, type CachePolicy, type Method, type RouteId, type Routes, type RouteSpec } from './routes.ts';
import type { ApiRequest, ApiResponse } from './types.ts';

export interface RouterOptions {
  /** Resolves the current index, or throws `IndexUnavailableError`. Called once per request. */
  getIndex: () => Promise<SearchIndex>;
  corsOrigins?: readonly string[];
  /** Seconds clients and CDNs may cache successful responses. */
  cacheSeconds?: number;
}

export type Router = (req: ApiRequest) => Promise<ApiResponse>;

/** What a route's handler gets: its validated parameters, and the index if the route reads it. */
type Handler<S> =
  S extends RouteSpec<infer P, infer I> ? (params: P, index: I extends true ? SearchIndex : undefined) => unknown : never;

/** One handler per route of the table (the type requires exactly those), returning the 200 body. */
const HANDLERS: { [K in RouteId]: Handler<Routes[K]> } = {
  search: (params, index) => search(index, params),
  suggest: ({ q, limit }, index) => suggest(index, q, limit),
  getArticle: async ({ id }, index) => {
    const article = await index.article(id);
    if (!article) throw new NotFoundError(`No article with id ${JSON.stringify(id.slice(0, 200))}`);
    return article;
  },
  health: (_params, index): HealthResponse => ({
    status: 'ok',
    formatVersion: index.manifest.formatVersion,
    indexVersion: index.manifest.indexVersion,
    articleCount: index.size,
    builtAt: index.manifest.builtAt,
    loadMs: Math.round(index.loadMs * 10) / 10,
  }),
  openapi: () => OPENAPI_DOCUMENT,
};

/**
 * The HTTP API, independent of any server: the Lambda handler and the local server both translate
 * their requests into `ApiRequest` and send back the `ApiResponse` as is. Routes, their methods,
 * parameters and cache policy come from the route table (routes.ts).
 */
export function createRouter(opts: RouterOptions): Router {
  const origins = opts.corsOrigins ?? ['*'];
  const cacheControl: Record<CachePolicy, string> = { public: `public, max-age=${opts.cacheSeconds ?? 60}`, 'no-store': 'no-store' };

  return async (req) => {
    const match = matchRoute(req.path);
    const route = match?.route.path ?? 'unknown';
    const cors = corsHeaders(origins, req.headers['origin']);
    // An unknown path allows what every route does, so a wrong method is a 405 wherever it is sent.
    const allowed = match?.route.methods ?? ALL_METHODS;
    let res: ApiResponse;
    try {
      if (!allowed.includes(req.method as Method)) {
        throw new MethodNotAllowedError([...allowed]);
      } else if (req.method === 'OPTIONS') {
        res = { status: 204, headers: {}, body: '', log: { route } };
      } else if (!match) {
        throw new NotFoundError('No such route; see /search, /suggest, /articles/{id}, /health');
      } else {
        res = await dispatch(match.route, match.pathParam, req, opts, cacheControl);
      }
    } catch (err) {
      res = toErrorResponse(err, route);
    }
    res.headers = { ...res.headers, ...cors };
    if (req.method === 'HEAD') res.body = '';
    return res;
  };
}

/** Validates the request, loads the index if the route reads it, and answers 200 with the handler's body. */
async function dispatch(
  spec: RouteSpec & { id: RouteId },
  pathParam: string,
  req: ApiRequest,
  opts: RouterOptions,
  cacheControl: Record<CachePolicy, string>,
): Promise<ApiResponse> {
  const params = spec.parse(rawQueryFromString(req.query), pathParam);
  const index = spec.usesIndex ? await opts.getIndex() : undefined;
  const handler = HANDLERS[spec.id] as (params: unknown, index: SearchIndex | undefined) => unknown;
  const res = json(200, await handler(params, index), spec.path, { 'cache-control': cacheControl[spec.cache] });
  if (index) res.log.indexVersion = index.manifest.indexVersion;
  return res;
}
