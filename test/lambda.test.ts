import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, readConfig, type HandlerConfig } from '../functions/config.ts';
import type { LogLevel } from '../functions/log.ts';
import { createHandler, type SearchHandler } from '../functions/search.ts';
import type { HealthResponse, SearchResponse, StoredArticle } from '../core/types.ts';
import { bundleFromMemory } from '../storage/bundle-source.ts';
import { writeBundleToFolder } from '../storage/local-folder.ts';
import { publishBundle } from '../storage/publish.ts';
import { rollback } from '../storage/versions.ts';
import type { S3Location } from '../storage/uri.ts';
import { bundleOf, edition, type Edition } from './helpers/articles.ts';
import { bodyText } from './helpers/body.ts';
import { startLocalS3, TEST_BUCKET, type LocalS3 } from './helpers/s3rver.ts';

/** Genuine API Gateway HTTP API (payload 2.0) events, as the Lambda receives them. */
const event = (name: string): APIGatewayProxyEventV2 =>
  JSON.parse(readFileSync(new URL(`./fixtures/events/${name}.json`, import.meta.url), 'utf8')) as APIGatewayProxyEventV2;
const withQuery = (name: string, rawQueryString: string): APIGatewayProxyEventV2 => ({ ...event(name), rawQueryString });
const body = <T>(res: APIGatewayProxyStructuredResultV2) => JSON.parse(bodyText(res)) as T;

/** An Embedded Metric Format line, as CloudWatch Logs reads it. */
interface Emf {
  _aws: { Timestamp: number; CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
  [key: string]: unknown;
}

let s3: LocalS3;
let n = 0;
let minute = 0;
const freshLocation = (): S3Location => ({ kind: 's3', bucket: TEST_BUCKET, prefix: `l${++n}/index` });

async function publish(loc: S3Location, ed: Edition, keep = 5) {
  const bundle = await bundleOf(ed, `2024-06-01T10:${String(minute++ % 60).padStart(2, '0')}:00.000Z`);
  return { bundle, ...(await publishBundle(s3.client, loc, bundleFromMemory(bundle.files), { keep })) };
}

/** A fresh "container" over `loc`, with its log lines collected. */
function container(loc: S3Location, opts: { reloadSeconds?: number; s3?: LocalS3; logLevel?: LogLevel } = {}) {
  const lines: Array<Record<string, unknown>> = [];
  const server = opts.s3 ?? s3;
  const config: HandlerConfig = {
    index: loc,
    s3: server.settings,
    corsOrigins: ['https://news.example.org'],
    reloadSeconds: opts.reloadSeconds ?? 0,
    logLevel: opts.logLevel,
    functionName: 'news-search-test-search',
  };
  const handler: SearchHandler = createHandler(config, { s3: server.client, log: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) });
  return { handler, lines, requests: () => lines.filter((l) => l['msg'] === 'request'), metrics: () => lines.filter((l) => '_aws' in l) as Emf[] };
}

beforeAll(async () => {
  s3 = await startLocalS3();
});
afterAll(async () => {
  await s3?.dispose();
});

describe('search function over a published index', () => {
  it('serves search, articles and health from real API Gateway events', async () => {
    const loc = freshLocation();
    const { bundle } = await publish(loc, edition('r'));
    const c = container(loc);

    const search = await c.handler(event('search-repeated-person'), { awsRequestId: 'lambda-req-1' });
    expect(search.statusCode).toBe(200);
    expect(search.headers?.['access-control-allow-origin']).toBe('https://news.example.org');
    const found = body<SearchResponse>(search);
    // Both people (repeated parameter read from rawQueryString, not the comma-joined map).
    expect(found.hits.map((h) => h.id).sort()).toEqual(['r-001', 'r-004']); // non-empty, so the loop below checks both
    for (const h of found.hits) expect(h.people, h.id).toEqual(expect.arrayContaining(['Alice Smith', 'Bob Jones']));

    const paris = body<SearchResponse>(await c.handler(event('search-location')));
    expect(paris.hits.map((h) => h.id)).toEqual(['r-005', 'r-003', 'r-001']);

    const article = await c.handler(event('article'));
    expect(article.statusCode).toBe(200);
    expect(body<StoredArticle>(article)).toMatchObject({ id: 'r-002', title: 'r report 2: oil and markets', locations: ['London'] });
    expect((await c.handler(event('article-missing'))).statusCode).toBe(404);

    const health = body<HealthResponse>(await c.handler(event('health')));
    expect(health).toMatchObject({ status: 'ok', indexVersion: bundle.manifest.indexVersion, articleCount: 6 });

    const [first] = c.requests();
    expect(first).toMatchObject({
      level: 'info',
      requestId: 'Jc9xAi1aIAMEV3w=',
      awsRequestId: 'lambda-req-1',
      route: '/search',
      status: 200,
      coldStart: true,
      indexVersion: bundle.manifest.indexVersion,
    });
    expect(typeof first?.['ms']).toBe('number');
    expect(c.requests()[1]?.['coldStart']).toBe(false);
  });

  it('answers bad requests with 400 and a field', async () => {
    const loc = freshLocation();
    await publish(loc, edition('b'));
    const { handler } = container(loc);
    const cases: Array<[string, string, string]> = [
      ['search-unknown-param', 'unknown_parameter', 'lmit'],
      ['search-bad-date', 'invalid_parameter', 'from'],
      ['search-repeated-limit', 'invalid_parameter', 'limit'],
    ];
    for (const [name, code, field] of cases) {
      const res = await handler(event(name));
      expect(res.statusCode, name).toBe(400);
      const err = body<{ error: { code: string; message: string; field: string } }>(res).error;
      expect(err).toMatchObject({ code, field });
      expect(err.message.length).toBeGreaterThan(0);
    }
  });
});

describe('publishing while serving', () => {
  it('answers every request from one whole version while new versions go live', async () => {
    const loc = freshLocation();
    const editions = [edition('p', 6), edition('q', 5), edition('s', 7)];
    const sizes = new Map(editions.map((e) => [e.name, e.articles.length]));
    await publish(loc, editions[0] as Edition);
    const { handler, lines } = container(loc, { reloadSeconds: 0 });

    let publishing = true;
    const seen = new Set<string>();
    const check = async () => {
      while (publishing) {
        const [res, health] = await Promise.all([handler(withQuery('search-location', 'q=oil&limit=100')), handler(event('health'))]);
        const found = body<SearchResponse>(res);
        expect(found.hits.length).toBeGreaterThan(0);
        const name = found.hits[0]?.id.split('-')[0] as string;
        seen.add(name);
        // Ids, count and snippets (read lazily from doc chunks) all belong to the same edition.
        expect(found.total).toBe(sizes.get(name));
        expect(found.hits).toHaveLength(found.total); // limit=100: every hit of the edition is checked
        for (const h of found.hits) {
          expect(h.id).toMatch(new RegExp(`^${name}-\\d{3}$`));
          expect(h.snippet.includes(`Edition ${name}.`) || h.snippet.includes(`${name} closes`), `${h.id}: ${h.snippet}`).toBe(true);
        }
        expect([5, 6, 7]).toContain(body<HealthResponse>(health).articleCount);
        // A warm request can finish without I/O; yield so S3 replies (and the publisher) get a turn.
        await new Promise((r) => setImmediate(r));
      }
    };
    // Settled at once: a reader's failed expect is this test's failure (re-thrown by `await readers`),
    // not an unhandled rejection reported beside it while publishing goes on.
    const readers = Promise.allSettled([check(), check(), check()]);
    try {
      for (const ed of [...editions.slice(1), editions[0] as Edition, editions[1] as Edition]) {
        await publish(loc, ed);
        await new Promise((r) => setTimeout(r, 60));
      }
    } finally {
      publishing = false;
    }
    for (const r of await readers) if (r.status === 'rejected') throw r.reason;
    expect(seen.size).toBeGreaterThanOrEqual(2);
    expect(lines.some((l) => l['msg'] === 'index swapped')).toBe(true);
  });

  it('waits INDEX_RELOAD_SECONDS before looking for a new version', async () => {
    const loc = freshLocation();
    await publish(loc, edition('w1'));
    const { handler } = container(loc, { reloadSeconds: 3600 });
    expect(body<HealthResponse>(await handler(event('health'))).articleCount).toBe(6);
    await publish(loc, edition('w2', 2));
    expect(body<HealthResponse>(await handler(event('health'))).articleCount).toBe(6);
    expect(body<HealthResponse>(await container(loc).handler(event('health'))).articleCount).toBe(2);
  });

  it('follows a rollback', async () => {
    const loc = freshLocation();
    const old = await publish(loc, edition('o1', 4));
    await publish(loc, edition('o2', 3));
    const { handler } = container(loc);
    expect(body<HealthResponse>(await handler(event('health'))).articleCount).toBe(3);
    await rollback(s3.client, loc, old.version);
    // s3rver may answer the pointer's PUT before its file is on disk (S3 is read-after-write): the
    // function follows within a few checks.
    await expect.poll(async () => body<HealthResponse>(await handler(event('health'))).indexVersion, { timeout: 5000, interval: 50 }).toBe(old.bundle.manifest.indexVersion);
  });
});

describe('failures', () => {
  it('answers 503 for a corrupted part at cold start, and recovers after a good publish', async () => {
    const loc = freshLocation();
    const { bundle } = await publish(loc, edition('k'));
    const meta = bundle.manifest.parts.find((p) => p.role === 'meta');
    expect(meta?.name).toMatch(/^[0-9a-f]{16}\.meta\.json\.gz$/);
    const key = `${loc.prefix}/parts/${meta?.name}`;
    const bad = new Uint8Array(200).fill(7);
    await s3.client.send(new PutObjectCommand({ Bucket: loc.bucket, Key: key, Body: bad }));

    const { handler, requests } = container(loc);
    const res = await handler(event('health'));
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['retry-after']).toBe('1');
    expect(body(res)).toEqual({ error: { code: 'index_unavailable', message: expect.stringMatching(/meta\.json\.gz/) } });
    expect(requests()[0]).toMatchObject({ level: 'error', status: 503, errorCode: 'index_unavailable' });
    // Not cached: still failing while S3 still holds the bad part, fine once a good version is live.
    expect((await handler(event('health'))).statusCode).toBe(503);
    await publish(loc, edition('k2', 2));
    const ok = await handler(event('health'));
    expect(ok.statusCode).toBe(200);
    expect(body<HealthResponse>(ok).articleCount).toBe(2);
  });

  it('keeps serving a good index when a newer version turns out corrupt', async () => {
    const loc = freshLocation();
    await publish(loc, edition('g'));
    const { handler, lines } = container(loc);
    expect(body<HealthResponse>(await handler(event('health'))).articleCount).toBe(6);

    const next = await publish(loc, edition('h', 3));
    // A part of the new version's own segment (h shares no article with g, so no segment either).
    // Not its vocabulary: loadIndex leaves a failed vocab read unhandled while segment metas load.
    const meta = next.bundle.manifest.parts.find((p) => p.role === 'meta');
    if (!meta?.segment) throw new Error('the bundle has no segment meta part');
    expect(meta.name.startsWith(`${meta.segment}.`)).toBe(true);
    await s3.client.send(new PutObjectCommand({ Bucket: loc.bucket, Key: `${loc.prefix}/parts/${meta.name}`, Body: new Uint8Array(9) }));
    const res = await handler(withQuery('search-location', 'q=oil'));
    expect(res.statusCode).toBe(200);
    expect(body<SearchResponse>(res).hits.map((h) => h.id).sort()).toEqual(edition('g').articles.map((a) => a.id)); // all of g, none of h
    expect(lines.find((l) => l['level'] === 'warn')?.['msg']).toMatch(/reload failed/);

    await publish(loc, edition('i', 2));
    expect(body<HealthResponse>(await handler(event('health'))).articleCount).toBe(2);
  });

  it('answers 503 with a JSON body while S3 is down at cold start, and recovers when it is back', async () => {
    const own = await startLocalS3();
    try {
      const loc: S3Location = { kind: 's3', bucket: TEST_BUCKET, prefix: 'down/index' };
      const bundle = await bundleOf(edition('d'), '2024-06-02T00:00:00.000Z');
      await publishBundle(own.client, loc, bundleFromMemory(bundle.files));
      await own.stop();

      const { handler } = container(loc, { s3: own });
      const t0 = performance.now();
      const res = await handler(event('health'));
      expect(performance.now() - t0).toBeLessThan(5000);
      expect(res.statusCode).toBe(503);
      expect(res.headers?.['content-type']).toMatch(/^application\/json/);
      expect(body(res)).toEqual({ error: { code: 'index_unavailable', message: expect.stringMatching(/could not be read/) } });

      await own.start();
      const ok = await handler(event('health'));
      expect(ok.statusCode).toBe(200);
      expect(body<HealthResponse>(ok).indexVersion).toBe(bundle.manifest.indexVersion);
    } finally {
      await own.dispose();
    }
  });

  it('answers 503 when nothing has been published yet', async () => {
    const res = await container(freshLocation()).handler(event('health'));
    expect(res.statusCode).toBe(503);
    expect(body<{ error: { message: string } }>(res).error.message).toMatch(/no index has been published/);
  });
});

describe('configuration', () => {
  it('reads and validates environment variables, naming the bad one', () => {
    expect(readConfig({ INDEX_URI: 's3://bucket-1/news', CORS_ORIGINS: 'https://a.example, https://b.example', INDEX_RELOAD_SECONDS: '30' })).toMatchObject({
      index: { kind: 's3', bucket: 'bucket-1', prefix: 'news' },
      corsOrigins: ['https://a.example', 'https://b.example'],
      reloadSeconds: 30,
      s3: { connectTimeoutMs: 1000, requestTimeoutMs: 3000, maxAttempts: 3 },
    });
    expect(readConfig({ INDEX_URI: '/srv/index' })).toMatchObject({ index: { kind: 'folder' }, corsOrigins: ['*'], reloadSeconds: 60, logLevel: 'info', functionName: 'news-search' });
    expect(readConfig({ INDEX_URI: '/x', LOG_LEVEL: ' WARN ', AWS_LAMBDA_FUNCTION_NAME: 'news-search-prod-search' })).toMatchObject({ logLevel: 'warn', functionName: 'news-search-prod-search' });
    const bad: Array<[NodeJS.ProcessEnv, string]> = [
      [{}, 'INDEX_URI'],
      [{ INDEX_URI: 's3://Bad_Bucket/x' }, 'INDEX_URI'],
      [{ INDEX_URI: '/x', INDEX_RELOAD_SECONDS: 'soon' }, 'INDEX_RELOAD_SECONDS'],
      [{ INDEX_URI: '/x', CORS_ORIGINS: 'https://a.example/' }, 'CORS_ORIGINS'],
      [{ INDEX_URI: '/x', AWS_ENDPOINT_URL_S3: 'localhost 4569' }, 'AWS_ENDPOINT_URL_S3'],
      [{ INDEX_URI: '/x', S3_MAX_ATTEMPTS: '0' }, 'S3_MAX_ATTEMPTS'],
      [{ INDEX_URI: '/x', LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'],
      [{ INDEX_URI: '/x', LOG_LEVEL: 'warning' }, 'LOG_LEVEL'],
      [{ INDEX_URI: '/x', BASE_PATH: '/v1/../x' }, 'BASE_PATH'],
      [{ INDEX_URI: '/x', BASE_PATH: '/v 1' }, 'BASE_PATH'],
    ];
    for (const [env, variable] of bad) {
      expect(() => readConfig(env), variable).toThrow(ConfigError);
      expect(() => readConfig(env)).toThrow(new RegExp(`^${variable}:`));
    }
  });

  it('serves under BASE_PATH and sends a Cache-Control that follows INDEX_RELOAD_SECONDS', async () => {
    expect(readConfig({ INDEX_URI: '/x', BASE_PATH: 'v1/' }).basePath).toBe('/v1');
    expect(readConfig({ INDEX_URI: '/x' }).basePath).toBe('');
    const dir = await mkdtemp(join(tmpdir(), 'news-fn-'));
    try {
      const bundle = await bundleOf(edition('base'), '2024-06-03T00:00:00.000Z');
      await writeBundleToFolder(dir, bundle.files);
      const handler = createHandler(readConfig({ INDEX_URI: dir, BASE_PATH: '/v1', INDEX_RELOAD_SECONDS: '30' }), { log: () => {} });
      const plain = event('search-repeated-person');
      const res = await handler({ ...plain, rawPath: '/v1/search' });
      expect(res.statusCode).toBe(200);
      expect(body<SearchResponse>(res).hits.map((h) => h.id).sort()).toEqual(['base-001', 'base-004']);
      expect(String(res.headers?.['cache-control'])).toMatch(/max-age=30\b/);
      const elsewhere = await handler({ ...plain, rawPath: '/v2/search' });
      expect(elsewhere.statusCode).toBe(404);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('serves a local index folder without S3', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'news-fn-'));
    try {
      const bundle = await bundleOf(edition('loc'), '2024-06-03T00:00:00.000Z');
      await writeBundleToFolder(dir, bundle.files);
      const handler = createHandler(readConfig({ INDEX_URI: dir }), { log: () => {} });
      const res = await handler(event('search-repeated-person'));
      expect(res.statusCode).toBe(200);
      expect(body<SearchResponse>(res).hits.map((h) => h.id).sort()).toEqual(['loc-001', 'loc-004']);
      expect(res.headers?.['access-control-allow-origin']).toBe('*');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('metrics and logs', () => {
  /** Checks one EMF line the way CloudWatch would read it: every declared metric and dimension has its value. */
  function checkEmf(m: Emf): Record<string, number> {
    expect(Object.keys(m._aws)).toEqual(['Timestamp', 'CloudWatchMetrics']);
    expect(Math.abs(m._aws.Timestamp - Date.now())).toBeLessThan(60_000);
    expect(m._aws.CloudWatchMetrics).toHaveLength(1);
    const [d] = m._aws.CloudWatchMetrics;
    expect(d?.Namespace).toBe('NewsSearch');
    expect(d?.Dimensions).toEqual([['FunctionName']]);
    expect(m['FunctionName']).toBe('news-search-test-search');
    const values: Record<string, number> = {};
    for (const { Name, Unit } of d?.Metrics ?? []) {
      expect(['Milliseconds', 'Count', 'Bytes'], Name).toContain(Unit);
      expect(typeof m[Name], Name).toBe('number');
      values[Name] = m[Name] as number;
    }
    return values;
  }

  it('writes one EMF line per request: latency, cold start, index load time, cache hits, bytes read from S3, 4xx and 5xx', async () => {
    const loc = freshLocation();
    const { bundle } = await publish(loc, edition('m'));
    const c = container(loc, { reloadSeconds: 3600 });
    await c.handler(withQuery('search-location', 'q=oil'), { awsRequestId: 'm-1' }); // cold: index, shard and article chunks
    await c.handler(withQuery('search-location', 'q=oil')); // warm: all in memory
    await c.handler(event('search-unknown-param')); // 400 before the index is touched
    await c.handler({ version: '2.0' }); // not an event it can read: 400
    const lines = c.metrics();
    expect(lines).toHaveLength(4);
    const [cold, warm, bad, invalid] = lines.map(checkEmf) as [Record<string, number>, Record<string, number>, Record<string, number>, Record<string, number>];

    expect(Object.keys(cold).sort()).toEqual(['4xx', '5xx', 'ColdStart', 'IndexBytesRead', 'IndexCacheHit', 'IndexLoadTime', 'IndexPartReads', 'Latency']);
    expect(cold).toMatchObject({ ColdStart: 1, '4xx': 0, '5xx': 0, IndexCacheHit: 0 });
    expect(cold['Latency']).toBeGreaterThan(0);
    expect(cold['IndexLoadTime']).toBeGreaterThanOrEqual(0);
    // Loaded at start: manifest, meta, vocab (plus the pointer); then a term shard and article chunks.
    const size = (name: string) => bundle.files.get(name)?.byteLength ?? 0;
    const atStart = size('manifest.json') + size('meta.json.gz') + size('vocab.json.gz');
    const all = [...bundle.files.values()].reduce((sum, b) => sum + b.byteLength, 0);
    expect(cold['IndexPartReads']).toBeGreaterThanOrEqual(4);
    expect(cold['IndexBytesRead']).toBeGreaterThan(atStart);
    expect(cold['IndexBytesRead']).toBeLessThan(all + 1024); // every part at most once, plus the pointer
    expect(lines[0]).toMatchObject({ route: '/search', status: 200, source: 'http-api', requestId: event('search-location').requestContext.requestId });

    expect(warm).toMatchObject({ ColdStart: 0, IndexPartReads: 0, IndexBytesRead: 0, IndexCacheHit: 1 });
    expect(warm).not.toHaveProperty('IndexLoadTime');
    expect(bad).toMatchObject({ '4xx': 1, '5xx': 0, IndexPartReads: 0 });
    expect(bad).not.toHaveProperty('IndexCacheHit'); // it never read the index
    expect(invalid).toMatchObject({ '4xx': 1, '5xx': 0 });

    const down = container(freshLocation()); // nothing published: 503
    await down.handler(event('health'));
    expect(checkEmf(down.metrics()[0] as Emf)).toMatchObject({ '5xx': 1, '4xx': 0, ColdStart: 1 });
  });

  it('filters logs by LOG_LEVEL, never the metrics', async () => {
    const loc = freshLocation();
    await publish(loc, edition('lv'));
    const run = async (logLevel: LogLevel) => {
      const c = container(loc, { logLevel });
      await c.handler(event('health')); // 200: info
      await c.handler({ requestContext: {} }); // invalid event: warn
      await c.handler(event('search-bad-date')); // 400: info
      return { levels: c.lines.filter((l) => !('_aws' in l)).map((l) => `${String(l['level'])} ${String(l['msg'])}`), metrics: c.metrics().length };
    };
    expect(await run('debug')).toEqual({ levels: ['info index loaded', 'info request', 'warn request', 'info request'], metrics: 3 });
    expect(await run('info')).toEqual({ levels: ['info index loaded', 'info request', 'warn request', 'info request'], metrics: 3 });
    expect(await run('warn')).toEqual({ levels: ['warn request'], metrics: 3 });
    expect(await run('error')).toEqual({ levels: [], metrics: 3 });

    const failing = container(freshLocation(), { logLevel: 'error' });
    await failing.handler(event('health')); // 503
    expect(failing.requests()).toEqual([expect.objectContaining({ level: 'error', status: 503, errorCode: 'index_unavailable' })]);
  });
});
