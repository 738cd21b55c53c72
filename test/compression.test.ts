import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPRESS_MIN_BYTES, negotiateEncoding } from '../core/http/compress.ts';
import { createRouter, type Router } from '../core/http/router.ts';
import { ROUTE_LIST } from '../core/http/routes.ts';
import type { ApiRequest } from '../core/http/types.ts';
import { buildBundle } from '../indexer/build-bundle.ts';
import { startLocalServer, type LocalServer } from '../local/server.ts';
import { writeBundleToFolder } from '../storage/local-folder.ts';
import { bodyText } from './helpers/body.ts';
import { article, memoryIndex } from './helpers/memory-index.ts';

/** Compression per Accept-Encoding: negotiation, what gets compressed, and the bytes on the wire. */
const ARTICLES = Array.from({ length: 40 }, (_, i) =>
  article({
    id: `oil-${i}`,
    date: `2024-0${1 + (i % 9)}-1${i % 10}`,
    title: `Oil report ${i}`,
    body: `Oil prices moved on day ${i}. Traders in ${['Paris', 'London', 'Tokyo'][i % 3]} watched supply and demand closely. `.repeat(1 + (i % 4)),
    people: i % 2 ? ['Alice Smith'] : ['Bob Jones'],
    locations: [['Paris', 'France'], ['London'], ['Tokyo', 'Japan']][i % 3] ?? [],
  }),
);

const req = (pathAndQuery: string, headers: Record<string, string> = {}, method = 'GET'): ApiRequest => {
  const [path, query = ''] = pathAndQuery.split(/\?(.*)/s);
  return { method, path: path as string, query, headers };
};
/** The body without `tookMs`, which differs between two runs of one search. */
const stable = (text: string) => JSON.stringify({ ...(JSON.parse(text) as object), tookMs: 0 });

let router: Router;
beforeAll(async () => {
  const { index } = await memoryIndex(ARTICLES);
  router = createRouter({ getIndex: async () => index });
});

describe('negotiating the coding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, deflate, br', 'br'], // browsers: equal weights, brotli preferred
    ['gzip, deflate, br, zstd', 'br'],
    ['GZIP', 'gzip'],
    ['x-gzip', 'gzip'],
    ['deflate', 'identity'],
    ['identity', 'identity'],
    ['*', 'br'],
    ['*;q=0', 'identity'],
    ['br;q=0, *', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['br;q=0.8, gzip;q=0.8', 'br'],
    ['gzip;q=1.0, br;q=0.999', 'gzip'],
    ['gzip ; q=0.5 , br ; Q=0.4', 'gzip'],
    ['gzip;q=0.5, identity;q=1', 'identity'],
    ['br, identity;q=0', 'br'],
    ['br;q=2, gzip', 'gzip'], // q above 1 is malformed: read as not acceptable
    ['br;q=abc', 'identity'],
    ['br;level=1', 'br'],
    [',,, ;q=1', 'identity'],
  ])('Accept-Encoding %j → %s', (header, coding) => {
    expect(negotiateEncoding(header)).toBe(coding);
  });
});

describe('compressed answers', () => {
  it('compresses answers of 1 kB or more as bytes with content-encoding, which decode to the same JSON', async () => {
    const plain = await router(req('/search?q=oil&limit=100'));
    expect(typeof plain.body).toBe('string');
    expect(Buffer.byteLength(plain.body)).toBeGreaterThan(COMPRESS_MIN_BYTES * 4);
    expect(plain.headers['content-encoding']).toBeUndefined();
    for (const [accept, coding, decode] of [['gzip, deflate, br', 'br', brotliDecompressSync], ['gzip', 'gzip', gunzipSync]] as const) {
      const res = await router(req('/search?q=oil&limit=100', { 'accept-encoding': accept }));
      expect(res.headers['content-encoding']).toBe(coding);
      expect(res.body).toBeInstanceOf(Uint8Array);
      const bytes = res.body as Uint8Array;
      expect(bytes.byteLength).toBeLessThan(Buffer.byteLength(plain.body) / 3);
      expect(stable(decode(bytes).toString('utf8'))).toBe(stable(plain.body as string));
      // Same validator for every coding: the ETag is weak, and Vary keeps the variants apart.
      expect(res.headers['etag']).toBe(plain.headers['etag']);
      expect(res.headers['vary']).toBe('accept-encoding');
    }
  });

  it('sends small answers as they are, with Vary still on every compressible route', async () => {
    const small = await router(req('/search?q=zzzz', { 'accept-encoding': 'br' }));
    expect(Buffer.byteLength(small.body)).toBeLessThan(COMPRESS_MIN_BYTES);
    expect([typeof small.body, small.headers['content-encoding'], small.headers['vary']]).toEqual(['string', undefined, 'accept-encoding']);
    for (const route of ROUTE_LIST) {
      const res = await router(req(route.path.replace('{id}', 'oil-1') + (route.id === 'suggest' ? '?q=oi' : ''), { 'accept-encoding': 'br' }));
      expect(res.status, route.path).toBe(200);
      expect(res.headers['vary']?.includes('accept-encoding') ?? false, route.path).toBe(route.compress);
      if (!route.compress) expect(res.headers['content-encoding'], route.path).toBeUndefined();
    }
    const doc = await router(req('/openapi.json', { 'accept-encoding': 'gzip' }));
    expect(doc.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(bodyText(doc))).toHaveProperty('openapi');
    // Errors are small: never compressed, whatever the route.
    const err = await router(req('/search?lmit=1', { 'accept-encoding': 'br' }));
    expect([err.status, typeof err.body, err.headers['content-encoding']]).toEqual([400, 'string', undefined]);
  });

  it('gives HEAD the headers GET gets, coding included, with no body', async () => {
    const headers = { 'accept-encoding': 'br' };
    const get = await router(req('/search?q=oil&limit=100', headers));
    const head = await router(req('/search?q=oil&limit=100', headers, 'HEAD'));
    expect(head.body).toBe('');
    expect(head.headers).toEqual(get.headers);
    expect(head.headers['content-encoding']).toBe('br');
  });
});

describe('the local server', () => {
  let dir: string;
  let server: LocalServer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ns-compress-'));
    await writeBundleToFolder(join(dir, 'ix'), (await buildBundle(ARTICLES)).files);
    server = await startLocalServer({ indexDir: join(dir, 'ix'), port: 0, basePath: '/v1' });
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Raw bytes and headers, with no client-side decompression. */
  const raw = (path: string, headers: Record<string, string>) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      const r = request(`${server.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      r.on('error', reject);
      r.end();
    });

  it('sends the compressed bytes as they are, under the base path too, and 304s', async () => {
    const plain = await raw('/search?q=oil&limit=100', {});
    const br = await raw('/v1/search?q=oil&limit=100', { 'accept-encoding': 'gzip, br' });
    expect([br.status, br.headers['content-encoding'], br.headers['vary']]).toEqual([200, 'br', 'accept-encoding']);
    expect(br.body.length).toBeLessThan(plain.body.length / 3);
    expect(stable(brotliDecompressSync(br.body).toString())).toBe(stable(plain.body.toString()));
    const again = await raw('/v1/search/?q=oil&limit=100&utm_source=x', { 'accept-encoding': 'gzip, br', 'if-none-match': String(br.headers['etag']) });
    expect([again.status, again.body.length, again.headers['etag']]).toEqual([304, 0, br.headers['etag']]);
  });
});
