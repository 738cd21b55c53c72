import { readFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { HandlerConfig } from '../functions/config.ts';
import { createHandler } from '../functions/search.ts';
import type { HealthResponse, SearchResponse } from '../core/types.ts';
import { bundleFromMemory } from '../storage/bundle-source.ts';
import { POINTER_FORMAT } from '../storage/pointer.ts';
import { publishBundle } from '../storage/publish.ts';
import { createS3Client, type S3ClientSettings } from '../storage/s3-client.ts';
import type { S3Location } from '../storage/uri.ts';
import { describeVersions, listKeys, readPointer } from '../storage/versions.ts';
import { bundleOf, edition } from './helpers/articles.ts';
import { bodyText } from './helpers/body.ts';
import { startLocalS3, TEST_BUCKET, type LocalS3 } from './helpers/s3rver.ts';

/**
 * Storage faults against a real S3 API (s3rver on loopback) behind a fault-injecting proxy: slow
 * answers, slow bodies, throttling, cut connections, a missing pointer, a pointer to a missing
 * version, a publish interrupted part-way. The function must answer 503 quickly or keep serving
 * what it has; it must never hang until the Lambda timeout.
 */

/** What the proxy does with one request. */
type Fault =
  | 'pass'
  /** Never answers (until the test ends). */
  | 'hold'
  /** Answers 503 SlowDown, as S3 does when throttling. */
  | 'throttle'
  /** Answers 403 AccessDenied, as S3 does for a missing key without s3:ListBucket. */
  | 'deny'
  /** Sends the headers, then one body byte every 400 ms. */
  | 'drip'
  /** Sends the headers and half the body, then drops the connection. */
  | 'cut'
  /** Drops the connection without answering. */
  | 'reset';

interface Seen {
  method: string;
  key: string;
  fault: Fault;
}

interface FaultProxy {
  endpoint: string;
  seen: Seen[];
  /** Decides the fault for each request; `pass` when unset. */
  rule: (req: { method: string; key: string; attempt: number }) => Fault;
  close(): Promise<void>;
}

const xmlError = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>FAULT0001</RequestId><HostId>fault-proxy</HostId></Error>`;

/** An HTTP proxy on 127.0.0.1 in front of s3rver that injects faults per request. */
async function startFaultProxy(upstreamPort: number): Promise<FaultProxy> {
  const attempts = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const proxy: FaultProxy = {
    endpoint: '',
    seen: [],
    rule: () => 'pass',
    close: async () => {},
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const key = decodeURIComponent((req.url ?? '/').split('?')[0] as string).replace(`/${TEST_BUCKET}/`, '');
    const id = `${method} ${key}`;
    const attempt = (attempts.get(id) ?? 0) + 1;
    attempts.set(id, attempt);
    const fault = proxy.rule({ method, key, attempt });
    proxy.seen.push({ method, key, fault });
    if (fault === 'hold') return;
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault === 'throttle' || fault === 'deny') {
      req.resume();
      const [status, code, msg] = fault === 'throttle' ? [503, 'SlowDown', 'Please reduce your request rate.'] : [403, 'AccessDenied', 'Access Denied'];
      res.writeHead(status, { 'content-type': 'application/xml' });
      res.end(method === 'HEAD' ? undefined : xmlError(code, msg));
      return;
    }
    const up = request({ host: '127.0.0.1', port: upstreamPort, method, path: req.url, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      if (fault === 'pass') {
        upRes.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      upRes.on('data', (c: Buffer) => chunks.push(c));
      upRes.on('end', () => {
        const body = Buffer.concat(chunks);
        if (fault === 'cut') {
          res.write(body.subarray(0, Math.floor(body.length / 2)));
          setImmediate(() => res.socket?.destroy());
          return;
        }
        let i = 0; // drip
        const tick = () => {
          if (res.destroyed) return;
          if (i >= body.length) return void res.end();
          res.write(body.subarray(i, ++i));
          const t = setTimeout(tick, 400);
          timers.add(t);
        };
        tick();
      });
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((ok) => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      server.close(() => ok());
    });
  return proxy;
}

/** The function's timeout from serverless.yml: the bound a stuck S3 call must stay well inside. */
const LAMBDA_TIMEOUT_MS = (parse(readFileSync(new URL('../serverless.yml', import.meta.url), 'utf8')) as { provider: { timeout: number } }).provider.timeout * 1000;

const event = (name: string): APIGatewayProxyEventV2 =>
  JSON.parse(readFileSync(new URL(`./fixtures/events/${name}.json`, import.meta.url), 'utf8')) as APIGatewayProxyEventV2;
const withQuery = (rawQueryString: string): APIGatewayProxyEventV2 => ({ ...event('search-location'), rawQueryString });
const body = <T>(res: APIGatewayProxyStructuredResultV2) => JSON.parse(bodyText(res)) as T;
const errorOf = (res: APIGatewayProxyStructuredResultV2) => body<{ error: { code: string; message: string } }>(res).error;

let s3: LocalS3;
let proxy: FaultProxy;
let faulty: S3Client;
let n = 0;
let minute = 0;
/** Tight, like production's 1 s / 3 s / 3 attempts but faster: the whole call is bounded by callDeadline. */
let settings: S3ClientSettings;
const freshLocation = (): S3Location => ({ kind: 's3', bucket: TEST_BUCKET, prefix: `f${++n}/news` });

async function publish(loc: S3Location, name: string, count = 6, client = s3.client) {
  const bundle = await bundleOf(edition(name, count), `2024-07-01T10:${String(minute++ % 60).padStart(2, '0')}:00.000Z`);
  return { bundle, ...(await publishBundle(client, loc, bundleFromMemory(bundle.files), { concurrency: 4 })) };
}

/** A fresh container reading through the fault proxy. */
function container(loc: S3Location, reloadSeconds = 0) {
  const lines: Array<Record<string, unknown>> = [];
  const config: HandlerConfig = { index: loc, s3: settings, corsOrigins: ['*'], reloadSeconds };
  const handler = createHandler(config, { s3: faulty, log: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) });
  return { handler, lines };
}

/** Runs one request and how long it took (checked only against the Lambda timeout, never tightly). */
async function timed(p: Promise<APIGatewayProxyStructuredResultV2>) {
  const t0 = performance.now();
  const res = await p;
  return { res, ms: performance.now() - t0 };
}

beforeAll(async () => {
  s3 = await startLocalS3();
  proxy = await startFaultProxy(s3.port);
  settings = { ...s3.settings, endpoint: proxy.endpoint, connectTimeoutMs: 500, requestTimeoutMs: 1500, maxAttempts: 2 };
  faulty = createS3Client(settings);
});
afterEach(() => {
  proxy.rule = () => 'pass';
  proxy.seen = [];
});
afterAll(async () => {
  faulty?.destroy();
  await proxy?.close();
  await s3?.dispose();
});

describe('slow S3', () => {
  it('answers 503 within the S3 deadline, not the Lambda timeout, when S3 does not answer; recovers after', async () => {
    const deadline = (settings.connectTimeoutMs + settings.requestTimeoutMs) * settings.maxAttempts + 500 * (settings.maxAttempts - 1);
    expect(deadline).toBeLessThan(LAMBDA_TIMEOUT_MS / 2);
    const loc = freshLocation();
    await publish(loc, 'slow');
    proxy.rule = () => 'hold';
    const c = container(loc);
    const { res, ms } = await timed(c.handler(event('health')));
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['retry-after']).toBe('1');
    expect(errorOf(res)).toEqual({ code: 'index_unavailable', message: expect.stringMatching(/^the index pointer could not be read \(storage did not answer in time\)$/) });
    expect(ms).toBeLessThan(LAMBDA_TIMEOUT_MS);
    expect(proxy.seen.filter((s) => s.key.endsWith('current.json')).length).toBe(settings.maxAttempts); // retried, then gave up

    proxy.rule = () => 'pass';
    expect((await c.handler(event('health'))).statusCode).toBe(200);
  });

  it('answers 503 when a part trickles in slower than the deadline, instead of waiting for it', async () => {
    const loc = freshLocation();
    await publish(loc, 'drip');
    const c = container(loc, 3600);
    expect((await c.handler(event('health'))).statusCode).toBe(200); // meta, vocab, flex loaded; bodies not yet
    // Parts live in `parts/`, a segment's named `<segment id>.<part>`: these are the article bodies.
    proxy.rule = ({ key }) => (/\/parts\/[0-9a-f]{16}\.docs-\d+\.json\.gz$/.test(key) ? 'drip' : 'pass');
    // The hit shown needs its body (its snippet): that chunk's fetch drips.
    const { res, ms } = await timed(c.handler(withQuery('q=oil&limit=1')));
    expect(res.statusCode).toBe(503);
    expect(errorOf(res).message).toMatch(/^index part [0-9a-f]{16}\.docs-\d+\.json\.gz could not be read \(storage did not answer in time\)$/);
    expect(ms).toBeLessThan(LAMBDA_TIMEOUT_MS);
    expect(proxy.seen.some((s) => s.fault === 'drip')).toBe(true);

    proxy.rule = () => 'pass';
    // Failed chunks are not cached: once the dripping fetches have failed (a request may still join
    // one in flight and fail with it), the next request reads them again and succeeds.
    let again = await c.handler(withQuery('q=oil&limit=1'));
    for (let i = 0; i < 20 && again.statusCode === 503; i++) {
      await new Promise((r) => setTimeout(r, 250));
      again = await c.handler(withQuery('q=oil&limit=1'));
    }
    expect(again.statusCode).toBe(200);
    expect(body<SearchResponse>(again).hits).toHaveLength(1);
  });

  it('keeps serving the loaded version when the pointer check is slow', async () => {
    const loc = freshLocation();
    const { bundle } = await publish(loc, 'warm');
    const c = container(loc, 0);
    expect((await c.handler(event('health'))).statusCode).toBe(200);
    proxy.rule = ({ key }) => (key.endsWith('current.json') ? 'hold' : 'pass');
    const { res, ms } = await timed(c.handler(event('health')));
    expect(res.statusCode).toBe(200);
    expect(body<HealthResponse>(res).indexVersion).toBe(bundle.manifest.indexVersion);
    expect(ms).toBeLessThan(LAMBDA_TIMEOUT_MS);
    expect(c.lines.find((l) => l['level'] === 'warn')?.['msg']).toMatch(/reload failed; serving the loaded version/);
  });

  it('answers 503 when the connection drops mid-body, and the next request succeeds', async () => {
    const loc = freshLocation();
    await publish(loc, 'cut');
    // A body that breaks after the headers is not retried by the SDK: the request fails, the next one reads it again.
    proxy.rule = ({ key, attempt }) => (key.endsWith('meta.json.gz') && attempt === 1 ? 'cut' : 'pass');
    const c = container(loc);
    const res = await c.handler(event('health'));
    expect(res.statusCode).toBe(503);
    expect(errorOf(res).message).toMatch(/meta\.json\.gz/);
    expect((await c.handler(event('health'))).statusCode).toBe(200);
  });
});

describe('throttled S3', () => {
  it('retries SlowDown with backoff and answers the query', async () => {
    const loc = freshLocation();
    await publish(loc, 'thr');
    // Every object's first GET is throttled; the retry goes through.
    proxy.rule = ({ method, attempt }) => (method === 'GET' && attempt === 1 ? 'throttle' : 'pass');
    const c = container(loc);
    const res = await c.handler(withQuery('q=oil'));
    expect(res.statusCode).toBe(200);
    expect(body<SearchResponse>(res).total).toBe(6);
    const throttled = proxy.seen.filter((s) => s.fault === 'throttle');
    expect(throttled.length).toBeGreaterThanOrEqual(4); // pointer, manifest, meta, vocab, flex…, docs
    for (const t of throttled) expect(proxy.seen.filter((s) => s.key === t.key && s.fault === 'pass').length, t.key).toBeGreaterThanOrEqual(1);
  });

  it('answers 503 naming the throttling when it outlasts the attempts', async () => {
    const loc = freshLocation();
    await publish(loc, 'thr2');
    proxy.rule = ({ method }) => (method === 'GET' ? 'throttle' : 'pass');
    const { res, ms } = await timed(container(loc).handler(event('health')));
    expect(res.statusCode).toBe(503);
    expect(errorOf(res).message).toBe('the index pointer could not be read (storage error SlowDown)');
    expect(ms).toBeLessThan(LAMBDA_TIMEOUT_MS);
    expect(proxy.seen.length).toBe(settings.maxAttempts);
  });
});

describe('pointer faults', () => {
  it('answers 503 "no index has been published" for a missing pointer, or one S3 hides as 403', async () => {
    const missing = await container(freshLocation()).handler(event('health'));
    expect(missing.statusCode).toBe(503);
    expect(errorOf(missing).message).toMatch(/^no index has been published/);

    const loc = freshLocation();
    await publish(loc, 'deny');
    proxy.rule = ({ key }) => (key.endsWith('current.json') ? 'deny' : 'pass');
    const denied = await container(loc).handler(event('health'));
    expect(denied.statusCode).toBe(503);
    expect(errorOf(denied).message).toMatch(/^no index has been published/);
    expect(proxy.seen.filter((s) => s.fault === 'deny')).toHaveLength(1); // 403 is final, not retried
  });

  it('answers 503 for a pointer to a version that is not there; a warm container keeps its version', async () => {
    const loc = freshLocation();
    const good = await publish(loc, 'ptr');
    const warm = container(loc, 0);
    expect((await warm.handler(event('health'))).statusCode).toBe(200);

    const ghost = '20240701T235959Z-0123456789abcdef';
    const pointer = {
      format: POINTER_FORMAT,
      pointerVersion: 2,
      version: ghost,
      indexVersion: '0123456789abcdef',
      builtAt: '2024-07-01T23:59:59.000Z',
      articleCount: 6,
      publishedAt: '2024-07-02T00:00:00.000Z',
      manifestKey: `${loc.prefix}/versions/${ghost}/manifest.json`,
      manifestSha256: 'a'.repeat(64),
    };
    await s3.client.send(new PutObjectCommand({ Bucket: loc.bucket, Key: `${loc.prefix}/current.json`, Body: JSON.stringify(pointer) }));

    const cold = await container(loc).handler(event('health'));
    expect(cold.statusCode).toBe(503);
    expect(errorOf(cold).message).toBe('index part manifest.json is missing');

    const res = await warm.handler(event('health'));
    expect(res.statusCode).toBe(200);
    expect(body<HealthResponse>(res).indexVersion).toBe(good.bundle.manifest.indexVersion);
    expect(warm.lines.some((l) => l['level'] === 'warn' && /manifest\.json is missing/.test(String(l['error'])))).toBe(true);

    await s3.client.send(new PutObjectCommand({ Bucket: loc.bucket, Key: `${loc.prefix}/current.json`, Body: '{"format":' }));
    const broken = await container(loc).handler(event('health'));
    expect(broken.statusCode).toBe(503);
    expect(errorOf(broken).message).toBe('current.json is not valid JSON');

    // A pointer of the previous layout (parts beside the manifest) is refused by name, not misread.
    const manifestKey = `${loc.prefix}/versions/${good.version}/manifest.json`;
    await s3.client.send(new PutObjectCommand({ Bucket: loc.bucket, Key: `${loc.prefix}/current.json`, Body: JSON.stringify({ ...pointer, pointerVersion: 1, version: good.version, manifestKey }) }));
    const old = await container(loc).handler(event('health'));
    expect(old.statusCode).toBe(503);
    expect(errorOf(old).message).toMatch(/^current\.json is a version 1 pointer \(an index of an older format\); publish a rebuilt index/);
  });
});

describe('publish interrupted part-way', () => {
  it('leaves readers on the previous version, and the next publish succeeds', async () => {
    const loc = freshLocation();
    const v1 = await publish(loc, 'one');
    const warm = container(loc, 0);
    expect(body<HealthResponse>(await warm.handler(event('health'))).indexVersion).toBe(v1.bundle.manifest.indexVersion);

    // The connection dies after three parts of the new version were stored (parts go to `parts/`,
    // the manifest to `versions/<version>/` after them). One upload at a time: a failed publish
    // returns while uploads already started go on (mapLimit), which would make the count racy.
    const bundle2 = await bundleOf(edition('two', 4), `2024-07-01T11:${String(minute++ % 60).padStart(2, '0')}:00.000Z`);
    expect(bundle2.manifest.parts.filter((p) => p.segment !== undefined).length).toBeGreaterThan(3);
    let stored = 0;
    proxy.rule = ({ method, key }) => {
      if (method !== 'PUT' || !(key.includes('/parts/') || key.includes('/versions/'))) return 'pass';
      return ++stored <= 3 ? 'pass' : 'reset';
    };
    await expect(publishBundle(faulty, loc, bundleFromMemory(bundle2.files), { concurrency: 1 })).rejects.toThrow();
    expect(proxy.seen.filter((s) => s.fault === 'reset').length).toBeGreaterThan(0);
    proxy.rule = () => 'pass';

    expect((await readPointer(s3.client, loc))?.version).toBe(v1.version);
    const versions = await describeVersions(s3.client, loc);
    expect(versions.find((v) => v.current)?.version).toBe(v1.version);
    // No manifest was written, so there is no new version at all: only orphan parts in `parts/`.
    expect(versions.map((v) => v.version)).toEqual([v1.version]);
    const partsAt = `${loc.prefix}/parts/`;
    const inStorage = new Set((await listKeys(s3.client, loc.bucket, partsAt)).keys.map((k) => k.slice(partsAt.length)));
    // Parts with the same content as v1's (an index-wide part, say) were already there, not uploaded.
    const ofV1 = new Set(v1.bundle.manifest.parts.map((p) => p.name));
    const sharedWithV1 = bundle2.manifest.parts.filter((p) => ofV1.has(p.name)).length;
    expect(bundle2.manifest.parts.filter((p) => inStorage.has(p.name) && !ofV1.has(p.name))).toHaveLength(3);
    for (const c of [warm, container(loc)]) {
      const res = await c.handler(withQuery('q=oil'));
      expect(res.statusCode).toBe(200);
      // Every article of the previous version, and nothing else (every article holds "oil").
      expect(body<SearchResponse>(res).hits.map((h) => h.id).sort()).toEqual(edition('one').articles.map((a) => a.id));
    }

    // Running the same publish again completes the version and makes it live, uploading only the
    // parts the first attempt did not store.
    const retry = await publishBundle(faulty, loc, bundleFromMemory(bundle2.files));
    expect(retry.partsReused).toBe(3 + sharedWithV1);
    expect(retry.partsUploaded).toBe(bundle2.manifest.parts.length - retry.partsReused + 1); // + the manifest
    expect((await readPointer(s3.client, loc))?.version).toBe(retry.version);
    const res = await warm.handler(withQuery('q=oil'));
    expect(body<SearchResponse>(res).hits.map((h) => h.id).sort()).toEqual(['two-001', 'two-002', 'two-003', 'two-004']);
  });
});
