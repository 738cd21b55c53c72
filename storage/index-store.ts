import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_NAME, parseManifest, type Manifest } from '../core/format/format.ts';
import { sha256Hex } from '../core/format/codec.ts';
import { makePointer, parsePointer, partsKeyPrefix, POINTER_NAME, versionName, versionPrefix } from './pointer.ts';
import { getObjectBytes, httpStatusOf, isNotFound, type CallLimits } from './s3.ts';
import { deleteKeys, listKeys, PART_GRACE_MS } from './versions.ts';
import { s3Key, type S3Location } from './uri.ts';
import { partContentType } from './publish.ts';

/**
 * A published index as writers see it (`add`, `delete`, `compact`): read the live version, write
 * content-named parts, and make a new manifest live **only if the live version is still the one the
 * writer started from** (compare-and-swap), so concurrent writers never lose each other's changes:
 * the loser re-reads and tries again. On S3 the swap is a conditional PUT of `current.json`
 * (`If-Match` its ETag, or `If-None-Match: *` when there is none); in a folder, a lock directory
 * around a compare of the manifest's hash and a rename.
 */
export interface IndexStore {
  /** Where it is, for messages. */
  readonly where: string;
  /** The live version, with the token `swap` compares against; null when nothing is published. */
  live(): Promise<{ manifest: Manifest; token: string; version: string } | null>;
  readPart(name: string): Promise<Uint8Array>;
  /** Writes a part (content-named: writing it twice is harmless). */
  writePart(name: string, bytes: Uint8Array): Promise<void>;
  /** Makes `manifestBytes` live if the live version's token is still `token` (null: nothing live); false if another writer got there first. */
  swap(manifest: Manifest, manifestBytes: Uint8Array, token: string | null): Promise<{ ok: true; version: string } | { ok: false }>;
  /** Deletes parts at once (a purge), whatever version names them; returns the keys or paths removed. */
  removeParts(names: readonly string[]): Promise<string[]>;
  /**
   * Deletes every version except the live one that names any of these parts (a purge: no copy is
   * left to roll back to); returns them and the other parts only they named (their vocabularies and
   * statistics still hold the purged words), for `removeParts`.
   */
  dropVersionsNaming(parts: ReadonlySet<string>): Promise<{ versions: string[]; orphans: string[] }>;
}

const WRITE_LIMITS: CallLimits = { connectTimeoutMs: 5_000, requestTimeoutMs: 60_000, maxAttempts: 3 };

export function s3Store(client: S3Client, loc: S3Location): IndexStore {
  const pointerKey = s3Key(loc, POINTER_NAME);
  const partsAt = partsKeyPrefix(loc);
  return {
    where: `s3://${loc.bucket}/${loc.prefix}`,
    async live() {
      let bytes: Uint8Array;
      let etag: string;
      try {
        const { GetObjectCommand } = await import('@aws-sdk/client-s3');
        const out = await client.send(new GetObjectCommand({ Bucket: loc.bucket, Key: pointerKey }));
        bytes = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
        etag = out.ETag ?? '';
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
      const pointer = parsePointer(bytes);
      const manifestBytes = await getObjectBytes(client, loc.bucket, pointer.manifestKey, WRITE_LIMITS);
      if (sha256Hex(manifestBytes) !== pointer.manifestSha256) throw new Error(`the live manifest of ${pointer.version} failed its SHA-256 check`);
      return { manifest: parseManifest(manifestBytes), token: etag, version: pointer.version };
    },
    readPart: (name) => getObjectBytes(client, loc.bucket, partsAt + name, WRITE_LIMITS),
    async writePart(name, bytes) {
      await client.send(
        new PutObjectCommand({ Bucket: loc.bucket, Key: partsAt + name, Body: bytes, ContentLength: bytes.byteLength, ContentType: partContentType(name), CacheControl: 'public, max-age=31536000, immutable' }),
      );
    },
    async swap(manifest, manifestBytes, token) {
      const version = versionName(manifest);
      await client.send(
        new PutObjectCommand({ Bucket: loc.bucket, Key: versionPrefix(loc, version) + MANIFEST_NAME, Body: manifestBytes, ContentLength: manifestBytes.byteLength, ContentType: 'application/json', CacheControl: 'public, max-age=31536000, immutable' }),
      );
      const pointer = makePointer(loc, version, manifest, sha256Hex(manifestBytes), new Date());
      const body = new TextEncoder().encode(JSON.stringify(pointer, null, 2));
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: loc.bucket,
            Key: pointerKey,
            Body: body,
            ContentLength: body.byteLength,
            ContentType: 'application/json',
            CacheControl: 'no-cache',
            ...(token === null ? { IfNoneMatch: '*' } : { IfMatch: token }),
          }),
        );
      } catch (err) {
        // 412: the pointer moved (or appeared); 409: a concurrent conditional write to it is in flight.
        const status = httpStatusOf(err);
        if (status === 412 || status === 409) return { ok: false };
        throw err;
      }
      return { ok: true, version };
    },
    async removeParts(names) {
      const keys = names.map((n) => partsAt + n);
      await deleteKeys(client, loc, keys, 'purged parts');
      return keys;
    },
    async dropVersionsNaming(parts) {
      const live = await this.live();
      const root = s3Key(loc, 'versions/');
      const { prefixes } = await listKeys(client, loc.bucket, root, '/');
      const dropped: string[] = [];
      const namedByDropped = new Set<string>();
      const namedByKept = new Set<string>();
      for (const p of prefixes) {
        const version = p.slice(root.length, -1);
        const m = await getObjectBytes(client, loc.bucket, p + MANIFEST_NAME, WRITE_LIMITS).then(parseManifest, () => null);
        if (version === live?.version || (m && !m.parts.some((x) => parts.has(x.name)))) {
          for (const x of m?.parts ?? []) namedByKept.add(x.name);
          continue;
        }
        for (const x of m?.parts ?? []) namedByDropped.add(x.name);
        await deleteKeys(client, loc, (await listKeys(client, loc.bucket, p)).keys, `version ${version}`);
        dropped.push(version);
      }
      return { versions: dropped, orphans: [...namedByDropped].filter((n) => !namedByKept.has(n) && !parts.has(n)) };
    },
  };
}

/** A local index folder (`build --out <dir>`): parts beside `manifest.json`, which a swap replaces by rename. */
export function folderStore(dir: string): IndexStore {
  const manifestPath = join(dir, MANIFEST_NAME);
  const lockDir = join(dir, '.lock');
  const hash = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  return {
    where: dir,
    async live() {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(manifestPath);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
      const manifest = parseManifest(bytes);
      return { manifest, token: hash(bytes), version: versionName(manifest) };
    },
    readPart: (name) => readFile(join(dir, name)),
    async writePart(name, bytes) {
      await mkdir(dir, { recursive: true });
      const tmp = join(dir, `.${name}.${process.pid}.${randomUUID()}.tmp`);
      await writeFile(tmp, bytes);
      await rename(tmp, join(dir, name));
    },
    async swap(manifest, manifestBytes, token) {
      await mkdir(dir, { recursive: true });
      await lock(lockDir);
      try {
        const current = await readFile(manifestPath).then(hash, () => null);
        if (current !== token) return { ok: false };
        const tmp = join(dir, `.manifest.${process.pid}.${randomUUID()}.tmp`);
        await writeFile(tmp, manifestBytes);
        await rename(tmp, manifestPath);
        // A folder keeps one version: parts it no longer names go once they are old enough not to be
        // another writer's, just written or just read for a change it has not swapped in yet.
        await removeUnnamed(dir, manifest, PART_GRACE_MS);
        return { ok: true, version: versionName(manifest) };
      } finally {
        await rmdir(lockDir).catch(() => {});
      }
    },
    async removeParts(names) {
      const paths = names.map((n) => join(dir, n));
      for (const p of paths) await rm(p, { force: true });
      return paths;
    },
    async dropVersionsNaming() {
      // One version per folder: what the live manifest does not name is the old version's, purged now.
      const live = await this.live();
      if (!live) return { versions: [], orphans: [] };
      return { versions: [], orphans: await unnamed(dir, live.manifest, 0) };
    },
  };
}

/** Files of `dir` the manifest does not name, last written at least `graceMs` ago. */
async function unnamed(dir: string, manifest: Manifest, graceMs: number): Promise<string[]> {
  const named = new Set([MANIFEST_NAME, ...manifest.parts.map((p) => p.name)]);
  const out: string[] = [];
  for (const f of await readdir(dir)) {
    if (named.has(f) || f.startsWith('.')) continue;
    const age = await stat(join(dir, f)).then((s) => Date.now() - s.mtimeMs, () => -1);
    if (age >= graceMs) out.push(f);
  }
  return out;
}

async function removeUnnamed(dir: string, manifest: Manifest, graceMs: number): Promise<void> {
  for (const f of await unnamed(dir, manifest, graceMs)) await rm(join(dir, f), { force: true });
}

/** Takes a lock directory (mkdir is atomic); a lock older than a minute is a crashed writer's and is broken. */
async function lock(path: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await mkdir(path);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot lock ${path}`, { cause: err });
      const age = await stat(path).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > 60_000) await rmdir(path).catch(() => {});
      if (i > 2000) throw new Error(`${path} is held by another writer`, { cause: err });
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
    }
  }
}
