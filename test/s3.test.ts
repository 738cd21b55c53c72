import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle, type Bundle } from '../indexer/build-bundle.ts';
import { parseSearchParams, rawQueryFromString } from '../core/http/params.ts';
import { loadIndex } from '../core/search/load-index.ts';
import { search } from '../core/search/search.ts';
import type { StoredArticle } from '../core/types.ts';
import { writeBundleToFolder } from '../storage/local-folder.ts';
import { bundleFromFolder, bundleFromMemory, BundleSourceError } from '../storage/bundle-source.ts';
import { parsePointer, partsKeyPrefix, partsPrefix, POINTER_NAME, PointerError, versionName, versionPrefix } from '../storage/pointer.ts';
import { publishBundle } from '../storage/publish.ts';
import { getIfChanged, getObjectBytes, s3PartReader } from '../storage/s3.ts';
import { uploadObject } from '../storage/upload.ts';
import { formatS3Uri, IndexUriError, parseIndexUri, parseS3Uri, type S3Location } from '../storage/uri.ts';
import { describeVersions, listKeys, listVersions, PART_GRACE_MS, prune, readPointer, rollback } from '../storage/versions.ts';
import { bundleOf, edition } from './helpers/articles.ts';
import { startLocalS3, TEST_BUCKET, type LocalS3 } from './helpers/s3rver.ts';

let s3: LocalS3;
let n = 0;
/** Each test publishes under its own prefix of the one bucket. */
const freshLocation = (): S3Location => ({ kind: 's3', bucket: TEST_BUCKET, prefix: `t${++n}/news` });
const at = (minute: number) => `2024-05-01T12:${String(minute).padStart(2, '0')}:00.000Z`;

beforeAll(async () => {
  s3 = await startLocalS3();
});
afterAll(async () => {
  await s3?.dispose();
});

/** Part names under the index's `parts/`. */
async function storedParts(loc: S3Location): Promise<Set<string>> {
  const at = partsKeyPrefix(loc);
  return new Set((await listKeys(s3.client, loc.bucket, at)).keys.map((k) => k.slice(at.length)));
}

/** Keys (relative to the prefix) of the objects `run` uploads through the shared client. */
async function recordUploads<T>(loc: S3Location, run: () => Promise<T>): Promise<{ result: T; keys: string[] }> {
  const keys: string[] = [];
  const name = `recordUploads${n}`;
  s3.client.middlewareStack.add(
    (next, ctx) => async (args) => {
      const key = (args.input as { Key?: string }).Key;
      const uploads = ['PutObjectCommand', 'CreateMultipartUploadCommand', 'UploadPartCommand'];
      if (uploads.includes(ctx.commandName ?? '') && key?.startsWith(`${loc.prefix}/`)) keys.push(key.slice(loc.prefix.length + 1));
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    return { result: await run(), keys };
  } finally {
    s3.client.middlewareStack.remove(name);
  }
}

/** Searches one published version, read the way the function reads it (its manifest, the shared `parts/`). */
async function searchVersion(loc: S3Location, version: string, q = 'oil'): Promise<string[]> {
  const read = s3PartReader(s3.client, loc.bucket, { manifestKey: `${versionPrefix(loc, version)}manifest.json`, partsPrefix: partsKeyPrefix(loc) }, s3.settings);
  const res = await search(await loadIndex(read), parseSearchParams(rawQueryFromString(`q=${q}&limit=50`)));
  return res.hits.map((h) => h.id).sort();
}

/**
 * Three editions of one archive in segments of two articles (dates ascend with the article number):
 * each changes only the newest articles, so the older segments are the same objects in all of them.
 * v1: s-001…s-006; v2: s-005 revised, s-007 added; v3: s-008 added.
 */
const base = edition('s', 8).articles;
const revised = (a: StoredArticle): StoredArticle => ({ ...a, body: `${a.body} Revised with a correction.` });
const EDITIONS: StoredArticle[][] = [
  base.slice(0, 6),
  [...base.slice(0, 4), revised(base[4] as StoredArticle), ...base.slice(5, 7)],
  [...base.slice(0, 4), revised(base[4] as StoredArticle), ...base.slice(5, 8)],
];
const segmented = (articles: StoredArticle[], builtAt: string): Promise<Bundle> =>
  buildBundle(articles, { segmentSize: 2, docChunkSize: 2, now: () => new Date(builtAt), flexsearchVersion: 'test' });
const idsOf = (articles: StoredArticle[]) => articles.map((a) => a.id).sort();
const segmentIds = (b: Bundle) => new Set(b.manifest.segments.map((s) => s.id));

describe('S3 URIs', () => {
  it('parses bucket and prefix, trimming slashes', () => {
    expect(parseS3Uri('s3://my-bucket/news/reuters/')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: 'news/reuters' });
    expect(parseS3Uri('s3://my-bucket')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: '' });
    expect(formatS3Uri(parseS3Uri('s3://my-bucket/a/b'))).toBe('s3://my-bucket/a/b');
    expect(parseIndexUri('/var/index')).toEqual({ kind: 'folder', dir: '/var/index' });
  });

  it('rejects bad buckets, dot segments and other schemes', () => {
    expect(() => parseS3Uri('s3://My_Bucket/x')).toThrow(IndexUriError);
    expect(() => parseS3Uri('s3://bucket/a/../b')).toThrow(/segment/);
    expect(() => parseIndexUri('https://example.org/index')).toThrow(/only s3/);
  });
});

describe('publishBundle', () => {
  it('uploads every part under a new version, then writes the pointer last', async () => {
    const loc = freshLocation();
    const bundle = await bundleOf(edition('a'), at(1));
    const order: string[] = [];
    s3.client.middlewareStack.add(
      (next, ctx) => async (args) => {
        const key = (args.input as { Key?: string }).Key;
        if (ctx.commandName === 'PutObjectCommand' && key?.startsWith(loc.prefix)) order.push(key.slice(loc.prefix.length + 1));
        return next(args);
      },
      { step: 'initialize', name: 'recordPuts' },
    );
    const progress: number[] = [];
    let res;
    try {
      res = await publishBundle(s3.client, loc, bundleFromMemory(bundle.files), { concurrency: 3, onProgress: (p) => progress.push(p.bytesDone) });
    } finally {
      s3.client.middlewareStack.remove('recordPuts');
    }
    const version = versionName(bundle.manifest);
    expect(version).toBe(`20240501T120100Z-${bundle.manifest.indexVersion}`);
    expect(res.version).toBe(version);
    expect(order.at(-1)).toBe(POINTER_NAME);
    expect(order.at(-2)).toBe(`versions/${version}/manifest.json`);
    expect(order).toHaveLength(bundle.files.size + 1);
    // Every part (named by content, segment parts by their segment) goes to the shared `parts/`.
    expect(order.slice(0, -2).sort()).toEqual(bundle.manifest.parts.map((p) => `parts/${p.name}`).sort());
    expect(bundle.manifest.parts.filter((p) => p.segment !== undefined).every((p) => p.name.startsWith(`${p.segment}.`))).toBe(true);
    expect(res.partsUploaded).toBe(bundle.files.size); // the parts and the manifest
    expect(res.partsReused).toBe(0);
    const total = [...bundle.files.values()].reduce((s, b) => s + b.byteLength, 0);
    expect(res.bytesUploaded).toBe(total);
    expect(progress.at(-1)).toBe(total);

    for (const part of bundle.manifest.parts) {
      const head = await s3.client.send(new HeadObjectCommand({ Bucket: loc.bucket, Key: `${loc.prefix}/parts/${part.name}` }));
      expect(head.ContentLength).toBe(part.bytes);
      expect(head.Metadata?.['sha256']).toBe(part.sha256);
    }
    const pointer = await readPointer(s3.client, loc);
    expect(pointer).toMatchObject({ version, indexVersion: bundle.manifest.indexVersion, articleCount: 6, manifestKey: `${loc.prefix}/versions/${version}/manifest.json` });
    expect(partsPrefix(pointer!)).toBe(`${loc.prefix}/parts/`);
    // A version is only its manifest.
    expect((await listKeys(s3.client, loc.bucket, `${loc.prefix}/versions/`)).keys).toEqual([`${loc.prefix}/versions/${version}/manifest.json`]);
    // The function reads postings by byte range (a Range header): the bytes asked for, nothing more.
    const post = bundle.manifest.parts.find((p) => p.role === 'postings')!;
    const read = s3PartReader(s3.client, loc.bucket, { manifestKey: pointer!.manifestKey, partsPrefix: partsPrefix(pointer!) }, s3.settings);
    const whole = bundle.files.get(post.name)!;
    expect(await read(post.name, { offset: 3, length: 17 })).toEqual(whole.subarray(3, 20));
    expect(await read(post.name, post.hot)).toEqual(whole.subarray(post.hot!.offset, post.hot!.offset + post.hot!.length));
    expect(await searchVersion(loc, version, 'oil')).not.toEqual([]);
  });

  it('publishes a bundle folder, refusing one whose parts do not match the manifest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'news-bundle-'));
    try {
      const bundle = await bundleOf(edition('f'), at(2));
      await writeBundleToFolder(join(dir, 'ix'), bundle.files);
      const loc = freshLocation();
      const res = await publishBundle(s3.client, loc, await bundleFromFolder(join(dir, 'ix')));
      expect((await readPointer(s3.client, loc))?.version).toBe(res.version);

      const meta = bundle.manifest.parts.find((p) => p.role === 'meta');
      if (!meta) throw new Error('the bundle has no meta part');
      await writeFile(join(dir, 'ix', meta.name), new Uint8Array(meta.bytes));
      await expect(bundleFromFolder(join(dir, 'ix'))).rejects.toThrow(`part ${meta.name} in ${join(dir, 'ix')} failed its SHA-256 check`);
      await expect(bundleFromFolder(join(dir, 'nothing'))).rejects.toBeInstanceOf(BundleSourceError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('streams a large object as a multipart upload with progress', async () => {
    const big = new Uint8Array(11 * 1024 * 1024).map((_, i) => (i * 2654435761) >>> 24);
    const seen: number[] = [];
    const parts: string[] = [];
    s3.client.middlewareStack.add(
      (next, ctx) => async (args) => {
        parts.push(ctx.commandName ?? '');
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    try {
      await uploadObject(s3.client, TEST_BUCKET, 'big/object.bin', big, {
        contentType: 'application/octet-stream',
        cacheControl: 'no-store',
        partSize: 5 * 1024 * 1024,
        onBytes: (b) => seen.push(b),
      });
    } finally {
      s3.client.middlewareStack.remove('recordCommands');
    }
    expect(parts.filter((c) => c === 'UploadPartCommand')).toHaveLength(3);
    expect(parts).toContain('CompleteMultipartUploadCommand');
    expect(seen.at(-1)).toBe(big.byteLength);
    const back = await getObjectBytes(s3.client, TEST_BUCKET, 'big/object.bin', s3.settings);
    expect(Buffer.from(back).equals(Buffer.from(big))).toBe(true);
  });
});

describe('versions, rollback and prune', () => {
  it('lists versions newest first, rolls back, and prunes all but N without touching the current one', async () => {
    const loc = freshLocation();
    const published: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await publishBundle(s3.client, loc, bundleFromMemory((await bundleOf(edition(`v${i}`), at(10 + i))).files), { keep: 10 });
      published.push(res.version);
    }
    expect(await listVersions(s3.client, loc)).toEqual([...published].reverse());

    const back = await rollback(s3.client, loc, published[0] as string);
    expect(back).toMatchObject({ version: published[0], rolledBackFrom: published[3] });
    expect((await readPointer(s3.client, loc))?.version).toBe(published[0]);
    const listed = await describeVersions(s3.client, loc);
    expect(listed.filter((v) => v.current).map((v) => v.version)).toEqual([published[0]]);
    expect(listed).toHaveLength(published.length);
    expect(listed.every((v) => v.manifest?.articleCount === 6)).toBe(true);

    // keep 2: the current (oldest) version plus the newest other one.
    expect((await prune(s3.client, loc, 2)).sort()).toEqual(published.slice(1, 3).sort());
    expect(await listVersions(s3.client, loc)).toEqual([published[3], published[0]]);

    // Publishing with keep 1 leaves the new version only.
    const res = await publishBundle(s3.client, loc, bundleFromMemory((await bundleOf(edition('v9'), at(20))).files), { keep: 1 });
    expect(await listVersions(s3.client, loc)).toEqual([res.version]);
  });

  it('refuses to roll back to a missing or incomplete version', async () => {
    const loc = freshLocation();
    const { manifest, files } = await bundleOf(edition('x'), at(30));
    const res = await publishBundle(s3.client, loc, bundleFromMemory(files));
    const ghost = rollback(s3.client, loc, '20990101T000000Z-ffff');
    await expect(ghost).rejects.toThrow(PointerError);
    await expect(ghost).rejects.toThrow(/does not exist or was not fully published/);
    await expect(rollback(s3.client, loc, 'not a version')).rejects.toThrow(/not a version name/);

    // Its parts are checked where they live, in the shared `parts/`: one missing, then one truncated.
    const meta = manifest.parts.find((p) => p.role === 'meta');
    const vocab = manifest.parts.find((p) => p.role === 'vocab');
    if (!meta || !vocab) throw new Error('the bundle has no meta or vocab part');
    const metaKey = `${loc.prefix}/parts/${meta.name}`;
    const metaBytes = await getObjectBytes(s3.client, loc.bucket, metaKey, s3.settings);
    await s3.client.send(new DeleteObjectCommand({ Bucket: loc.bucket, Key: metaKey }));
    await expect(rollback(s3.client, loc, res.version)).rejects.toThrow(`version ${res.version} is missing part ${meta.name}`);
    await s3.client.send(new PutObjectCommand({ Bucket: loc.bucket, Key: metaKey, Body: metaBytes }));
    await s3.client.send(new PutObjectCommand({ Bucket: loc.bucket, Key: `${loc.prefix}/parts/${vocab.name}`, Body: new Uint8Array(3) }));
    await expect(rollback(s3.client, loc, res.version)).rejects.toThrow(`version ${res.version} part ${vocab.name} has 3 bytes, manifest says ${vocab.bytes}`);
    expect((await readPointer(s3.client, loc))?.rolledBackFrom).toBeUndefined(); // never switched
  });

  it('publishes a version that shares segments with the last one by uploading only its new parts', async () => {
    const loc = freshLocation();
    const [b1, b2] = [await segmented(EDITIONS[0]!, at(50)), await segmented(EDITIONS[1]!, at(51))];
    const first = await publishBundle(s3.client, loc, bundleFromMemory(b1.files));
    expect(first.partsReused).toBe(0);

    // The two oldest segments are the same in both versions; s-005's segment and the vocabulary are not.
    const shared = [...segmentIds(b2)].filter((id) => segmentIds(b1).has(id));
    expect(b1.manifest.segments).toHaveLength(3);
    expect(b2.manifest.segments).toHaveLength(4);
    expect(shared).toEqual(b1.manifest.segments.slice(0, 2).map((s) => s.id));
    const inFirst = new Set(b1.manifest.parts.map((p) => p.name));
    const reused = b2.manifest.parts.filter((p) => inFirst.has(p.name));
    const fresh = b2.manifest.parts.filter((p) => !inFirst.has(p.name));
    // Reused: every part of the shared segments (and index-wide parts with the same content, if any).
    expect(reused.filter((p) => p.segment !== undefined).map((p) => p.name).sort()).toEqual(b2.manifest.parts.filter((p) => shared.includes(p.segment ?? '')).map((p) => p.name).sort());
    expect(fresh.some((p) => p.role === 'vocab')).toBe(true);
    expect(fresh.filter((p) => p.segment !== undefined).map((p) => p.segment)).toEqual(expect.arrayContaining(b2.manifest.segments.slice(2).map((s) => s.id)));

    const { result: second, keys } = await recordUploads(loc, () => publishBundle(s3.client, loc, bundleFromMemory(b2.files)));
    expect(second.partsReused).toBe(reused.length);
    expect(second.partsReused).toBeGreaterThan(0);
    expect(second.partsUploaded).toBe(fresh.length + 1);
    // Not one byte of a shared segment is sent again: the uploads are the new parts, the manifest, the pointer.
    expect(keys.sort()).toEqual([...fresh.map((p) => `parts/${p.name}`), `versions/${second.version}/manifest.json`, POINTER_NAME].sort());
    expect(keys.some((k) => shared.some((id) => k.includes(id)))).toBe(false);
    const manifestBytes = b2.files.get('manifest.json')?.byteLength ?? 0;
    expect(second.bytesUploaded).toBe(fresh.reduce((s, p) => s + p.bytes, 0) + manifestBytes);

    // Both versions read whole from the one `parts/`, each with its own articles.
    expect(await storedParts(loc)).toEqual(new Set([...inFirst, ...fresh.map((p) => p.name)]));
    expect(await searchVersion(loc, first.version)).toEqual(idsOf(EDITIONS[0]!));
    expect(await searchVersion(loc, second.version)).toEqual(idsOf(EDITIONS[1]!));
    expect(await searchVersion(loc, first.version, 'correction')).toEqual([]);
    expect(await searchVersion(loc, second.version, 'correction')).toEqual(['s-005']);

    // Publishing the same bundle again uploads no part at all.
    const { result: third, keys: again } = await recordUploads(loc, () => publishBundle(s3.client, loc, bundleFromMemory(b2.files)));
    expect(again.filter((k) => k.startsWith('parts/'))).toEqual([]);
    expect(third.partsReused).toBe(b2.manifest.parts.length);
  });

  it('prunes the parts only pruned versions name, once older than the grace period, and rolls back to a kept version', async () => {
    const loc = freshLocation();
    const bundles = [await segmented(EDITIONS[0]!, at(52)), await segmented(EDITIONS[1]!, at(53)), await segmented(EDITIONS[2]!, at(54))];
    const versions: string[] = [];
    for (const b of bundles) versions.push((await publishBundle(s3.client, loc, bundleFromMemory(b.files), { keep: 10 })).version);
    const names = bundles.map((b) => new Set(b.manifest.parts.map((p) => p.name)));
    const [n1, n2, n3] = names as [Set<string>, Set<string>, Set<string>];
    const onlyFirst = [...n1].filter((p) => !n2.has(p) && !n3.has(p));
    const sharedWithKept = [...n1].filter((p) => n2.has(p) || n3.has(p));
    expect(onlyFirst.length).toBeGreaterThan(0); // its vocabulary and s-005's first segment
    expect(sharedWithKept.length).toBeGreaterThan(0); // the two oldest segments
    expect(await storedParts(loc)).toEqual(new Set([...n1, ...n2, ...n3]));

    // Keep 2 (the current v3 and v2): v1's manifest goes at once, but its parts are fresh, and a part
    // this young may belong to a publish in progress: the default grace keeps every one.
    expect(await prune(s3.client, loc, 2)).toEqual([versions[0]]);
    expect(await listVersions(s3.client, loc)).toEqual([versions[2], versions[1]]);
    expect(await storedParts(loc)).toEqual(new Set([...n1, ...n2, ...n3]));
    // The grace is measured from each part's LastModified: a minute short of it, they still stay.
    expect(await prune(s3.client, loc, 2, PART_GRACE_MS, Date.now() + PART_GRACE_MS - 60_000)).toEqual([]);
    expect(await storedParts(loc)).toEqual(new Set([...n1, ...n2, ...n3]));

    // With no grace: exactly the parts that only v1 named are deleted; every part v2 or v3 names stays.
    expect(await prune(s3.client, loc, 2, 0)).toEqual([]);
    expect(await storedParts(loc)).toEqual(new Set([...n2, ...n3]));
    for (const p of onlyFirst) expect(n2.has(p) || n3.has(p)).toBe(false);
    expect(await searchVersion(loc, versions[2]!)).toEqual(idsOf(EDITIONS[2]!));
    expect(await searchVersion(loc, versions[1]!)).toEqual(idsOf(EDITIONS[1]!));

    // Rolling back to the kept older version checks its parts in `parts/` and serves its articles.
    await expect(rollback(s3.client, loc, versions[0]!)).rejects.toThrow(/does not exist/);
    const back = await rollback(s3.client, loc, versions[1]!);
    expect(back).toMatchObject({ version: versions[1], rolledBackFrom: versions[2] });
    const pointer = await readPointer(s3.client, loc);
    expect(pointer?.version).toBe(versions[1]);
    const read = s3PartReader(s3.client, loc.bucket, { manifestKey: pointer!.manifestKey, partsPrefix: partsPrefix(pointer!) }, s3.settings, pointer!.manifestSha256);
    const hits = await search(await loadIndex(read), parseSearchParams(rawQueryFromString('q=oil&limit=50')));
    expect(hits.hits.map((h) => h.id).sort()).toEqual(idsOf(EDITIONS[1]!));

    // The current version is never pruned: keep 1 now drops v3 and the parts only it named (s-008's segment).
    expect(await prune(s3.client, loc, 1, 0)).toEqual([versions[2]]);
    expect(await storedParts(loc)).toEqual(n2);
    expect(await searchVersion(loc, versions[1]!)).toEqual(idsOf(EDITIONS[1]!));
  });
});

describe('conditional GET of the pointer', () => {
  it('answers unchanged (304) while the ETag matches, and the new bytes once it changes', async () => {
    const loc = freshLocation();
    await publishBundle(s3.client, loc, bundleFromMemory((await bundleOf(edition('c'), at(40))).files));
    const key = `${loc.prefix}/${POINTER_NAME}`;
    const first = await getIfChanged(s3.client, loc.bucket, key, undefined, s3.settings);
    expect(first.changed).toBe(true);
    if (!first.changed) return;
    expect(parsePointer(first.bytes).articleCount).toBe(6);
    expect(await getIfChanged(s3.client, loc.bucket, key, first.etag, s3.settings)).toEqual({ changed: false });

    await publishBundle(s3.client, loc, bundleFromMemory((await bundleOf(edition('c2', 3), at(41))).files));
    const again = await getIfChanged(s3.client, loc.bucket, key, first.etag, s3.settings);
    expect(again.changed && parsePointer(again.bytes).articleCount).toBe(3);
    const plain = await s3.client.send(new GetObjectCommand({ Bucket: loc.bucket, Key: key }));
    expect(plain.CacheControl).toBe('no-cache');
  });
});
