import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler, type SearchHandler } from '../functions/search.ts';
import { buildBundle } from '../indexer/build-bundle.ts';
import { createRouter, type Router } from '../core/http/router.ts';
import type { ApiResponse } from '../core/http/types.ts';
import { LIMITS } from '../core/http/params.ts';
import { S3_DEFAULTS } from '../storage/s3-client.ts';
import { writeBundleToFolder } from '../storage/local-folder.ts';
import { article, memoryIndex } from './helpers/memory-index.ts';
import { bodyText } from './helpers/body.ts';

/**
 * Property tests of the HTTP edge: thousands of generated requests (random, oversized, repeated and
 * unicode parameters, prototype keys, invalid dates, huge pages, encoded junk paths) through the real
 * Lambda handler over a small index folder. Whatever comes in: no 5xx, no hang, every error a JSON
 * 400/404/405 with a code, and no stack trace or internal path in any body.
 *
 * Seeded for reproducibility; FUZZ_SEED=<n> replays or explores another run.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20_240_601);
const LAMBDA_RUNS = 10_000;
const ROUTER_RUNS = 2_000;

const ARTICLES = [
  article({ id: 'lisbon-tram', date: '2024-03-08', title: 'Lisbon approves tram line', body: 'The Lisbon council approved a riverside tram line on Tuesday. Helena Duarte said work starts soon.', people: ['Helena Duarte'], locations: ['Lisbon', 'Portugal'] }),
  article({ id: 'a/1 x', date: '2023-12-31', title: 'Harbour reopens', body: 'The harbour in Lisbon reopened after the storm; Zoë Martin inspected it.', people: ['Zoë Martin'], locations: ['Lisbon'] }),
  article({ id: '../../etc/passwd', date: '2021-02-28', title: 'Odd id', body: 'An article whose id looks like a path. Oil prices rose.', locations: ['Osaka', 'Japan'] }),
  article({ id: '__proto__', date: '2022-06-01', title: 'Prototype', body: 'Named to trip object lookups. Oil and gas.', people: ['Bob Jones'] }),
  article({ id: 'constructor', date: '2022-06-02', title: 'Constructor', body: 'Another reserved word as an id. Markets fell.' }),
  article({ id: 'ünïcödé-日本', date: '2020-01-01', title: '東京 markets rally', body: '東京の市場 rallied as traders in Tokyo bought oil.', locations: ['Tokyo', 'Japan'] }),
  ...Array.from({ length: 30 }, (_, i) =>
    article({
      id: `oil-${i}`,
      date: `20${10 + (i % 14)}-0${1 + (i % 9)}-1${i % 10}`,
      title: `Oil report ${i}`,
      body: `Oil prices moved on day ${i}. Traders in ${['Paris', 'London', 'Tokyo'][i % 3]} watched supply. `.repeat(1 + (i % 5)),
      people: i % 2 ? ['Alice Smith'] : ['Bob Jones', 'Carol White'],
      locations: [['Paris', 'France'], ['London'], ['Tokyo', 'Japan']][i % 3] ?? [],
    }),
  ),
];

const KNOWN = ['q', 'person', 'location', 'about', 'from', 'to', 'sort', 'recency', 'page', 'limit', 'facetLimit'];
const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__proto__[q]', 'q[]', 'person[0]', 'Q', ' q', 'q ', 'lmit', ''];
const DATES = ['2024-03-08', '2021-02-29', '2020-02-29', '2021-02-30', '2021-13-01', '2021-00-10', '0000-01-01', '9999-12-31', '+02021-01-01', '2021-1-1', '2021-01-01T00:00:00Z', '20210101', '2021-01-01 ', '٢٠٢١-٠١-٠١', ''];
const NUMBERS = ['0', '1', '10', '100', '101', '1000', '1001', '-1', '-0', '1e3', '0x10', ' 5', '5 ', '1.0', '１', 'NaN', 'Infinity', '999999999', '4294967297', '9'.repeat(400)];
const JUNK = ['..', '.', '%2e%2e', '%2F', '%00', '%', '%E0%A4%A', '%ZZ', '%C0%AF', '%ED%A0%80', '%F0%9F%98%80', '~', '', '\\', '%5C..%5C', 'search', 'articles', '__proto__', 'constructor', 'openapi.json'];

/** Any string, including lone surrogates and control characters. */
const anyString = (maxLength: number) => fc.string({ unit: 'binary', maxLength });
const oversized = fc.tuple(fc.constantFrom('a', 'é', '日', '😀', ' ', '%', '&', '<', '9', 'a.'), fc.constantFrom(201, 501, 2_000, 20_000)).map(([c, n]) => c.repeat(n));

const key = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...KNOWN) },
  { weight: 2, arbitrary: fc.constantFrom(...NASTY_KEYS) },
  { weight: 1, arbitrary: anyString(12) },
);
const value = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('oil', 'lisbon', 'tram', 'oil tr', 'oil ', 'Lisbon', 'Japan', 'Alice Smith', 'bob jones', 'zoe', 'Zoë', '東京', 'relevance', 'date', 'date_asc', 'DATE') },
  { weight: 3, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 3, arbitrary: fc.constantFrom(...DATES) },
  { weight: 3, arbitrary: anyString(40) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: oversized },
  { weight: 1, arbitrary: fc.integer().map(String) },
);
/** One `name=value` pair, encoded properly, left raw (may carry & = # % +), or with junk escapes. */
const pair = fc.tuple(key, value, fc.constantFrom('encoded', 'encoded', 'encoded', 'raw', 'junk')).map(([k, v, how]) => {
  if (how === 'raw') return `${k}=${v}`;
  if (how === 'junk') return `${encodeURIComponent(k)}=${encodeURIComponent(v).replace(/%2[0-9A-F]/, '%').replace(/^/, '%E2%82')}`;
  return `${encodeURIComponent(k)}=${encodeURIComponent(v)}`;
});
const queryString = fc.oneof(
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 8, arbitrary: fc.array(pair, { maxLength: 6 }).map((p) => p.join('&')) },
  // Repeated parameters: the same pair several times.
  { weight: 2, arbitrary: fc.tuple(pair, fc.integer({ min: 2, max: 15 })).map(([p, n]) => Array(n).fill(p).join('&')) },
  { weight: 1, arbitrary: anyString(60) },
  { weight: 1, arbitrary: fc.constantFrom('&&&', '===', '?q=oil', 'q', '&q=', 'q=oil#frag', 'q=%', 'q=%zz&limit=%31', `page=${LIMITS.maxPage}&limit=${LIMITS.maxLimit}`, 'page=99999999999&limit=100') },
);
const id = fc.oneof(
  fc.constantFrom(...ARTICLES.slice(0, 6).map((a) => encodeURIComponent(a.id)), 'lisbon-tram', 'a/1%20x', '..%2F..%2Fetc%2Fpasswd', '../../etc/passwd', 'missing'),
  anyString(30).map(encodeURIComponent),
  anyString(30),
  fc.constantFrom(...JUNK),
  oversized,
);
const path = fc.oneof(
  { weight: 12, arbitrary: fc.constant('/search') },
  { weight: 3, arbitrary: fc.constant('/suggest') },
  { weight: 2, arbitrary: fc.constant('/health') },
  { weight: 1, arbitrary: fc.constant('/openapi.json') },
  { weight: 4, arbitrary: id.map((i) => `/articles/${i}`) },
  { weight: 2, arbitrary: fc.array(fc.oneof(fc.constantFrom(...JUNK), anyString(10), anyString(10).map(encodeURIComponent)), { maxLength: 5 }).map((s) => `/${s.join('/')}`) },
  { weight: 1, arbitrary: fc.constantFrom('/', '', '/search/', '/SEARCH', '//search', '/search/..', '/articles', '/articles/', '/health/', '/openapi.json/', '/%73earch', '/articles//x', '/suggest/') },
);
const origin = fc.option(fc.oneof(fc.constantFrom('https://news.example.org', 'null', 'http://evil.example'), anyString(20)), { nil: undefined });

const template = JSON.parse(readFileSync(new URL('./fixtures/events/search-location.json', import.meta.url), 'utf8')) as APIGatewayProxyEventV2;

function eventFor(method: string, rawPath: string, rawQueryString: string, originHeader: string | undefined): APIGatewayProxyEventV2 {
  const headers: Record<string, string | undefined> = { ...template.headers };
  delete headers['origin'];
  if (originHeader !== undefined) headers['origin'] = originHeader;
  return {
    ...template,
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers,
    requestContext: { ...template.requestContext, routeKey: '$default', http: { ...template.requestContext.http, method, path: rawPath } },
  };
}

const STATUSES = new Set([200, 204, 304, 400, 404, 405]);
const CODES: Record<number, string[]> = { 400: ['unknown_parameter', 'invalid_parameter', 'bad_query'], 404: ['not_found'], 405: ['method_not_allowed'] };
/** Signs of internals: stack frames, source paths, module folders. */
const LEAKS = [/\bat (?:async )?[\w$.<>[\]]+ \((?:\/|file:|node:|[A-Za-z]:\\)/, /\n\s+at /, /\/work\//, /node_modules/, /file:\/\//, /\.ts:\d+/];

interface Tally {
  requests: number;
  byStatus: Map<number, number>;
}

/** The invariants every response must hold, whatever the request. Returns the parsed body. */
function checkResponse(status: number, headers: Record<string, string | number | boolean>, body: string, method: string, secret: string): unknown {
  const what = `status ${status}, body ${body.slice(0, 300)}`;
  expect(STATUSES.has(status), what).toBe(true);
  for (const leak of [...LEAKS, new RegExp(secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))]) expect(leak.test(body), `${leak} in ${what}`).toBe(false);
  if (status === 204 || status === 304 || method === 'HEAD') {
    expect(body).toBe('');
    return undefined;
  }
  expect(String(headers['content-type'])).toMatch(/^application\/json/);
  expect(headers['x-content-type-options']).toBe('nosniff');
  const parsed = JSON.parse(body) as Record<string, unknown>;
  if (status >= 400) {
    expect(Object.keys(parsed)).toEqual(['error']);
    const err = parsed['error'] as Record<string, unknown>;
    expect(CODES[status], what).toContain(err['code']);
    expect(typeof err['message'] === 'string' && err['message'].length > 0, what).toBe(true);
    expect(Object.keys(err).every((k) => k === 'code' || k === 'message' || k === 'field'), what).toBe(true);
    if (status === 400) expect(typeof err['field'], what).toBe('string');
    if (status === 405) expect(headers['allow']).toBe('GET, HEAD, OPTIONS');
  }
  return parsed;
}

/** Fails a request that does not settle: a hang is a bug, not something to wait out. */
async function settle<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within 10 s: ${what}`)), 10_000);
  });
  try {
    return await Promise.race([p, hang]);
  } finally {
    clearTimeout(timer);
  }
}

let dir: string;
let handler: SearchHandler;
const logs: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ns-fuzz-'));
  const bundle = await buildBundle(ARTICLES, { docChunkSize: 8 });
  await writeBundleToFolder(join(dir, 'ix'), bundle.files);
  handler = createHandler(
    { index: { kind: 'folder', dir: join(dir, 'ix') }, s3: { ...S3_DEFAULTS }, corsOrigins: ['https://news.example.org'], reloadSeconds: 3600 },
    { log: (line) => logs.push(line) },
  );
  console.log(`fuzz-http: seed ${SEED} (FUZZ_SEED=${SEED} to replay)`);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('fuzzing the Lambda handler with API Gateway v2 events', () => {
  it(`answers ${LAMBDA_RUNS} generated GET requests with 2xx or a JSON 4xx, never 5xx`, async () => {
    const tally: Tally = { requests: 0, byStatus: new Map() };
    const arb = fc.tuple(path, queryString, origin);
    await fc.assert(
      fc.asyncProperty(arb, async ([p, q, o]) => {
        const what = `GET ${p}?${q}`;
        const res: APIGatewayProxyStructuredResultV2 = await settle(handler(eventFor('GET', p, q, o)), what);
        const status = res.statusCode as number;
        tally.requests++;
        tally.byStatus.set(status, (tally.byStatus.get(status) ?? 0) + 1);
        const body = checkResponse(status, res.headers ?? {}, bodyText(res), 'GET', dir) as Record<string, unknown>;
        if (status === 200 && p === '/search') {
          const hits = body['hits'] as unknown[];
          expect(hits.length).toBeLessThanOrEqual(body['limit'] as number);
          expect(body['total'] as number).toBeGreaterThanOrEqual(hits.length);
        }
        if (o === 'https://news.example.org') expect(res.headers?.['access-control-allow-origin']).toBe(o);
        else expect(res.headers?.['access-control-allow-origin']).toBeUndefined();
      }),
      { seed: SEED, numRuns: LAMBDA_RUNS, endOnFailure: true },
    );
    const summary = [...tally.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`).join(', ');
    console.log(`fuzz-http: ${tally.requests} Lambda requests (${summary})`);
    expect(tally.requests).toBe(LAMBDA_RUNS);
    // The generator must reach the happy path too, not only the validators.
    expect(tally.byStatus.get(200) ?? 0).toBeGreaterThan(LAMBDA_RUNS / 10);
    expect(tally.byStatus.get(400) ?? 0).toBeGreaterThan(LAMBDA_RUNS / 10);
    expect(tally.byStatus.get(404) ?? 0).toBeGreaterThan(LAMBDA_RUNS / 50);
    // Every request was logged as one JSON line, none at error level.
    const lines = logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['msg'] === 'request');
    expect(lines.length).toBeGreaterThanOrEqual(LAMBDA_RUNS);
    expect(lines.filter((l) => l['level'] !== 'info')).toEqual([]);
  });

  it('answers the specific nasty cases', async () => {
    const cases: Array<[string, string, number]> = [
      ['/search', '__proto__=1', 400],
      ['/search', 'constructor=x&q=oil', 400],
      ['/search', '__proto__[polluted]=1', 400],
      ['/search', `q=${'a'.repeat(LIMITS.qMaxLength)}`, 200],
      ['/search', `q=${'a'.repeat(100_000)}`, 400],
      ['/search', `${'k'.repeat(100_000)}=1`, 400],
      ['/search', `person=${'Alice Smith&person='.repeat(50)}x`, 400],
      ['/search', 'from=2021-02-30', 400],
      ['/search', 'from=2024-01-01&to=2023-01-01', 400],
      ['/search', `page=${LIMITS.maxPage}&limit=${LIMITS.maxLimit}`, 200],
      ['/search', 'page=1001', 400],
      ['/search', 'page=99999999999999999999999', 400],
      ['/search', 'q=%ED%A0%80%ED%B0%80', 200],
      ['/search', `q=${'\ud800'.repeat(10)}`, 200],
      ['/search', 'q=oil&q=gas', 400],
      ['/suggest', '', 400],
      ['/suggest', '__proto__=1&q=a', 400],
      ['/suggest', `q=${'a'.repeat(100_000)}`, 400],
      ['/suggest', `q=${encodeURIComponent('😀'.repeat(50))}`, 200],
      ['/suggest', 'q=%ED%A0%80', 200],
      ['/suggest', 'q=oil%20tr&limit=20', 200],
      ['/articles/%E0%A4%A', '', 400],
      ['/articles/__proto__', '', 200],
      ['/articles/constructor', '', 200],
      ['/articles/toString', '', 404],
      ['/articles/..%2F..%2Fetc%2Fpasswd', '', 200],
      ['/articles/' + 'x'.repeat(513), '', 400],
      ['/articles/lisbon-tram', 'x=1', 400],
      ['/health', '__proto__=1', 400],
      ['/openapi.json', 'a', 400],
      ['/%2e%2e/%2e%2e/etc/passwd', '', 404],
      ['/search/../health', '', 404],
    ];
    for (const [p, q, expected] of cases) {
      const res = await settle(handler(eventFor('GET', p, q, undefined)), `${p}?${q.slice(0, 80)}`);
      expect(res.statusCode, `${p}?${q.slice(0, 80)} → ${bodyText(res).slice(0, 200)}`).toBe(expected);
      checkResponse(res.statusCode as number, res.headers ?? {}, bodyText(res), 'GET', dir);
    }
    // Prototype keys reached no shared object.
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('fuzzing the router with any method and headers', () => {
  it(`answers ${ROUTER_RUNS} generated requests with any method`, async () => {
    const { index } = await memoryIndex(ARTICLES);
    const router: Router = createRouter({ getIndex: async () => index });
    const method = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH', 'TRACE', 'CONNECT', 'get', 'Get') },
      { weight: 1, arbitrary: anyString(8) },
    );
    const headers = fc.dictionary(anyString(12).map((k) => k.toLowerCase()), anyString(40), { maxKeys: 4 });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(method, path, queryString, headers, async (m, p, q, h) => {
        const res: ApiResponse = await settle(router({ method: m, path: p, query: q, headers: h }), `${m} ${p}?${q}`);
        n++;
        checkResponse(res.status, res.headers, bodyText(res), m, dir);
        if (m === 'OPTIONS') expect(res.status).toBe(204);
        else if (m !== 'GET' && m !== 'HEAD') expect(res.status).toBe(405);
        expect(res.headers['access-control-allow-origin']).toBe('*');
      }),
      { seed: SEED + 1, numRuns: ROUTER_RUNS, endOnFailure: true },
    );
    console.log(`fuzz-http: ${n} router requests with random methods and headers`);
  });
});
