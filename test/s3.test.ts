import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBundleToFolder } from '../storage/local-folder.ts';
import { bundleFromFolder, bundleFromMemory, BundleSourceError } from '../storage/bundle-source.ts';
import { parsePointer, POINTER_NAME, PointerError, versionName } from '../storage/pointer.ts';
import { publishBundle } from '../storage/publish.ts';
import { getIfChanged, getObjectBytes } from '../storage/s3.ts';
import { uploadObject } from '../storage/upload.ts';
import { formatS3Uri, IndexUriError, parseIndexUri, parseS3Uri, type S3Location } from '../storage/uri.ts';
import { describeVersions, listVersions, prune, readPointer, rollback } from '../storage/versions.ts';
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
    const total = [...bundle.files.values()].reduce((s, b) => s + b.byteLength, 0);
    expect(res.bytesUploaded).toBe(total);
    expect(progress.at(-1)).toBe(total);

    for (const part of bundle.manifest.parts) {
      const head = await s3.client.send(new HeadObjectCommand({ Bucket: loc.bucket, Key: `${loc.prefix}/versions/${version}/${part.name}` }));
      expect(head.ContentLength).toBe(part.bytes);
      expect(head.Metadata?.['sha256']).toBe(part.sha256);
    }
    const pointer = await readPointer(s3.client, loc);
    expect(pointer).toMatchObject({ version, indexVersion: bundle.manifest.indexVersion, articleCount: 6, manifestKey: `${loc.prefix}/versions/${version}/manifest.json` });
  });

  it('publishes a bundle folder, refusing one whose parts do not match the manifest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'news-bundle-'));
    try {
      const bundle = await bundleOf(edition('f'), at(2));
      await writeBundleToFolder(join(dir, 'ix'), bundle.files);
      const loc = freshLocation();
      const res = await publishBundle(s3.client, loc, await bundleFromFolder(join(dir, 'ix')));
      expect((await readPointer(s3.client, loc))?.version).toBe(res.version);

      await writeFile(join(dir, 'ix', 'meta.json.gz'), new Uint8Array(bundle.manifest.parts.find((p) => p.name === 'meta.json.gz')!.bytes));
      await expect(bundleFromFolder(join(dir, 'ix'))).rejects.toThrow(/meta\.json\.gz .*SHA-256/);
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
    const res = await publishBundle(s3.client, loc, bundleFromMemory((await bundleOf(edition('x'), at(30))).files));
    await expect(rollback(s3.client, loc, '20990101T000000Z-ffff')).rejects.toThrow(PointerError);
    await expect(rollback(s3.client, loc, 'not a version')).rejects.toThrow(/not a version name/);
    const part = `${loc.prefix}/versions/${res.version}/vocab.json.gz`;
    await s3.client.send(new PutObjectCommand({ Bucket: loc.bucket, Key: part, Body: new Uint8Array(3) }));
    await expect(rollback(s3.client, loc, res.version)).rejects.toThrow(/vocab\.json\.gz has 3 bytes/);
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
