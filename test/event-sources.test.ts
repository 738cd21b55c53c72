import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../cli/build-index.ts';
import type { ApiResponse } from '../core/http/types.ts';
import type { SearchResponse } from '../core/types.ts';
import { readEvent, type HttpResult } from '../functions/adapter.ts';
import { readConfig } from '../functions/config.ts';
import { createSearchApp, type SearchApp } from '../functions/search.ts';
import { bodyJson, bodyText, headerOf } from './helpers/body.ts';

/**
 * One handler, every HTTP event source, from AWS's published sample events (see
 * fixtures/events/README.md), over a real index built from examples/articles. Each sample is aimed
 * at this API (path, method, query) the way its source would send that request, and every source
 * must find the same articles for the same request and answer in its own response shape.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- sample events are edited field by field
type Json = Record<string, any>;
const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(`./fixtures/events/${name}`, import.meta.url), 'utf8'));
const ORIGIN = 'https://news.example.org';

/** A logical request: its parameters decoded, and the query string a browser would send for them. */
interface Query {
  params: Array<[string, string]>;
  /** As sent by the client, percent-encoded (spaces as `+` or `%20`). */
  raw: string;
}
/** Together in one article; the first alone is in 6, the last alone in 3, so a lost repeat shows. */
const PEOPLE: Query = {
  params: [['person', 'Priya Raman'], ['person', 'José Álvarez'], ['person', 'Zoë Müller'], ['limit', '5']],
  raw: 'person=Priya+Raman&person=Jos%C3%A9+%C3%81lvarez&person=Zo%C3%AB%20M%C3%BCller&limit=5',
};
const BELEM: Query = { params: [['q', 'Belém']], raw: 'q=Bel%C3%A9m' };
const PLUS: Query = { params: [['q', 'tram line'], ['person', 'Helena Duarte']], raw: 'q=tram+line&person=Helena+Duarte' };
const SPECIAL: Query = { params: [['q', 'a&b=c+d']], raw: 'q=a%26b%3Dc%2Bd' };

/** API Gateway's maps: decoded values, the single map keeping the last value of a repeated name. */
const lastValues = (q: Query) => Object.fromEntries(q.params);
const allValues = (q: Query, encoded: boolean) => {
  const out: Record<string, string[]> = {};
  const pairs = encoded ? q.raw.split('&').map((p) => p.split('=') as [string, string]) : q.params;
  for (const [k, v] of pairs) (out[k] ??= []).push(v);
  return out;
};
/** HTTP API's and Function URLs' `queryStringParameters`: repeated values joined with commas. */
const commaJoined = (q: Query) => Object.fromEntries(Object.entries(allValues(q, false)).map(([k, vs]) => [k, vs.join(',')]));

function v2(name: string, q: Query, opts: { raw?: boolean; stage?: string } = {}): Json {
  const e = fixture(name);
  const rawPath = opts.stage ? `/${opts.stage}/search` : '/search';
  e['rawPath'] = rawPath;
  e['requestContext'].http = { ...e['requestContext'].http, method: 'GET', path: rawPath };
  if (opts.stage) e['requestContext'].stage = opts.stage;
  e['headers'] = { ...e['headers'], origin: ORIGIN };
  e['queryStringParameters'] = commaJoined(q);
  if (opts.raw === false) delete e['rawQueryString'];
  else e['rawQueryString'] = q.raw;
  delete e['body'];
  return e;
}

function rest(name: string, q: Query, multi: boolean): Json {
  const e = fixture(name);
  Object.assign(e, { httpMethod: 'GET', path: '/search', resource: '/{proxy+}', body: null });
  e['requestContext'].httpMethod = 'GET';
  e['headers'] = { ...e['headers'], Origin: ORIGIN };
  if (e['multiValueHeaders']) e['multiValueHeaders'] = { ...e['multiValueHeaders'], Origin: [ORIGIN] };
  e['queryStringParameters'] = lastValues(q);
  e['multiValueQueryStringParameters'] = multi ? allValues(q, false) : null;
  return e;
}

function alb(name: string, q: Query): Json {
  const e = fixture(name);
  Object.assign(e, { httpMethod: 'GET', path: '/search', body: '' });
  if (e['multiValueHeaders']) {
    e['multiValueHeaders'] = { ...e['multiValueHeaders'], origin: [ORIGIN] };
    e['multiValueQueryStringParameters'] = allValues(q, true); // ALB passes values still encoded
  } else {
    e['headers'] = { ...e['headers'], origin: ORIGIN };
    e['queryStringParameters'] = Object.fromEntries(q.raw.split('&').map((p) => p.split('=')));
  }
  return e;
}

interface Source {
  name: string;
  event: (q: Query) => Json;
  /** Keeps repeated parameters (a single-value map cannot). */
  repeats: boolean;
  shape: 'v2' | 'v1' | 'alb' | 'alb-multi';
}

const SOURCES: Source[] = [
  { name: 'HTTP API (this project)', event: (q) => v2('search-location.json', q), repeats: true, shape: 'v2' },
  { name: 'HTTP API (Powertools sample)', event: (q) => v2('powertools/apigw-http-no-auth.json', q), repeats: true, shape: 'v2' },
  { name: 'HTTP API, named stage', event: (q) => v2('powertools/apigw-http-no-auth.json', q, { stage: 'prod' }), repeats: true, shape: 'v2' },
  { name: 'HTTP API without rawQueryString', event: (q) => v2('powertools/apigw-http-no-auth.json', q, { raw: false }), repeats: false, shape: 'v2' },
  { name: 'Function URL (aws-lambda-go sample)', event: (q) => v2('aws-lambda-go/lambda-urls-request.json', q), repeats: true, shape: 'v2' },
  { name: 'Function URL (Powertools sample)', event: (q) => v2('powertools/lambda-url-get-request.json', q), repeats: true, shape: 'v2' },
  { name: 'REST API v1 with multiValueQueryStringParameters', event: (q) => rest('aws-lambda-go/apigw-request.json', q, true), repeats: true, shape: 'v1' },
  { name: 'REST API v1, queryStringParameters only', event: (q) => rest('powertools/apigw-rest-no-auth.json', q, false), repeats: false, shape: 'v1' },
  { name: 'ALB, multi-value headers off', event: (q) => alb('aws-lambda-go/alb-lambda-target-request-headers-only.json', q), repeats: false, shape: 'alb' },
  { name: 'ALB, multi-value headers on', event: (q) => alb('aws-lambda-go/alb-lambda-target-request-multivalue-headers.json', q), repeats: true, shape: 'alb-multi' },
  { name: 'ALB, multi-value (Powertools sample)', event: (q) => alb('powertools/alb-multi-fields.json', q), repeats: true, shape: 'alb-multi' },
];

let dir: string;
let app: SearchApp;
const lines: Json[] = [];
const call = (e: unknown) => app.handler(e) as Promise<HttpResult & Json>;
const ids = (res: HttpResult) => bodyJson<SearchResponse>(res).hits.map((h) => h.id);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ns-events-'));
  await buildIndex({ inputs: [fileURLToPath(new URL('../examples/articles', import.meta.url))], outDir: dir, workers: 1 });
  app = createSearchApp(readConfig({ INDEX_URI: dir, CORS_ORIGINS: ORIGIN, AWS_LAMBDA_FUNCTION_NAME: 'news-search-test-search' }), {
    log: (l) => lines.push(JSON.parse(l) as Json),
  });
}, 60_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('every event source finds the same articles', () => {
  it('the samples are what their files say: untouched, one of each source', () => {
    expect(fixture('aws-lambda-go/apigw-request.json')).toMatchObject({ httpMethod: 'POST', path: '/hello/world', multiValueQueryStringParameters: { name: ['me'] } });
    expect(fixture('powertools/apigw-rest-no-auth.json')).toMatchObject({ queryStringParameters: null, multiValueQueryStringParameters: null });
    expect(fixture('aws-lambda-go/alb-lambda-target-request-headers-only.json').requestContext.elb.targetGroupArn).toMatch(/^arn:aws:elasticloadbalancing:/);
    expect(fixture('aws-lambda-go/alb-lambda-target-request-multivalue-headers.json')).toHaveProperty('multiValueHeaders');
    expect(fixture('aws-lambda-go/lambda-urls-request.json').requestContext.domainName).toMatch(/\.lambda-url\./);
  });

  it('answers the unmodified samples: 405 for their POST, 404 for their paths, never 400 or 500', async () => {
    const expected: Array<[string, number]> = [
      ['aws-lambda-go/apigw-request.json', 405], // POST /hello/world: unknown path, but POST is never allowed
      ['powertools/apigw-rest-no-auth.json', 405],
      ['powertools/apigw-http-no-auth.json', 405],
      ['aws-lambda-go/lambda-urls-request.json', 405],
      ['powertools/lambda-url-get-request.json', 404], // GET /
      ['aws-lambda-go/alb-lambda-target-request-headers-only.json', 404],
      ['aws-lambda-go/alb-lambda-target-request-multivalue-headers.json', 404],
      ['powertools/alb-multi-fields.json', 404],
    ];
    for (const [name, status] of expected) {
      const res = await call(fixture(name));
      expect(res.statusCode, name).toBe(status);
      expect(bodyJson<{ error: { code: string } }>(res).error.code, name).toBe(status === 405 ? 'method_not_allowed' : 'not_found');
    }
  });

  it('keeps repeated parameters and percent-encoded UTF-8 (person=Priya Raman&person=José Álvarez&person=Zoë Müller)', async () => {
    for (const s of SOURCES.filter((x) => x.repeats)) {
      const res = await call(s.event(PEOPLE));
      expect(res.statusCode, s.name).toBe(200);
      const found = bodyJson<SearchResponse>(res);
      expect(found.hits.map((h) => h.id), s.name).toEqual(['toronto-mining-convention']);
      expect(found.hits[0]?.people, s.name).toEqual(expect.arrayContaining(['Priya Raman', 'José Álvarez', 'Zoë Müller']));
      expect(found.limit, s.name).toBe(5);
    }
  });

  it('reads the query when only queryStringParameters is there (one value per name)', async () => {
    for (const s of SOURCES) {
      const res = await call(s.event(BELEM));
      expect(res.statusCode, s.name).toBe(200);
      expect(ids(res), s.name).toEqual(['lisbon-tram-line-approved']); // not every article
    }
  });

  it('reads + as a space and keeps encoded &, = and + inside values', async () => {
    const reference = bodyJson<SearchResponse>(await call(SOURCES[0]!.event(SPECIAL)));
    for (const s of SOURCES) {
      expect(ids(await call(s.event(PLUS))), s.name).toEqual(['lisbon-tram-line-approved']);
      const special = await call(s.event(SPECIAL));
      // One parameter q, not q=a plus a parameter named b (which would be a 400 unknown_parameter).
      expect(special.statusCode, s.name).toBe(200);
      expect(bodyJson<SearchResponse>(special).total, s.name).toBe(reference.total);
    }
  });

  it('answers in each source\'s own response shape, with the CORS headers', async () => {
    for (const s of SOURCES) {
      const res = await call(s.event(BELEM));
      const keys = Object.keys(res).sort();
      const what = s.name;
      if (s.shape === 'v2') expect(keys, what).toEqual(['body', 'headers', 'isBase64Encoded', 'statusCode']);
      if (s.shape === 'v1') {
        expect(keys, what).toEqual(['body', 'headers', 'isBase64Encoded', 'multiValueHeaders', 'statusCode']);
        for (const [k, v] of Object.entries(res['headers'] as Record<string, string>)) expect(res['multiValueHeaders'][k], `${what}: ${k}`).toEqual([v]);
      }
      if (s.shape === 'alb') expect(keys, what).toEqual(['body', 'headers', 'isBase64Encoded', 'statusCode', 'statusDescription']);
      if (s.shape === 'alb-multi') {
        expect(keys, what).toEqual(['body', 'isBase64Encoded', 'multiValueHeaders', 'statusCode', 'statusDescription']);
        expect(res['multiValueHeaders']['content-type'], what).toEqual(['application/json; charset=utf-8']);
      }
      if (s.shape.startsWith('alb')) expect(res['statusDescription'], what).toBe('200 OK');
      // Bytes (a compressed answer) go base64, text as it is.
      expect(res['isBase64Encoded'], what).toBe(headerOf(res, 'content-encoding') !== undefined);
      expect(headerOf(res, 'access-control-allow-origin'), what).toBe(ORIGIN);
      expect(headerOf(res, 'content-type'), what).toMatch(/^application\/json/);
    }
    const missing = await call({ ...alb('aws-lambda-go/alb-lambda-target-request-headers-only.json', BELEM), path: '/nowhere' });
    expect(missing).toMatchObject({ statusCode: 404, statusDescription: '404 Not Found' });
  });

  it('serves the other routes and methods through every source', async () => {
    for (const s of SOURCES) {
      const e = s.event({ params: [], raw: '' });
      const at = (path: string, method = 'GET'): Json => {
        const x = structuredClone(e);
        if ('rawPath' in x) {
          x['rawPath'] = x['requestContext'].stage === 'prod' ? `/prod${path}` : path;
          x['requestContext'].http.method = method;
        } else {
          Object.assign(x, { path, httpMethod: method });
        }
        return x;
      };
      const article = await call(at('/articles/lisbon-tram-line-approved'));
      expect(bodyJson<{ title: string }>(article).title, s.name).toMatch(/tram line/i);
      expect((await call(at('/health'))).statusCode, s.name).toBe(200);
      const head = await call(at('/health', 'HEAD'));
      expect([head.statusCode, head.body], s.name).toEqual([200, '']);
      const post = await call(at('/search', 'POST'));
      expect(post.statusCode, s.name).toBe(405);
      expect(headerOf(post, 'allow'), s.name).toBe('GET, HEAD, OPTIONS');
    }
  });
});

/** Sets a request header in whichever header maps the event has, the way its source would. */
function withHeader(e: Json, name: string, value: string): Json {
  const x = structuredClone(e);
  if (x['multiValueHeaders']) x['multiValueHeaders'][name] = [value];
  if (x['headers'] || !x['multiValueHeaders']) x['headers'] = { ...x['headers'], [name]: value };
  return x;
}

describe('paths', () => {
  it('accepts a decoded path (HTTP API decodes rawPath) as well as an encoded one', async () => {
    const at = (rawPath: string) => {
      const e = v2('powertools/apigw-http-no-auth.json', { params: [], raw: '' });
      e['rawPath'] = e['requestContext'].http.path = rawPath;
      return e;
    };
    expect(bodyJson<{ id: string }>(await call(at('/articles/lisbon-tram-line-approved'))).id).toBe('lisbon-tram-line-approved');
    for (const p of ['/articles/a b?c#d', '/articles/Belém 100%', '/articles/a%2Fb', '/articles/\ud800']) {
      const res = await call(at(p));
      expect(res.statusCode, p).toBe(404); // a well-formed "no such article", never a 400 or 500
      expect(bodyJson<{ error: { code: string } }>(res).error.code, p).toBe('not_found');
    }
  });
});

describe('compressed answers', () => {
  it('come through every source base64-encoded, and decode to the same answer', async () => {
    const all: Query = { params: [['limit', '20']], raw: 'limit=20' };
    const plain = bodyJson<SearchResponse>(await call(withHeader(SOURCES[0]!.event(all), 'accept-encoding', 'identity')));
    expect(plain.hits).toHaveLength(20);
    for (const s of SOURCES) {
      const res = await call(withHeader(s.event(all), 'accept-encoding', 'gzip'));
      expect(res.statusCode, s.name).toBe(200);
      expect(headerOf(res, 'content-encoding'), s.name).toBe('gzip');
      expect(res['isBase64Encoded'], s.name).toBe(true);
      const found = bodyJson<SearchResponse>(res); // base64, then gunzip
      expect({ ...found, tookMs: 0 }, s.name).toEqual({ ...plain, tookMs: 0 });
    }
  });

  it('sends a byte body as base64 with isBase64Encoded in every shape', () => {
    const json = JSON.stringify({ hello: 'Belém', n: [1, 2, 3] });
    const res: ApiResponse = {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip', vary: 'accept-encoding' },
      body: gzipSync(json),
      log: { route: '/search' },
    };
    for (const s of SOURCES) {
      const read = readEvent(s.event(BELEM));
      expect(read.ok, s.name).toBe(true);
      const out = read.toResult(res) as HttpResult & Json;
      expect(out['isBase64Encoded'], s.name).toBe(true);
      expect(out['body'], s.name).toBe(Buffer.from(res.body as Uint8Array).toString('base64'));
      expect(headerOf(out, 'content-encoding'), s.name).toBe('gzip');
      expect(bodyText(out), s.name).toBe(json);
      // A text body stays text.
      const plain = read.toResult({ ...res, headers: { 'content-type': 'application/json' }, body: json }) as HttpResult & Json;
      expect([plain['body'], plain['isBase64Encoded']], s.name).toEqual([json, false]);
    }
  });
});

describe('events that are not HTTP events, or lack a field', () => {
  const cases: Array<[string, unknown, string]> = [
    ['an empty object', {}, 'requestContext'],
    ['null', null, 'event'],
    ['a string', 'GET /search', 'event'],
    ['an array', [fixture('search-location.json')], 'event'],
    ['an S3 notification (aws-lambda-go sample)', fixture('aws-lambda-go/s3-event.json'), 'requestContext'],
  ];
  const withoutField = (e: Json, path: string[]): Json => {
    const copy = structuredClone(e);
    let o = copy;
    for (const k of path.slice(0, -1)) o = o[k];
    delete o[path.at(-1) as string];
    return copy;
  };
  const broken: Array<[string, Json, string, string]> = [
    ['HTTP API without a method', withoutField(fixture('search-location.json'), ['requestContext', 'http', 'method']), 'requestContext.http.method', 'http-api'],
    ['HTTP API without rawPath (nor http.path)', withoutField(withoutField(fixture('powertools/apigw-http-no-auth.json'), ['rawPath']), ['requestContext', 'http', 'path']), 'rawPath', 'http-api'],
    ['Function URL without requestContext.http', withoutField(fixture('aws-lambda-go/lambda-urls-request.json'), ['requestContext', 'http']), 'requestContext.http', 'function-url'],
    ['REST API without path', withoutField(fixture('aws-lambda-go/apigw-request.json'), ['path']), 'path', 'rest-api'],
    ['ALB without httpMethod', withoutField(fixture('aws-lambda-go/alb-lambda-target-request-headers-only.json'), ['httpMethod']), 'httpMethod', 'alb'],
    ['ALB whose query map is a string', { ...fixture('aws-lambda-go/alb-lambda-target-request-headers-only.json'), queryStringParameters: 'q=x' }, 'queryStringParameters', 'alb'],
  ];

  it('answers 400 invalid_event naming the field, and logs it as a warning', async () => {
    for (const [what, event, field] of cases) {
      lines.length = 0;
      const res = await call(event);
      expect(res.statusCode, what).toBe(400);
      expect(bodyJson(res), what).toEqual({ error: { code: 'invalid_event', message: expect.any(String), field } });
      const log = lines.find((l) => l['msg'] === 'request');
      expect(log, what).toMatchObject({ level: 'warn', status: 400, errorCode: 'invalid_event', field });
      expect(String(log?.['invalidEvent']), what).toMatch(/not a JSON object|not an HTTP event/);
    }
    for (const [what, event, field, source] of broken) {
      lines.length = 0;
      const res = await call(event);
      expect(res.statusCode, what).toBe(400);
      const err = bodyJson<{ error: { code: string; message: string; field: string } }>(res).error;
      expect(err, what).toMatchObject({ code: 'invalid_event', field });
      expect(err.message, what).toContain(field);
      expect(lines.find((l) => l['msg'] === 'request'), what).toMatchObject({ level: 'warn', status: 400, field, source: expect.any(String) });
      if (source === 'alb') expect(res, what).toMatchObject({ statusDescription: '400 Bad Request' });
      if (source === 'rest-api') expect(res, what).toHaveProperty('multiValueHeaders');
    }
  });
});
