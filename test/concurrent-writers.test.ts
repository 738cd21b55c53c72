import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSearchParams, rawQueryFromString } from '../core/http/params.ts';
import { loadIndex } from '../core/search/load-index.ts';
import { search } from '../core/search/search.ts';
import type { SearchIndex } from '../core/search/search-index.ts';
import type { StoredArticle } from '../core/types.ts';
import { buildBundle } from '../indexer/build-bundle.ts';
import { addArticles, deleteArticles, readState, type PartIO } from '../indexer/incremental.ts';
import { commitChange } from '../ingest/commit.ts';
import { bundleFromMemory } from '../storage/bundle-source.ts';
import { folderStore, s3Store, type IndexStore } from '../storage/index-store.ts';
import { writeBundleToFolder } from '../storage/local-folder.ts';
import { partsKeyPrefix } from '../storage/pointer.ts';
import { publishBundle } from '../storage/publish.ts';
import { httpStatusOf } from '../storage/s3.ts';
import { createS3Client } from '../storage/s3-client.ts';
import type { S3Location } from '../storage/uri.ts';
import { readPointer } from '../storage/versions.ts';
import { startCasProxy, type CasProxy } from './helpers/cas-proxy.ts';
import { article } from './helpers/memory-index.ts';
import { startLocalS3, TEST_BUCKET, type LocalS3 } from './helpers/s3rver.ts';

/**
 * Concurrent writers (`add` / `delete` from several machines at once) must never lose each other's
 * changes: every writer swaps `current.json` with a compare-and-swap and rebases when it loses.
 * s3rver ignores conditional writes, so the S3 tests go through the CAS proxy, which enforces them
 * as S3 does; the proxy's own tests come first, and one test shows that without it a conflicting
 * swap "succeeds", i.e. that the proxy is what makes the rest meaningful.
 */

let s3: LocalS3;
let proxy: CasProxy;
/** Through the CAS proxy (conditional writes enforced). */
let client: S3Client;
let n = 0;
const freshLocation = (): S3Location => ({ kind: 's3', bucket: TEST_BUCKET, prefix: `cw${++n}/news` });
const params = (qs: string) => parseSearchParams(rawQueryFromString(qs));
/** Ids and tokens of letters without vowels, s or y: nothing for the stemmer to strip, all one length. */
const CODE = 'bcdfghjklmnpqrtvwxz';
const code = (i: number, width = 2) => Array.from({ length: width }, (_, k) => CODE[Math.floor(i / CODE.length ** (width - 1 - k)) % CODE.length]).join('');

beforeAll(async () => {
  s3 = await startLocalS3();
  proxy = await startCasProxy(s3.port, TEST_BUCKET);
  // Writers wait on each other at the proxy's per-key lock: allow more time than the failure tests do.
  client = createS3Client({ ...s3.settings, endpoint: proxy.endpoint, requestTimeoutMs: 20_000 });
});
afterAll(async () => {
  client?.destroy();
  await proxy?.close();
  await s3?.dispose();
});

/** Sends a PUT; returns the HTTP status, and the S3 error code when refused. */
async function put(c: S3Client, key: string, body: string, cond: { IfMatch?: string; IfNoneMatch?: string } = {}) {
  try {
    const out = await c.send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: key, Body: body, ...cond }));
    return { status: out.$metadata.httpStatusCode ?? 0, etag: out.ETag };
  } catch (err) {
    return { status: httpStatusOf(err) ?? -1, code: (err as { name?: string }).name };
  }
}
const textAt = async (key: string) => (await (await client.send(new GetObjectCommand({ Bucket: TEST_BUCKET, Key: key }))).Body?.transformToString()) ?? '';

describe('the CAS proxy', () => {
  it('refuses with 412 PreconditionFailed the conditional PUTs S3 refuses, and lets the others through', async () => {
    const key = `proxy${++n}/current.json`;
    proxy.reset();
    const created = await put(client, key, 'one', { IfNoneMatch: '*' });
    expect(created.status).toBe(200);
    expect(await put(client, key, 'again', { IfNoneMatch: '*' })).toEqual({ status: 412, code: 'PreconditionFailed' });
    const swapped = await put(client, key, 'two', { IfMatch: created.etag as string });
    expect(swapped.status).toBe(200);
    expect(await put(client, key, 'stale', { IfMatch: created.etag as string })).toEqual({ status: 412, code: 'PreconditionFailed' });
    expect(await put(client, `${key}.missing`, 'x', { IfMatch: created.etag as string })).toEqual({ status: 412, code: 'PreconditionFailed' });
    expect(await textAt(key)).toBe('two');
    // Unconditional writes are passed on as they are.
    expect((await put(client, key, 'three')).status).toBe(200);
    expect(await textAt(key)).toBe('three');
    expect([proxy.allowed, proxy.refused]).toEqual([2, 3]);
    expect(proxy.count('PUT', key)).toBe(5);
    expect(proxy.count('PUT', (k) => k.startsWith(key))).toBe(6);
    expect(proxy.count('GET', key)).toBe(2);
  });

  it('serializes conditional PUTs to one key: of 8 racing with the same ETag exactly one wins', async () => {
    const key = `proxy${++n}/current.json`;
    const first = await put(client, key, 'base', { IfNoneMatch: '*' });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => put(client, key, `writer ${i}`, { IfMatch: first.etag as string })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 412)).toHaveLength(7);
    const winner = results.findIndex((r) => r.status === 200);
    expect(await textAt(key)).toBe(`writer ${winner}`);
    // Eight racing creates: one.
    const fresh = `proxy${++n}/current.json`;
    const creates = await Promise.all(Array.from({ length: 8 }, (_, i) => put(client, fresh, `c${i}`, { IfNoneMatch: '*' })));
    expect(creates.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('is what makes the tests meaningful: straight to s3rver, stale conditional PUTs and a conflicting swap succeed', async () => {
    const key = `proxy${++n}/current.json`;
    const first = await put(s3.client, key, 'one', { IfNoneMatch: '*' });
    await put(s3.client, key, 'two', { IfMatch: first.etag as string });
    expect((await put(s3.client, key, 'stale', { IfMatch: first.etag as string })).status).toBe(200);
    expect((await put(s3.client, key, 'exists', { IfNoneMatch: '*' })).status).toBe(200);

    // Two writers start from the same live version; both swaps "succeed" and the first one's article is lost.
    const loc = freshLocation();
    await publishBundle(s3.client, loc, bundleFromMemory((await buildBundle([article({ id: 'seed', body: 'seed' })], { termShards: 2 })).files));
    const twoWriters = async (c: S3Client) => {
      const store = s3Store(c, loc);
      const live = (await store.live()) as NonNullable<Awaited<ReturnType<IndexStore['live']>>>;
      const io: PartIO = { read: (x) => store.readPart(x), write: (x, b) => store.writePart(x, b) };
      const a = await addArticles(await readState(live.manifest, io), io, [article({ id: 'from-a', body: 'alpha' })]);
      const b = await addArticles(await readState(live.manifest, io), io, [article({ id: 'from-b', body: 'bravo' })]);
      return [await store.swap(a.manifest, a.manifestBytes, live.token), await store.swap(b.manifest, b.manifestBytes, live.token)].map((r) => r.ok);
    };
    expect(await twoWriters(s3.client)).toEqual([true, true]);
    const lost = await liveIndex(loc);
    expect([...lost.ids].sort()).toEqual(['from-b', 'seed']); // from-a is gone
    // The same through the proxy: the second swap is refused (and commitChange would rebase it).
    expect(await twoWriters(client)).toEqual([true, false]);
  });
});

async function liveIndex(loc: S3Location): Promise<SearchIndex> {
  const pointer = await readPointer(client, loc);
  if (!pointer) throw new Error('nothing is live');
  const { s3PartReader } = await import('../storage/s3.ts');
  return loadIndex(s3PartReader(client, loc.bucket, { manifestKey: pointer.manifestKey, partsPrefix: partsKeyPrefix(loc) }, s3.settings));
}

interface Run {
  /** Live articles by id, as the writers made them. */
  model: Map<string, StoredArticle>;
  deleted: string[];
  commits: number;
  lost: number;
  maxAttempts: number;
  /** Folder only: commits that failed because another writer's swap removed a part they were reading (retried). */
  vanished: number;
  ms: number;
}

/**
 * A writer's store with its own cache of parts: they are content-named and immutable, so a long-lived
 * writer may keep them; `live()` and `swap()`, the compare-and-swap under test, still go to S3 every
 * time. Without it each attempt re-reads every segment's meta (100+ GETs at the end), which on this
 * shared 2-core machine pushes the test past a minute without testing anything more.
 */
function cachingParts(store: IndexStore): IndexStore {
  const parts = new Map<string, Promise<Uint8Array>>();
  return {
    ...store,
    readPart(name) {
      let p = parts.get(name);
      if (!p) {
        p = store.readPart(name);
        parts.set(name, p);
        p.catch(() => parts.delete(name));
      }
      return p;
    },
  };
}

/**
 * A folderStore swap once deleted the parts its manifest did not name at once, including the
 * index-wide parts of the version a concurrent writer had just read (ENOENT instead of a rebase;
 * regression test below). Retries after ENOENT are still counted and must stay 0.
 */
async function retryVanished<T>(run: Run, f: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await f();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || i >= 20) throw err;
      run.vanished++;
    }
  }
}

/**
 * `writers` writers at once, each committing `batches` batches of 1–3 new articles (ids and a token
 * of their own), and writers 0 and 1 deleting one of their earlier articles every 8 batches.
 */
async function race(store: () => IndexStore, writers: number, batches: number): Promise<Run> {
  const run: Run = { model: new Map(), deleted: [], commits: 0, lost: 0, maxAttempts: 0, vanished: 0, ms: 0 };
  const t0 = performance.now();
  const note = (attempts: number) => {
    run.commits++;
    run.lost += attempts - 1;
    run.maxAttempts = Math.max(run.maxAttempts, attempts);
  };
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const s = store();
      const mine: string[] = [];
      for (let b = 0; b < batches; b++) {
        const batch = Array.from({ length: 1 + ((w + b) % 3) }, (_, j) => {
          const tag = `${code(w, 1)}${code(b)}${code(j, 1)}`;
          return article({ id: `w${w}-${b}-${j}`, date: `2024-0${1 + (b % 9)}-1${w}`, title: `batch ${b}`, body: `zq${tag} oil` });
        });
        const c = await retryVanished(run, () => commitChange(s, (state, io) => addArticles(state, io, structuredClone(batch))));
        expect(c?.change.added).toBe(batch.length);
        note(c?.attempts ?? 0);
        for (const a of batch) {
          run.model.set(a.id, a);
          mine.push(a.id);
        }
        if (w < 2 && b % 8 === 7) {
          const doomed = mine.splice((b * 7) % mine.length, 1)[0] as string;
          const d = await retryVanished(run, () => commitChange(s, (state, io) => deleteArticles(state, io, [doomed])));
          expect(d?.change.deleted).toBe(1);
          note(d?.attempts ?? 0);
          run.model.delete(doomed);
          run.deleted.push(doomed);
        }
      }
    }),
  );
  run.ms = Math.round(performance.now() - t0);
  return run;
}

/** Every added, not deleted, article is live exactly once, and found by its token alone; deleted ones are gone. */
async function expectEveryArticleOnce(index: SearchIndex, run: Run, seed: string[]) {
  expect(index.ids.length).toBe(run.model.size + seed.length);
  expect(new Set(index.ids)).toEqual(new Set([...run.model.keys(), ...seed]));
  expect(index.manifest.articleCount).toBe(index.ids.length);
  for (const a of run.model.values()) {
    const token = a.body.split(' ')[0] as string;
    const res = await search(index, params(`q=${token}%20&correct=false`));
    expect(res.hits.map((h) => h.id), token).toEqual([a.id]);
  }
  for (const id of run.deleted) expect(await index.article(id)).toBeUndefined();
}

const report = (where: string, writers: number, batches: number, r: Run) =>
  console.log(
    `concurrent writers (${where}): ${writers} writers × ${batches} batches, ${r.commits} commits, ${r.lost} lost races (attempts − 1), ` +
      `max ${r.maxAttempts} attempts for one commit, ${r.model.size} articles live, ${r.deleted.length} deleted, ` +
      `${r.vanished} commits retried after ENOENT (folderStore bug), ${r.ms} ms`,
  );

describe('concurrent writers', () => {
  const seedArticles = [article({ id: 'seed-1', date: '2024-01-01', body: 'oil seed' }), article({ id: 'seed-2', date: '2024-01-02', body: 'oil seed' })];

  it('4 writers × 25 batches on S3 (behind the CAS proxy): every article lands exactly once', { timeout: 90_000 }, async () => {
    const loc = freshLocation();
    await publishBundle(client, loc, bundleFromMemory((await buildBundle(seedArticles, { segmentSize: 2, termShards: 2 })).files));
    proxy.reset();
    const run = await race(() => cachingParts(s3Store(client, loc)), 4, 25);
    report(`S3 + CAS proxy, ${proxy.count('GET')} GETs and ${proxy.count('PUT')} PUTs`, 4, 25, run);
    expect(run.commits).toBe(100 + 6);
    expect(run.vanished).toBe(0);
    // Every lost race is one refused conditional PUT of current.json; every commit one allowed.
    expect(proxy.refused).toBe(run.lost);
    expect(proxy.allowed).toBe(run.commits);
    expect(proxy.count('PUT', `${loc.prefix}/current.json`)).toBe(run.commits + run.lost);
    await expectEveryArticleOnce(await liveIndex(loc), run, seedArticles.map((a) => a.id));
  });

  it('3 writers × 25 batches on a folder: every article lands exactly once', { timeout: 90_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'news-cw-'));
    try {
      await writeBundleToFolder(dir, (await buildBundle(seedArticles, { segmentSize: 2, termShards: 2 })).files);
      const run = await race(() => folderStore(dir), 3, 25);
      report('folder', 3, 25, run);
      const store = folderStore(dir);
      // Every part the live manifest names is there (a swap's clean-up removed none of its own).
      const live = (await store.live())?.manifest;
      expect(live).toBeDefined();
      const missing = await Promise.all((live?.parts ?? []).map((p) => store.readPart(p.name).then(() => null, () => p.name)));
      expect(missing.filter(Boolean)).toEqual([]);
      await expectEveryArticleOnce(await loadIndex((name) => store.readPart(name)), run, seedArticles.map((a) => a.id));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('folderStore: a writer whose live version was replaced while it read rebases instead of failing with ENOENT', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'news-cw-'));
    try {
      await writeBundleToFolder(dir, (await buildBundle(seedArticles, { termShards: 2 })).files);
      const inner = folderStore(dir);
      let first = true;
      // Writer A reads the live version; writer B commits before A reads that version's parts.
      const a: IndexStore = {
        ...inner,
        async live() {
          const l = await inner.live();
          if (first) {
            first = false;
            await commitChange(folderStore(dir), (state, io) => addArticles(state, io, [article({ id: 'from-b', body: 'bravo' })]));
          }
          return l;
        },
      };
      // Throws ENOENT: B's swap deleted the stats/entities parts of the version A started from.
      const c = await commitChange(a, (state, io) => addArticles(state, io, [article({ id: 'from-a', body: 'alpha' })]));
      expect(c?.attempts).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
