import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, readConfig, type HandlerConfig } from '../functions/config.ts';
import { createHandler, type SearchHandler } from '../functions/search.ts';
import type { HealthResponse, SearchResponse, StoredArticle } from '../core/types.ts';
import { bundleFromMemory } from '../storage/bundle-source.ts';
import { writeBundleToFolder } from '../storage/local-folder.ts';
import { publishBundle } from '../storage/publish.ts';
import { rollback } from '../storage/versions.ts';
import type { S3Location } from '../storage/uri.ts';
import { bundleOf, edition, type Edition } from './helpers/articles.ts';
import { startLocalS3, TEST_BUCKET, type LocalS3 } from './helpers/s3rver.ts';

/** Genuine API Gateway HTTP API (payload 2.0) events, as the Lambda receives them. */
const event = (name: string): APIGatewayProxyEventV2 =>
  JSON.parse(readFileSync(new URL(`./fixtures/events/${name}.json`, import.meta.url), 'utf8')) as APIGatewayProxyEventV2;
const withQuery = (name: string, rawQueryString: string): APIGatewayProxyEventV2 => ({ ...event(name), rawQueryString });
const body = <T>(res: APIGatewayProxyStructuredResultV2) => JSON.parse(res.body ?? '') as T;

let s3: LocalS3;
let n = 0;
let minute = 0;
const freshLocation = (): S3Location => ({ kind: 's3', bucket: TEST_BUCKET, prefix: `l${++n}/index` });

async function publish(loc: S3Location, ed: Edition, keep = 5) {
  const bundle = await bundleOf(ed, `2024-06-01T10:${String(minute++ % 60).padStart(2, '0')}:00.000Z`);
  return { bundle, ...(await publishBundle(s3.client, loc, bundleFromMemory(bundle.files), { keep })) };
}

/** A fresh "container" over `loc`, with its log lines collected. */
function container(loc: S3Location, opts: { reloadSeconds?: number; s3?: LocalS3 } = {}) {
  const lines: Array<Record<string, unknown>> = [];
  const server = opts.s3 ?? s3;
  const config: HandlerConfig = { index: loc, s3: server.settings, corsOrigins: ['https://news.example.org'], reloadSeconds: opts.reloadSeconds ?? 0 };
  const handler: SearchHandler = createHandler(config, { s3: server.client, log: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) });
  return { handler, lines, requests: () => lines.filter((l) => l['msg'] === 'request') };
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
    expect(body<HealthResponse>(await handler(event('health'))).indexVersion).toBe(old.bundle.manifest.indexVersion);
  });
});

describe('failures', () => {
  it('answers 503 for a corrupted part at cold start, and recovers after a good publish', async () => {
    const loc = freshLocation();
    const { version } = await publish(loc, edition('k'));
    const key = `${loc.prefix}/versions/${version}/meta.json.gz`;
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
    await s3.client.send(new PutObjectCommand({ Bucket: loc.bucket, Key: `${loc.prefix}/versions/${next.version}/vocab.json.gz`, Body: new Uint8Array(9) }));
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
    expect(readConfig({ INDEX_URI: '/srv/index' })).toMatchObject({ index: { kind: 'folder' }, corsOrigins: ['*'], reloadSeconds: 60 });
    const bad: Array<[NodeJS.ProcessEnv, string]> = [
      [{}, 'INDEX_URI'],
      [{ INDEX_URI: 's3://Bad_Bucket/x' }, 'INDEX_URI'],
      [{ INDEX_URI: '/x', INDEX_RELOAD_SECONDS: 'soon' }, 'INDEX_RELOAD_SECONDS'],
      [{ INDEX_URI: '/x', CORS_ORIGINS: 'https://a.example/' }, 'CORS_ORIGINS'],
      [{ INDEX_URI: '/x', AWS_ENDPOINT_URL_S3: 'localhost 4569' }, 'AWS_ENDPOINT_URL_S3'],
      [{ INDEX_URI: '/x', S3_MAX_ATTEMPTS: '0' }, 'S3_MAX_ATTEMPTS'],
    ];
    for (const [env, variable] of bad) {
      expect(() => readConfig(env), variable).toThrow(ConfigError);
      expect(() => readConfig(env)).toThrow(new RegExp(`^${variable}:`));
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
