import { describe, expect, it } from 'vitest';
import { cacheControl, ifNoneMatch, mergeVary } from '../core/http/cache.ts';
import { canonicalSearch, isIgnoredParameter } from '../core/http/canonical.ts';
import { parseSearchParams, rawQueryFromString } from '../core/http/params.ts';
import { createRouter, normalizeBasePath, type RouterOptions } from '../core/http/router.ts';
import { ROUTE_LIST } from '../core/http/routes.ts';
import type { ApiRequest } from '../core/http/types.ts';
import { bodyJson } from './helpers/body.ts';
import { article, memoryIndex } from './helpers/memory-index.ts';

/**
 * HTTP caching: ETags derived from the index version and the canonical request, 304s, Cache-Control
 * from the reload interval; and the leniency browsers expect (tracking parameters, a trailing
 * slash, a base path).
 */
const ARTICLES = [
  article({ id: 'a/1 x', date: '2024-02-01', title: 'Harbour reopens', body: 'The harbour in Lisbon reopened.', people: ['Helena Duarte'], locations: ['Lisbon', 'Portugal'] }),
  article({ id: 'b2', date: '2024-03-01', title: 'Rain', body: 'Rain in Osaka closed the harbour.', locations: ['Osaka', 'Japan'] }),
];

const req = (pathAndQuery: string, headers: Record<string, string> = {}, method = 'GET'): ApiRequest => {
  const [path, query = ''] = pathAndQuery.split(/\?(.*)/s);
  return { method, path: path as string, query, headers };
};

async function router(opts: Partial<RouterOptions> = {}, articles = ARTICLES) {
  const { index } = await memoryIndex(articles);
  return createRouter({ getIndex: async () => index, ...opts });
}

describe('canonical requests', () => {
  const canonical = (qs: string) => canonicalSearch(parseSearchParams(rawQueryFromString(qs)), null);

  it('spell one request one way: order, repeated filter values, defaults and tracking parameters do not count', () => {
    const same = [
      'q=harbour&person=Helena%20Duarte&location=Lisbon&location=Portugal',
      'location=Portugal&q=harbour&location=Lisbon&person=Helena+Duarte',
      'location=Portugal&location=Lisbon&location=Lisbon&person=%20Helena%20Duarte&q=%20harbour',
      'q=harbour&person=Helena%20Duarte&location=Lisbon&location=Portugal&sort=relevance&page=1&limit=10&facetLimit=10',
      'utm_source=news&q=harbour&fbclid=abc&person=Helena%20Duarte&gclid=x&location=Lisbon&location=Portugal&_=1712345678&utm_campaign=c',
    ];
    const forms = new Set(same.map(canonical));
    expect([...forms]).toEqual(['location=Lisbon&location=Portugal&person=Helena%20Duarte&q=harbour']);
    // Defaults depend on q: without it, date order is the default and relevance is not.
    expect(canonical('sort=date')).toBe('');
    expect(canonical('sort=relevance')).toBe('sort=relevance');
    expect(canonical('q=oil&sort=date&limit=20&page=2')).toBe('limit=20&page=2&q=oil&sort=date');
    // Meaningful differences stay: a trailing space makes the last word exact.
    expect(canonical('q=oil%20')).not.toBe(canonical('q=oil'));
  });

  it('ignores exactly the tracking and cache-busting names', () => {
    for (const name of ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'utm_id', 'utm_', 'fbclid', 'gclid', '_']) expect(isIgnoredParameter(name), name).toBe(true);
    for (const name of ['utm', 'UTM_SOURCE', 'utmsource', '__', '_x', 'fbclid2', 'q', 'page', 'cursor']) expect(isIgnoredParameter(name), name).toBe(false);
  });
});

describe('ETag and If-None-Match', () => {
  it('every 200 carries a weak ETag, the same for every spelling of the request', async () => {
    const r = await router({ basePath: '/v1' });
    const tags = new Set<string | undefined>();
    for (const url of ['/search?q=harbour&location=Lisbon&location=Portugal', '/search/?location=Portugal&location=Lisbon&q=harbour&utm_source=x', '/v1/search?q=harbour&location=Portugal&location=Lisbon&sort=relevance&_=123']) {
      const res = await r(req(url));
      expect(res.status, url).toBe(200);
      tags.add(res.headers['etag']);
    }
    expect(tags.size).toBe(1);
    expect([...tags][0]).toMatch(/^W\/"[\w-]{22}"$/);
    for (const route of ROUTE_LIST) {
      const res = await r(req(route.path.replace('{id}', 'b2') + (route.id === 'suggest' ? '?q=har' : '')));
      expect(res.headers['etag'], route.path).toMatch(/^W\/"[\w-]{22}"$/);
    }
  });

  it('differs per request, per article and per index version', async () => {
    const r = await router();
    const tag = async (url: string, rr = r) => (await rr(req(url))).headers['etag'];
    const all = [await tag('/search?q=harbour'), await tag('/search?q=harbour&limit=5'), await tag('/search?q=rain'), await tag('/articles/b2'), await tag('/articles/a%2F1%20x'), await tag('/suggest?q=har'), await tag('/health'), await tag('/openapi.json')];
    expect(new Set(all).size).toBe(all.length);
    const republished = await router({}, [...ARTICLES, article({ id: 'c3', title: 'Tram', body: 'Tram in Lisbon.' })]);
    expect(await tag('/search?q=harbour', republished)).not.toBe(await tag('/search?q=harbour'));
    expect(await tag('/openapi.json', republished)).toBe(await tag('/openapi.json'));
  });

  it('answers a matching If-None-Match with 304: no body, the same ETag, Cache-Control, Vary and CORS headers', async () => {
    const r = await router({ cacheSeconds: 120, corsOrigins: ['https://news.example'] });
    const headers = { origin: 'https://news.example', 'accept-encoding': 'br, gzip' };
    const ok = await r(req('/search?q=harbour&limit=100', headers));
    const etag = ok.headers['etag'] as string;
    for (const inm of [etag, etag.replace(/^W\//, ''), `"nope", ${etag}`, '*']) {
      for (const method of ['GET', 'HEAD']) {
        const res = await r(req('/search?limit=100&q=harbour&utm_medium=email', { ...headers, 'if-none-match': inm }, method));
        expect([res.status, res.body], inm).toEqual([304, '']);
        for (const h of ['etag', 'cache-control', 'vary', 'access-control-allow-origin']) expect(res.headers[h], h).toBe(ok.headers[h]);
        expect(res.headers['content-encoding']).toBeUndefined();
        expect(res.headers['content-type']).toBeUndefined();
      }
    }
    expect((await r(req('/search?q=harbour', { 'if-none-match': 'W/"other"' }))).status).toBe(200);
    // Errors are never 304: validation and the route come first.
    expect((await r(req('/search?q=harbour&lmit=1', { 'if-none-match': '*' }))).status).toBe(400);
    expect((await r(req('/articles/nope', { 'if-none-match': '*' }))).status).toBe(404);
  });

  it('answers 304 before searching: a matched tag costs no search', async () => {
    const { index } = await memoryIndex(ARTICLES);
    let bodyReads = 0;
    const bodies = index.docs.bodies.bind(index.docs);
    index.docs.bodies = (docs) => {
      bodyReads++;
      return bodies(docs);
    };
    const r = createRouter({ getIndex: async () => index });
    const etag = (await r(req('/search?q=harbour'))).headers['etag'] as string;
    const before = bodyReads;
    expect((await r(req('/search?q=harbour', { 'if-none-match': etag }))).status).toBe(304);
    expect(bodyReads).toBe(before);
  });

  it('compares tags weakly and handles lists and `*`', () => {
    expect(ifNoneMatch(undefined, 'W/"a"')).toBe('none');
    expect(ifNoneMatch('W/"a"', 'W/"a"')).toBe('match');
    expect(ifNoneMatch('"a"', 'W/"a"')).toBe('match');
    expect(ifNoneMatch(' "b" ,W/"a" ', 'W/"a"')).toBe('match');
    expect(ifNoneMatch('"b", *', 'W/"a"')).toBe('any');
    expect(ifNoneMatch('"b"', 'W/"a"')).toBe('none');
    expect(ifNoneMatch('', 'W/"a"')).toBe('none');
  });
});

describe('Cache-Control', () => {
  it('lets browsers and CDNs keep public answers for the reload interval, then serve them stale while revalidating', async () => {
    expect(cacheControl('public', 60)).toBe('public, max-age=60, s-maxage=60, stale-while-revalidate=60, stale-if-error=86400');
    expect(cacheControl('public', 0)).toBe('public, no-cache, stale-if-error=86400');
    expect(cacheControl('no-store', 60)).toBe('no-store');
    const r = await router({ cacheSeconds: 300 });
    expect((await r(req('/search?q=harbour'))).headers['cache-control']).toBe(cacheControl('public', 300));
    expect((await r(req('/health'))).headers['cache-control']).toBe('no-store');
    for (const url of ['/search?lmit=1', '/articles/nope', '/nowhere']) expect((await r(req(url))).headers['cache-control'], url).toBe('no-store');
    // The default is the Lambda's default reload interval.
    expect((await (await router())(req('/suggest?q=har'))).headers['cache-control']).toBe(cacheControl('public', 60));
  });

  it('merges Vary from compression and CORS', () => {
    expect(mergeVary('accept-encoding', undefined, 'Origin')).toBe('accept-encoding, origin');
    expect(mergeVary('accept-encoding', 'accept-encoding')).toBe('accept-encoding');
    expect(mergeVary(undefined, '')).toBeUndefined();
  });
});

describe('lenient where browsers are', () => {
  it('ignores tracking and cache-busting parameters on every route, and still rejects other unknown names', async () => {
    const r = await router();
    const tracking = 'utm_source=newsletter&utm_medium=email&fbclid=IwAR0&gclid=Cj0&_=1712345678';
    for (const url of [`/search?q=harbour&${tracking}`, `/suggest?q=har&${tracking}`, `/articles/b2?${tracking}`, `/health?${tracking}`, `/openapi.json?_=1`]) {
      expect((await r(req(url))).status, url).toBe(200);
    }
    const plain = bodyJson<{ total: number }>(await r(req('/search?q=harbour')));
    expect(bodyJson<{ total: number }>(await r(req(`/search?q=harbour&${tracking}`))).total).toBe(plain.total);
    for (const [url, field] of [['/search?q=harbour&utmsource=x', 'utmsource'], ['/health?fbclid2=1', 'fbclid2'], ['/search?__=1', '__']]) {
      const res = await r(req(url as string));
      expect([res.status, bodyJson<{ error: { field: string } }>(res).error.field], url).toEqual([400, field]);
    }
  });

  it('ignores one trailing slash on routes without a path parameter', async () => {
    const r = await router();
    for (const path of ['/search/', '/suggest/', '/health/', '/openapi.json/']) {
      const res = await r(req(`${path}?${path === '/suggest/' ? 'q=har' : ''}`));
      expect([res.status, res.log.route], path).toEqual([200, path.slice(0, -1)]);
    }
    // In an article id, a slash is part of the id.
    expect((await r(req('/articles/b2/'))).status).toBe(404);
    for (const path of ['/search//', '//search', '/', '/articles']) expect((await r(req(path))).status, path).toBe(404);
  });

  it('serves the API under a base path, and without it', async () => {
    const r = await router({ basePath: '/v1/' });
    for (const path of ['/v1/search', '/v1/search/', '/search', '/v1/articles/b2', '/v1/health']) {
      expect((await r(req(path))).status, path).toBe(200);
    }
    for (const path of ['/v1', '/v1/', '/v1x/search', '/v2/search', '/v1/v1/search']) expect((await r(req(path))).status, path).toBe(404);
    const res = await r(req('/v1/articles/a%2F1%20x'));
    expect(bodyJson<{ id: string }>(res).id).toBe('a/1 x');
    expect(res.log.route).toBe('/articles/{id}');
  });

  it('normalizes a base path, and refuses one that cannot be a path prefix', () => {
    expect(normalizeBasePath(undefined)).toBe('');
    expect(normalizeBasePath('')).toBe('');
    expect(normalizeBasePath('/')).toBe('');
    expect(normalizeBasePath('/v1/')).toBe('/v1');
    expect(normalizeBasePath('api/news')).toBe('/api/news');
    for (const bad of ['/v1/../x', '/a b', '/v1?x', '/../', '//v1']) expect(() => normalizeBasePath(bad), bad).toThrow(/base path/);
  });
});
