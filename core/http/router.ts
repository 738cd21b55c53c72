import { IndexChangedError, MethodNotAllowedError, NotFoundError } from '../errors.ts';
import { nextAfter, search } from '../search/search.ts';
import type { SearchIndex } from '../search/search-index.ts';
import type { HealthResponse } from '../types.ts';
import { cacheControl, contentVersion, entityTag, ifNoneMatch, mergeVary } from './cache.ts';
import { compress, COMPRESS_MIN_BYTES, negotiateEncoding } from './compress.ts';
import { corsHeaders } from './cors.ts';
import { encodeCursor } from './cursor.ts';
import { rawQueryFromString } from './params.ts';
import { suggest } from '../search/suggest.ts';
import { OPENAPI_DOCUMENT } from './openapi.ts';
import { json, notModified, toErrorResponse } from './respond.ts';
import { ALL_METHODS, matchRoute, type CachePolicy, type Method, type RouteId, type Routes, type RouteSpec } from './routes.ts';
import type { ApiRequest, ApiResponse } from './types.ts';

export interface RouterOptions {
  /** Resolves the current index, or throws `IndexUnavailableError`. Called once per request. */
  getIndex: () => Promise<SearchIndex>;
  corsOrigins?: readonly string[];
  /**
   * Seconds clients and CDNs may keep successful responses, and then serve them stale while
   * revalidating: the index reload interval (`INDEX_RELOAD_SECONDS` on Lambda). Default 60.
   */
  cacheSeconds?: number;
  /**
   * A prefix the API is mounted under, e.g. `/v1` when a custom domain maps it there (`BASE_PATH`
   * on Lambda). It is stripped before routing; paths without it are served too, so the default
   * endpoint keeps working. Default: none.
   */
  basePath?: string;
}

export type Router = (req: ApiRequest) => Promise<ApiResponse>;

/** What a route's handler gets: its validated parameters, and the index if the route reads it. */
type Handler<S> =
  S extends RouteSpec<infer P, infer I> ? (params: P, index: I extends true ? SearchIndex : undefined) => unknown : never;

/** One handler per route of the table (the type requires exactly those), returning the 200 body. */
const HANDLERS: { [K in RouteId]: Handler<Routes[K]> } = {
  search: async (params, index) => {
    const live = index.manifest.indexVersion;
    // The cursor's sort key is a position in its own index version; in another it means nothing.
    if (params.cursor && params.cursor.indexVersion !== live) {
      throw new IndexChangedError('The index was updated since this cursor was issued; start again from the first page, without cursor');
    }
    const res = await search(index, params);
    const next = nextAfter(res);
    return next ? { ...res, nextCursor: encodeCursor(live, params, next) } : res;
  },
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
    segments: index.manifest.segments.length,
    lastAddedAt: index.manifest.segments.map((s) => s.addedAt).sort().pop() ?? null,
    loadMs: Math.round(index.loadMs * 10) / 10,
  }),
  openapi: () => OPENAPI_DOCUMENT,
};

/**
 * The served API description's hash: the version of the routes that read no index, and mixed into
 * every ETag, so a deploy that changes the API changes every tag.
 */
const DOCUMENT_VERSION = contentVersion(OPENAPI_DOCUMENT);

/** A base path as given (`/v1`, `/v1/`, `api/news`) in the form routing compares: `/v1`, or '' for none. */
export function normalizeBasePath(raw: string | undefined): string {
  const trimmed = (raw ?? '').trim().replace(/\/+$/, '');
  if (trimmed === '') return '';
  const path = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
  const segments = path.slice(1).split('/');
  if (segments.some((s) => !/^[A-Za-z0-9._~-]+$/.test(s) || /^\.+$/.test(s))) {
    throw new Error(`base path ${JSON.stringify(raw)} must look like /v1 or /api/news: segments of letters, digits and . _ ~ -`);
  }
  return path;
}

function withoutBasePath(path: string, base: string): string {
  if (base === '' || !(path === base || path.startsWith(`${base}/`))) return path;
  return path.slice(base.length) || '/';
}

/**
 * The HTTP API, independent of any server: the Lambda handler and the local server both translate
 * their requests into `ApiRequest` and send back the `ApiResponse` as is. Routes, their methods,
 * parameters, cache policy and compression come from the route table (routes.ts).
 *
 * Every 200 carries a weak ETag derived from the index version and the canonical request, and
 * If-None-Match gets a 304 (cache.ts); answers of 1 kB or more are compressed per Accept-Encoding
 * (compress.ts), as bytes with a `content-encoding` header, which adapters send base64-encoded.
 */
export function createRouter(opts: RouterOptions): Router {
  const origins = opts.corsOrigins ?? ['*'];
  const seconds = opts.cacheSeconds ?? 60;
  const base = normalizeBasePath(opts.basePath);
  const policies: Record<CachePolicy, string> = { public: cacheControl('public', seconds), 'no-store': cacheControl('no-store', seconds) };

  return async (req) => {
    const match = matchRoute(withoutBasePath(req.path, base));
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
        res = await dispatch(match.route, match.pathParam, req, opts, policies);
      }
    } catch (err) {
      res = toErrorResponse(err, route);
    }
    const vary = mergeVary(match?.route.compress ? 'accept-encoding' : undefined, res.headers['vary'], cors['vary']);
    res.headers = { ...res.headers, ...cors };
    if (vary) res.headers['vary'] = vary;
    if (match?.route.compress) encode(res, req);
    if (req.method === 'HEAD') res.body = '';
    return res;
  };
}

/**
 * Validates the request, loads the index if the route reads it, and answers 200 with the handler's
 * body, or 304 when If-None-Match names the current ETag (without running the handler).
 */
async function dispatch(
  spec: RouteSpec & { id: RouteId },
  pathParam: string,
  req: ApiRequest,
  opts: RouterOptions,
  policies: Record<CachePolicy, string>,
): Promise<ApiResponse> {
  const params = spec.parse(rawQueryFromString(req.query), pathParam);
  const index = spec.usesIndex ? await opts.getIndex() : undefined;
  const etag = entityTag(DOCUMENT_VERSION, index?.manifest.indexVersion ?? DOCUMENT_VERSION, spec.path, spec.canonical(params));
  const headers = { 'cache-control': policies[spec.cache], etag };
  const condition = ifNoneMatch(req.headers['if-none-match'], etag);
  let res: ApiResponse;
  if (condition === 'match') {
    res = notModified(spec.path, headers);
  } else {
    const handler = HANDLERS[spec.id] as (params: unknown, index: SearchIndex | undefined) => unknown;
    const body = await handler(params, index);
    // `*` matches any current representation: there is one, now that the handler answered.
    res = condition === 'any' ? notModified(spec.path, headers) : json(200, body, spec.path, headers);
  }
  if (index) res.log.indexVersion = index.manifest.indexVersion;
  return res;
}

/**
 * Compresses the body per Accept-Encoding when it is large enough. A HEAD answer gets the header
 * GET would, with nothing to compress.
 */
function encode(res: ApiResponse, req: ApiRequest): void {
  if (typeof res.body !== 'string' || res.status === 204 || res.status === 304) return;
  const bytes = new TextEncoder().encode(res.body);
  if (bytes.byteLength < COMPRESS_MIN_BYTES) return;
  const coding = negotiateEncoding(req.headers['accept-encoding']);
  if (coding === 'identity') return;
  res.headers['content-encoding'] = coding;
  if (req.method !== 'HEAD') res.body = compress(bytes, coding);
}
