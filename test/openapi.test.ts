import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { IndexUnavailableError } from '../core/errors.ts';
import { cacheControl } from '../core/http/cache.ts';
import { LIMITS, SORT_ORDERS } from '../core/http/limits.ts';
import { OPENAPI_DOCUMENT } from '../core/http/openapi.ts';
import { createRouter, type Router } from '../core/http/router.ts';
import { ROUTE_LIST, ROUTES, type RouteId } from '../core/http/routes.ts';
import type { ApiResponse } from '../core/http/types.ts';
import { article, memoryIndex } from './helpers/memory-index.ts';
import { bodyText } from './helpers/body.ts';

/**
 * The contract: real responses of every route and every error, validated against the OpenAPI 3.1
 * document the API serves at /openapi.json (JSON Schema 2020-12, with formats). Every documented
 * (path, status) pair must be exercised here, and every response seen must be documented.
 */
type Json = Record<string, unknown>;
const doc = OPENAPI_DOCUMENT as unknown as Json & { paths: Record<string, Record<string, Json>>; components: { responses: Record<string, Json>; schemas: Json } };
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
// The whole document under one id, so component $refs resolve as they do in the document; its
// top-level OpenAPI fields are annotations to JSON Schema, not keywords to apply.
for (const keyword of ['openapi', 'info', 'paths', 'components']) ajv.addKeyword(keyword);
ajv.addSchema(OPENAPI_DOCUMENT, 'openapi.json');

/** `#/a/b` inside the document. */
function at(pointer: string): Json {
  let node: unknown = doc;
  for (const part of pointer.replace(/^#\//, '').split('/')) node = (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  if (node === undefined) throw new Error(`dangling $ref ${pointer}`);
  return node as Json;
}
const deref = (node: Json): Json => (typeof node['$ref'] === 'string' ? deref(at(node['$ref'])) : node);

const exercised = new Set<string>();

/** Validates one response against the document: status documented, headers present, body valid. */
function conforms(path: string | null, res: ApiResponse): void {
  const op = path ? doc.paths[path]?.['get'] : undefined;
  const spec = path === null ? deref({ $ref: '#/components/responses/NotFound' }) : (op?.['responses'] as Json | undefined)?.[String(res.status)];
  const what = `${path ?? 'unknown route'} ${res.status} ${bodyText(res).slice(0, 200)}`;
  expect(spec, `undocumented: ${what}`).toBeDefined();
  exercised.add(`${path} ${res.status}`);
  const response = deref(spec as Json);
  for (const [name, h] of Object.entries((response['headers'] ?? {}) as Record<string, Json>)) {
    const value = res.headers[name.toLowerCase()];
    if (h['required']) expect(value, `${name} header: ${what}`).toBeTruthy();
    const pattern = (h['schema'] as Json | undefined)?.['pattern'];
    if (value !== undefined && typeof pattern === 'string') expect(value, `${name} header: ${what}`).toMatch(new RegExp(pattern));
  }
  if (res.status === 304) {
    expect(response['content'], what).toBeUndefined();
    expect(res.body, what).toBe('');
    return;
  }
  const content = (response['content'] as Record<string, { schema: Json }>)['application/json'];
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const schema = content?.schema as Json;
  const validate = ajv.compile(typeof schema['$ref'] === 'string' ? { $ref: `openapi.json${schema['$ref']}` } : schema);
  const ok = validate(JSON.parse(bodyText(res)));
  expect(ok, `${what}\n${ajv.errorsText(validate.errors)}`).toBe(true);
}

const get = (path: string, query = '') => ({ method: 'GET', path, query, headers: {} });
let router: Router;
let down: Router;
let broken: Router;

beforeAll(async () => {
  const { index } = await memoryIndex([
    article({ id: 'a/1 x', date: '2024-02-01', title: 'Harbour reopens', body: 'The harbour in Lisbon reopened. Helena Duarte spoke.', url: 'https://news.example.org/a1', people: ['Helena Duarte'], locations: ['Lisbon', 'Portugal'] }),
    article({ id: 'b2', date: '2024-03-01', title: 'Rain in Osaka', body: 'Rain in Osaka closed the harbour.', locations: ['Osaka', 'Japan'] }),
    article({ id: 'c3', date: '2023-11-30', title: 'Tram line', body: 'Lisbon tram line approved by the council.', people: ['Helena Duarte'], locations: ['Lisbon'] }),
  ]);
  router = createRouter({ getIndex: async () => index });
  down = createRouter({ getIndex: async () => Promise.reject(new IndexUnavailableError('no index has been published (current.json is missing or not readable)')) });
  broken = createRouter({ getIndex: async () => Promise.reject(new Error('boom at /work/main/secret.ts:1')) });
});

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 whose every $ref resolves, served as is at /openapi.json', async () => {
    expect(doc['openapi']).toMatch(/^3\.1\.\d+$/);
    const refs: string[] = [];
    JSON.stringify(doc, (k, v: unknown) => (k === '$ref' && typeof v === 'string' ? (refs.push(v), v) : v));
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs) expect(() => at(r), r).not.toThrow();
    for (const name of Object.keys(doc.components.schemas)) {
      expect(() => ajv.getSchema(`openapi.json#/components/schemas/${name}`), name).not.toThrow();
    }
    // The schemas bite: wrong shapes fail.
    const check = (name: string, value: unknown) => ajv.validate({ $ref: `openapi.json#/components/schemas/${name}` }, value);
    expect(check('Error', { error: { code: 'not_found', message: 'x' } })).toBe(true);
    expect(check('Error', { error: { code: 'teapot', message: 'x' } })).toBe(false);
    expect(check('Error', { error: { code: 'internal', message: 'x', stack: 'at x' } })).toBe(false);
    expect(check('Hit', { id: 'a', title: 't', date: '2024-13-01', url: null, people: [], locations: [], score: 0, snippet: '' })).toBe(false);
    expect(check('Article', { id: 'a', date: '2024-01-01', title: 't', body: 'b', url: 'not a uri', people: [], locations: [] })).toBe(false);
    const res = await router(get('/openapi.json'));
    expect(res.status).toBe(200);
    expect(JSON.parse(bodyText(res))).toEqual(JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)));
    conforms('/openapi.json', res);
  });

  it('lists exactly the routes serverless.yml sends to the function', () => {
    const yml = parse(readFileSync(new URL('../serverless.yml', import.meta.url), 'utf8')) as { functions: Record<string, { events: Array<{ httpApi?: string }> }> };
    const routes = Object.values(yml.functions)
      .flatMap((f) => f.events.map((e) => e.httpApi))
      .filter((r): r is string => typeof r === 'string');
    // GET, or ANY so that preflights reach the function (which answers other methods 405 itself).
    for (const r of routes) expect(r).toMatch(/^(GET|ANY) \//);
    expect(routes.map((r) => r.replace(/^\S+ /, '')).sort()).toEqual(Object.keys(doc.paths).sort());
  });
});

describe('real responses conform to the document', () => {
  it('/search 200 in its variants', async () => {
    for (const q of ['', 'q=harbour', 'q=lis', 'q=harbour&person=Helena%20Duarte&location=Lisbon&location=Portugal', 'sort=date_asc&from=2024-01-01&to=2024-12-31', 'q=nothingmatches', `page=${LIMITS.maxPage}&limit=${LIMITS.maxLimit}&facetLimit=0`, 'q=harbuor']) {
      const res = await router(get('/search', q));
      expect(res.status, q).toBe(200);
      conforms('/search', res);
    }
  });

  it('/suggest 200 and 400', async () => {
    for (const q of ['q=har', 'q=helena%20d&limit=20', 'q=lisbon%20', 'q=zzzz', 'q=%21%21']) {
      const res = await router(get('/suggest', q));
      expect(res.status, q).toBe(200);
      conforms('/suggest', res);
    }
    for (const q of ['', 'q=', 'q=a&q=b', 'q=a&limit=21', 'q=a&x=1']) {
      const res = await router(get('/suggest', q));
      expect(res.status, q).toBe(400);
      conforms('/suggest', res);
    }
  });

  it('/articles/{id} 200, 404 and 400', async () => {
    const ok = await router(get('/articles/a%2F1%20x'));
    expect(ok.status).toBe(200);
    conforms('/articles/{id}', ok);
    const missing = await router(get('/articles/nope'));
    expect(missing.status).toBe(404);
    conforms('/articles/{id}', missing);
    for (const [path, query] of [['/articles/%E0%A4%A', ''], ['/articles/b2', 'x=1']] as const) {
      const res = await router(get(path, query));
      expect(res.status).toBe(400);
      conforms('/articles/{id}', res);
    }
  });

  it('/health 200 and 400', async () => {
    conforms('/health', await router(get('/health')));
    const bad = await router(get('/health', 'verbose=1'));
    expect(bad.status).toBe(400);
    conforms('/health', bad);
    const badDoc = await router(get('/openapi.json', 'x'));
    expect(badDoc.status).toBe(400);
    conforms('/openapi.json', badDoc);
  });

  it('400s for /search: unknown, repeated, malformed and out-of-range parameters', async () => {
    for (const q of ['lmit=5', '__proto__=1', 'limit=0', 'limit=5&limit=6', 'from=2021-02-30', 'from=2024-02-01&to=2024-01-01', 'sort=newest', `q=${'a'.repeat(LIMITS.qMaxLength + 1)}`]) {
      const res = await router(get('/search', q));
      expect(res.status, q).toBe(400);
      conforms('/search', res);
    }
  });

  it('405 with Allow on every route, and 404 for unknown routes', async () => {
    for (const path of Object.keys(doc.paths)) {
      const res = await router({ method: 'POST', path: path.replace('{id}', 'b2'), query: '', headers: {} });
      expect(res.status).toBe(405);
      conforms(path, res);
    }
    for (const path of ['/', '/nope', '/search//', '/SEARCH']) {
      const res = await router(get(path));
      expect(res.status).toBe(404);
      conforms(null, res);
    }
  });

  it('503 with Retry-After while the index is unavailable, 500 without internals on a bug', async () => {
    for (const path of ['/search', '/suggest', '/articles/{id}', '/health']) {
      const query = path === '/suggest' ? 'q=har' : '';
      const res = await down(get(path.replace('{id}', 'b2'), query));
      expect(res.status).toBe(503);
      conforms(path, res);
      const bug = await broken(get(path.replace('{id}', 'b2'), query));
      expect(bug.status).toBe(500);
      expect(bug.body).toBe('{"error":{"code":"internal","message":"Internal error"}}');
      conforms(path, bug);
    }
  });

  it('304 on every path when If-None-Match names the ETag, 409 for a cursor of another index version', async () => {
    for (const path of Object.keys(doc.paths)) {
      const req = get(path.replace('{id}', 'b2'), path === '/suggest' ? 'q=har' : '');
      const ok = await router(req);
      expect(ok.status, path).toBe(200);
      conforms(path, ok);
      const res = await router({ ...req, headers: { 'if-none-match': ok.headers['etag'] } });
      expect(res.status, path).toBe(304);
      conforms(path, res);
    }
    const first = JSON.parse(bodyText(await router(get('/search', 'limit=1')))) as { nextCursor: string };
    const { index } = await memoryIndex([article({ id: 'other' }), article({ id: 'other2' })]);
    const republished = createRouter({ getIndex: async () => index });
    const res = await republished(get('/search', `limit=1&cursor=${first.nextCursor}`));
    expect(res.status).toBe(409);
    conforms('/search', res);
  });

  it('exercised every documented status of every path', () => {
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops['get']?.['responses'] as Json).map((s) => `${p} ${s}`));
    expect(documented.filter((d) => !exercised.has(d))).toEqual([]);
  });
});

describe('documented limits are the enforced limits', () => {
  it.each(['/search', '/suggest'])('%s accepts each bound and rejects one past it', async (path) => {
    const params = (doc.paths[path]?.['get']?.['parameters'] ?? []) as Array<{ name: string; required: boolean; schema: Json }>;
    const base = params.filter((p) => p.required).map((p) => `${p.name}=a`);
    const status = async (...pairs: string[]) => {
      const names = new Set(pairs.map((p) => p.split('=')[0]));
      return (await router(get(path, [...base.filter((b) => !names.has(b.split('=')[0])), ...pairs].join('&')))).status;
    };
    // Parameters documented as needing another one (recency re-weights the relevance of a text query).
    const needs: Record<string, string[]> = { recency: ['q=oil'] };
    let checked = 0;
    for (const p of params) {
      if (p.schema['type'] === 'integer') {
        const [lo, hi] = [p.schema['minimum'] as number, p.schema['maximum'] as number];
        const w = needs[p.name] ?? [];
        expect([await status(...w, `${p.name}=${lo}`), await status(...w, `${p.name}=${hi}`)], p.name).toEqual([200, 200]);
        expect([await status(...w, `${p.name}=${lo - 1}`), await status(...w, `${p.name}=${hi + 1}`)], p.name).toEqual([400, 400]);
        checked++;
      }
      if (typeof p.schema['maxLength'] === 'number') {
        const max = p.schema['maxLength'];
        if (p.name === 'cursor') {
          // No made-up token is valid: at the limit it fails as malformed, past it as too long.
          const message = async (value: string) => JSON.parse(bodyText(await router(get(path, `cursor=${value}`)))).error.message as string;
          expect(await message('a'.repeat(max)), p.name).toMatch(/malformed/);
          expect(await message('a'.repeat(max + 1)), p.name).toMatch(new RegExp(`at most ${max}`));
        } else {
          expect([await status(`${p.name}=${'a'.repeat(max)}`), await status(`${p.name}=${'a'.repeat(max + 1)}`)], p.name).toEqual([200, 400]);
        }
        checked++;
      }
      if (p.schema['minLength'] === 1) {
        expect(await status(`${p.name}=`), p.name).toBe(400);
        checked++;
      }
      if (typeof p.schema['maxItems'] === 'number') {
        const items = p.schema['items'] as Json;
        const n = p.schema['maxItems'];
        const many = (k: number, len = 5) => Array.from({ length: k }, (_, i) => `${p.name}=${String(i).padStart(len, 'x')}`);
        expect([await status(...many(n)), await status(...many(n + 1))], p.name).toEqual([200, 400]);
        const longest = items['maxLength'] as number;
        expect([await status(...many(1, longest)), await status(...many(1, longest + 1))], p.name).toEqual([200, 400]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(path === '/search' ? 6 : 3);
  });
});

describe('the route table, the router and the document agree', () => {
  type Param = { name: string; in: string; required: boolean; schema: Json };
  const operation = (path: string) => doc.paths[path]?.['get'] as Json & { parameters?: Param[]; operationId: string };
  /** A concrete request for a route: its path parameter filled in, its required parameters given. */
  const concrete = (route: (typeof ROUTE_LIST)[number]) => ({
    path: route.path.replace('{id}', 'b2'),
    query: (operation(route.path).parameters ?? []).filter((p) => p.in === 'query' && p.required).map((p) => `${p.name}=har`).join('&'),
  });

  it('documents every route of the table, and nothing else, as one GET operation named by its id', () => {
    expect(Object.keys(doc.paths)).toEqual(ROUTE_LIST.map((r) => r.path));
    for (const r of ROUTE_LIST) {
      expect(Object.keys(doc.paths[r.path] ?? {}), r.path).toEqual(['get']);
      expect(r.methods, r.path).toContain('GET');
      expect(operation(r.path).operationId).toBe(r.id);
      expect(operation(r.path).summary).toBe(r.summary);
    }
  });

  it('documents exactly the query names each route\'s valibot schema accepts', () => {
    for (const r of ROUTE_LIST) {
      const documented = (operation(r.path).parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      expect(documented, r.path).toEqual(Object.keys(r.query.entries));
      const inPath = (operation(r.path).parameters ?? []).filter((p) => p.in === 'path').map((p) => `{${p.name}}`);
      expect(inPath, r.path).toEqual(r.path.match(/\{\w+\}/g) ?? []);
    }
  });

  it('serves every route of the table with its methods, Allow header and cache policy', async () => {
    const cached = createRouter({ getIndex: async () => (await memoryIndex([article({ id: 'b2', title: 'Harbour' })])).index, cacheSeconds: 42 });
    for (const r of ROUTE_LIST) {
      const { path, query } = concrete(r);
      const res = await cached(get(path, query));
      expect([res.status, res.log.route], r.path).toEqual([200, r.path]);
      expect(res.log.indexVersion !== undefined, `${r.path} reads the index`).toBe(r.usesIndex);
      expect(res.headers['cache-control'], r.path).toBe(cacheControl(r.cache, 42));
      if (r.cache === 'public') expect(res.headers['cache-control'], r.path).toBe('public, max-age=42, s-maxage=42, stale-while-revalidate=42, stale-if-error=86400');
      expect(res.headers['etag'], r.path).toMatch(/^W\/"[\w-]{22}"$/);
      expect(res.headers['vary']?.includes('accept-encoding') ?? false, r.path).toBe(r.compress);
      const head = await cached({ ...get(path, query), method: 'HEAD' });
      expect([head.status, head.body, head.headers['cache-control']], r.path).toEqual([r.methods.includes('HEAD') ? 200 : 405, '', res.headers['cache-control']]);
      const options = await cached({ ...get(path, query), method: 'OPTIONS' });
      expect(options.status, r.path).toBe(r.methods.includes('OPTIONS') ? 204 : 405);
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
        const res = await cached({ ...get(path, query), method });
        expect([res.status, res.headers['allow']], `${method} ${r.path}`).toEqual([405, r.methods.join(', ')]);
      }
    }
  });

  it('serves nothing outside the table, but ignores one trailing slash', async () => {
    const near = ROUTE_LIST.flatMap((r) => {
      const fixed = r.path.replace(/\{\w+\}$/, '');
      return fixed === r.path ? [`${r.path}//`, r.path.toUpperCase(), `${r.path}x`, r.path.slice(0, -1)] : [fixed.slice(0, -1), fixed.toUpperCase()];
    });
    for (const path of ['/', '', ...near]) {
      const res = await router(get(path));
      expect([res.status, res.log.route], path).toEqual([404, 'unknown']);
    }
    for (const r of ROUTE_LIST.filter((x) => !x.path.includes('{'))) {
      const { path, query } = concrete(r);
      const res = await router(get(`${path}/`, query));
      expect([res.status, res.log.route], `${path}/`).toEqual([200, r.path]);
    }
  });

  it('states the table\'s limits, and the one list of sort orders', () => {
    const checked = new Map<RouteId, Set<string>>(ROUTE_LIST.map((r) => [r.id, new Set()]));
    /** `actual` must be the table's limit `key` of route `id`; records that the limit is documented. */
    const limit = (id: RouteId, key: string, actual: unknown) => {
      expect(actual, `${id} ${key}`).toBe((ROUTES[id].limits as Record<string, number>)[key]);
      checked.get(id)?.add(key);
    };
    const schema = (path: string, name: string) => (operation(path).parameters ?? []).find((p) => p.name === name)?.schema as Json & { items: Json };
    const component = (name: string) => (doc.components.schemas[name] as Json)['properties'] as Record<string, Json & { properties: Record<string, Json> }>;

    limit('search', 'qMaxLength', schema('/search', 'q')['maxLength']);
    for (const name of ['person', 'location', 'about']) {
      limit('search', 'filterValues', schema('/search', name)['maxItems']);
      limit('search', 'filterValueLength', schema('/search', name).items['maxLength']);
    }
    limit('search', 'maxRecencyDays', schema('/search', 'recency')['maximum']);
    limit('search', 'maxPage', schema('/search', 'page')['maximum']);
    limit('search', 'maxLimit', schema('/search', 'limit')['maximum']);
    limit('search', 'defaultLimit', schema('/search', 'limit')['default']);
    limit('search', 'maxFacetLimit', schema('/search', 'facetLimit')['maximum']);
    limit('search', 'defaultFacetLimit', schema('/search', 'facetLimit')['default']);
    limit('search', 'cursorMaxLength', schema('/search', 'cursor')['maxLength']);
    const results = component('SearchResponse');
    limit('search', 'maxPage', results['page']?.['maximum']);
    limit('search', 'maxLimit', results['limit']?.['maximum']);
    limit('search', 'maxLimit', results['hits']?.['maxItems']);
    for (const facet of ['person', 'location', 'about']) limit('search', 'maxFacetLimit', results['facets']?.properties[facet]?.['maxItems']);
    limit('search', 'cursorMaxLength', results['nextCursor']?.['maxLength']);

    limit('suggest', 'qMaxLength', schema('/suggest', 'q')['maxLength']);
    limit('suggest', 'maxLimit', schema('/suggest', 'limit')['maximum']);
    limit('suggest', 'defaultLimit', schema('/suggest', 'limit')['default']);
    limit('suggest', 'maxLimit', component('SuggestResponse')['suggestions']?.['maxItems']);

    limit('getArticle', 'idMaxLength', schema('/articles/{id}', 'id')['maxLength']);

    // Every limit of the table is stated somewhere in the document.
    for (const r of ROUTE_LIST) expect([...(checked.get(r.id) ?? [])].sort(), r.id).toEqual(Object.keys(r.limits).sort());
    expect(ROUTES.search.limits).toBe(LIMITS);

    expect(schema('/search', 'sort')['enum']).toEqual(SORT_ORDERS);
    expect(results['sort']?.['enum']).toEqual(SORT_ORDERS);
  });
});
