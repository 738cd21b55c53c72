import { FORMAT_VERSION } from '../core/format/format.ts';
import { describe, expect, it } from 'vitest';
import { IndexUnavailableError } from '../core/errors.ts';
import { createRouter } from '../core/http/router.ts';
import type { ApiRequest } from '../core/http/types.ts';
import { article, memoryIndex } from './helpers/memory-index.ts';
import { bodyText } from './helpers/body.ts';

const req = (pathAndQuery: string, extra: Partial<ApiRequest> = {}): ApiRequest => {
  const [path, query = ''] = pathAndQuery.split(/\?(.*)/s);
  return { method: 'GET', path: path as string, query, headers: {}, ...extra };
};

async function router(opts: { corsOrigins?: string[] } = {}) {
  const { index } = await memoryIndex([
    article({ id: 'a/1 x', date: '2024-02-01', title: 'Harbour reopens', body: 'The harbour in Lisbon reopened.', locations: ['Lisbon'] }),
    article({ id: 'b2', date: '2024-03-01', title: 'Rain', body: 'Rain in Osaka.', locations: ['Osaka'] }),
  ]);
  return createRouter({ getIndex: async () => index, ...opts });
}

describe('HTTP API', () => {
  it('GET /search answers the documented shape', async () => {
    const res = await (await router())(req('/search?q=harbour'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = JSON.parse(bodyText(res));
    expect(Object.keys(body).sort()).toEqual(['facets', 'hits', 'limit', 'page', 'sort', 'tookMs', 'total']);
    expect(body.total).toBe(1);
    expect(Object.keys(body.hits[0]).sort()).toEqual(['about', 'date', 'id', 'locations', 'people', 'score', 'snippet', 'title', 'url']);
    expect(body.facets.location).toEqual([{ value: 'Lisbon', count: 1 }]);
    expect(body.facets.date).toEqual([{ value: '2024-02', count: 1 }]);
  });

  it('GET /articles/{id} decodes the id and 404s unknown ones', async () => {
    const r = await router();
    const ok = await r(req('/articles/a%2F1%20x'));
    expect(ok.status).toBe(200);
    expect(JSON.parse(bodyText(ok))).toEqual({ id: 'a/1 x', date: '2024-02-01', title: 'Harbour reopens', body: 'The harbour in Lisbon reopened.', url: null, people: [], locations: ['Lisbon'], about: ['Lisbon'] });
    const missing = await r(req('/articles/nope'));
    expect(missing.status).toBe(404);
    expect(JSON.parse(bodyText(missing)).error.code).toBe('not_found');
    const bad = await r(req('/articles/%E0%A4%A'));
    expect(bad.status).toBe(400);
    expect(JSON.parse(bodyText(bad)).error).toMatchObject({ code: 'invalid_parameter', field: 'id' });
  });

  it('GET /health reports version, count and load time', async () => {
    const body = JSON.parse(bodyText(await (await router())(req('/health'))));
    expect(body).toMatchObject({ status: 'ok', formatVersion: FORMAT_VERSION, articleCount: 2 });
    expect(body.indexVersion).toMatch(/^[0-9a-f]{16}$/);
    expect(typeof body.loadMs).toBe('number');
  });

  it.each([
    ['/search?sort=newest', 'sort'],
    ['/search?limit=0', 'limit'],
    ['/search?from=2021-13-01', 'from'],
    ['/search?from=2021-02-01&to=2021-01-01', 'from'],
    [`/search?q=${'a'.repeat(501)}`, 'q'],
    ['/search?colour=red', 'colour'],
    ['/health?verbose=1', 'verbose'],
  ])('%s → 400 naming the field', async (url, field) => {
    const res = await (await router())(req(url));
    expect(res.status).toBe(400);
    const body = JSON.parse(bodyText(res));
    expect(body.error.field).toBe(field);
    expect(body.error.code).toMatch(/^(invalid|unknown)_parameter$/);
    expect(body.error.message).toContain(field);
  });

  it('unknown routes are JSON 404s and other methods 405s', async () => {
    const r = await router();
    const nf = await r(req('/../../etc/passwd'));
    expect(nf.status).toBe(404);
    expect(JSON.parse(bodyText(nf)).error.code).toBe('not_found');
    // Allow names every method the router serves: GET, HEAD (see below) and OPTIONS (preflight).
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await r(req('/search', { method }));
      expect(res.status, method).toBe(405);
      expect(JSON.parse(bodyText(res)).error.code).toBe('method_not_allowed');
      expect(res.headers['allow']?.split(/,\s*/).sort(), method).toEqual(['GET', 'HEAD', 'OPTIONS']);
    }
  });

  it('serves HEAD as GET without the body: same status and headers, empty body', async () => {
    const r = await router();
    const urls = ['/search?q=harbour', '/suggest?q=har', '/articles/b2', '/health', '/openapi.json', '/articles/nope', '/search?limit=0', '/nowhere'];
    const statuses: number[] = [];
    for (const url of urls) {
      const get = await r(req(url));
      const head = await r(req(url, { method: 'HEAD' }));
      expect(get.body.length, url).toBeGreaterThan(0);
      expect(head.status, url).toBe(get.status);
      expect(head.headers, url).toEqual(get.headers);
      expect(head.body, url).toBe('');
      statuses.push(head.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404, 400, 404]);
  });

  it('maps an unavailable index to 503 and hides internals of unexpected errors', async () => {
    const down = createRouter({ getIndex: async () => { throw new IndexUnavailableError('index storage did not answer'); } });
    const res = await down(req('/search?q=x'));
    expect(res.status).toBe(503);
    expect(JSON.parse(bodyText(res))).toEqual({ error: { code: 'index_unavailable', message: 'index storage did not answer' } });
    const broken = createRouter({ getIndex: async () => { throw new Error('ENOENT /secret/path/x.json'); } });
    const r2 = await broken(req('/health'));
    expect(r2.status).toBe(500);
    expect(r2.body).not.toContain('secret');
    expect(JSON.parse(bodyText(r2))).toEqual({ error: { code: 'internal', message: 'Internal error' } });
  });

  it('sends CORS headers for allowed origins only', async () => {
    const open = await (await router())(req('/health', { headers: { origin: 'https://a.example' } }));
    expect(open.headers['access-control-allow-origin']).toBe('*');
    const r = await router({ corsOrigins: ['https://news.example'] });
    const ok = await r(req('/search', { headers: { origin: 'https://news.example' } }));
    expect(ok.headers['access-control-allow-origin']).toBe('https://news.example');
    expect(ok.headers['vary']).toBe('accept-encoding, origin');
    const other = await r(req('/search', { headers: { origin: 'https://evil.example' } }));
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await r(req('/search', { method: 'OPTIONS', headers: { origin: 'https://news.example' } }));
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-methods']).toBe('GET, OPTIONS');
  });
});
