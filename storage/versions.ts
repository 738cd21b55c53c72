import { DeleteObjectsCommand, HeadObjectCommand, ListObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { sha256Hex } from '../core/format/codec.ts';
import { MANIFEST_NAME, parseManifest, type Manifest } from '../core/format/format.ts';
import { mapLimit } from './map-limit.ts';
import { makePointer, parsePointer, partsKeyPrefix, POINTER_NAME, PointerError, VERSION_PATTERN, VERSIONS_DIR, versionPrefix, type Pointer } from './pointer.ts';
import { getObjectBytes, isNotFound, putSmallObject, type CallLimits } from './s3.ts';
import { s3Key, type S3Location } from './uri.ts';

/** Generous limits for CLI work, where a slow request should wait rather than fail. */
const CLI_LIMITS: CallLimits = { connectTimeoutMs: 5_000, requestTimeoutMs: 60_000, maxAttempts: 3 };

export async function readPointer(client: S3Client, loc: S3Location): Promise<Pointer | null> {
  try {
    return parsePointer(await getObjectBytes(client, loc.bucket, s3Key(loc, POINTER_NAME), CLI_LIMITS));
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

export async function writePointer(client: S3Client, loc: S3Location, pointer: Pointer): Promise<void> {
  const body = new TextEncoder().encode(JSON.stringify(pointer, null, 2));
  // no-cache: a CDN or proxy in front of the bucket must revalidate, or a new version stays hidden.
  await putSmallObject(client, loc.bucket, s3Key(loc, POINTER_NAME), body, 'application/json', 'no-cache');
}

/**
 * Every key (and, with a delimiter, common prefix) under `prefix`, page by page. ListObjects (v1)
 * with `Marker` = the last key or prefix seen, not ListObjectsV2: S3 answers both alike, and
 * s3rver 3.7.1 (the tests' S3) fails every truncated ListObjectsV2 page with an InternalError, so
 * an index of more than 1,000 parts could not be published to it.
 */
export async function listKeys(client: S3Client, bucket: string, prefix: string, delimiter?: string): Promise<{ keys: string[]; prefixes: string[]; modified: Map<string, number> }> {
  const keys: string[] = [];
  const prefixes: string[] = [];
  const modified = new Map<string, number>();
  let after: string | undefined;
  for (;;) {
    const out = await client.send(
      new ListObjectsCommand({ Bucket: bucket, Prefix: prefix, ...(delimiter ? { Delimiter: delimiter } : {}), ...(after ? { Marker: after } : {}) }),
    );
    let last = after ?? '';
    for (const o of out.Contents ?? []) {
      if (!o.Key) continue;
      keys.push(o.Key);
      if (o.Key > last) last = o.Key;
      if (o.LastModified) modified.set(o.Key, o.LastModified.getTime());
    }
    for (const p of out.CommonPrefixes ?? []) {
      if (!p.Prefix) continue;
      prefixes.push(p.Prefix);
      // Past every key under this prefix: the next page starts after all of them.
      const end = p.Prefix + '\uffff';
      if (end > last) last = end;
    }
    if (!out.IsTruncated || last === (after ?? '')) break;
    after = last;
  }
  return { keys, prefixes, modified };
}

/** Published version names, newest first (names start with the build time). */
export async function listVersions(client: S3Client, loc: S3Location): Promise<string[]> {
  const root = s3Key(loc, `${VERSIONS_DIR}/`);
  const { prefixes } = await listKeys(client, loc.bucket, root, '/');
  return prefixes
    .map((p) => p.slice(root.length, -1))
    .filter((v) => VERSION_PATTERN.test(v))
    .sort()
    .reverse();
}

export interface VersionInfo {
  version: string;
  current: boolean;
  /** null when the version has no readable manifest (an interrupted publish). */
  manifest: Manifest | null;
}

export async function describeVersions(client: S3Client, loc: S3Location): Promise<VersionInfo[]> {
  const [versions, pointer] = await Promise.all([listVersions(client, loc), readPointer(client, loc)]);
  return mapLimit(versions, 8, async (version) => {
    const manifest = await getObjectBytes(client, loc.bucket, versionPrefix(loc, version) + MANIFEST_NAME, CLI_LIMITS).then(parseManifest, () => null);
    return { version, current: pointer?.version === version, manifest };
  });
}

/** The newest complete version older than the live one: what `rollback` without `--to` goes back to. */
export async function previousVersion(client: S3Client, loc: S3Location): Promise<string> {
  const [versions, pointer] = await Promise.all([listVersions(client, loc), readPointer(client, loc)]);
  if (!pointer) throw new PointerError('nothing is published, so there is nothing to roll back');
  for (const v of versions.filter((x) => x < pointer.version)) {
    const ok = await getObjectBytes(client, loc.bucket, versionPrefix(loc, v) + MANIFEST_NAME, CLI_LIMITS).then(parseManifest, () => null);
    if (ok) return v;
  }
  throw new PointerError(`no version older than the live ${pointer.version} is kept; see \`news-search versions\``);
}

/**
 * Points `current.json` back at an older version, after checking that its manifest parses and every
 * part it lists is there with the right size, so a rollback cannot switch to a broken version.
 */
export async function rollback(client: S3Client, loc: S3Location, version: string, now = new Date()): Promise<Pointer> {
  if (!VERSION_PATTERN.test(version)) throw new PointerError(`${JSON.stringify(version)} is not a version name (see \`news-search versions\`)`);
  const prefix = versionPrefix(loc, version);
  let manifestBytes: Uint8Array;
  try {
    manifestBytes = await getObjectBytes(client, loc.bucket, prefix + MANIFEST_NAME, CLI_LIMITS);
  } catch (err) {
    if (isNotFound(err)) throw new PointerError(`version ${version} does not exist or was not fully published`);
    throw err;
  }
  const manifest = parseManifest(manifestBytes);
  const partsAt = partsKeyPrefix(loc);
  await mapLimit(manifest.parts, 16, async (p) => {
    const head = await client.send(new HeadObjectCommand({ Bucket: loc.bucket, Key: partsAt + p.name })).catch((err: unknown) => {
      if (isNotFound(err)) throw new PointerError(`version ${version} is missing part ${p.name}`);
      throw err;
    });
    if (head.ContentLength !== p.bytes) throw new PointerError(`version ${version} part ${p.name} has ${head.ContentLength} bytes, manifest says ${p.bytes}`);
  });
  const previous = await readPointer(client, loc);
  const pointer = makePointer(loc, version, manifest, sha256Hex(manifestBytes), now);
  if (previous) pointer.rolledBackFrom = previous.version;
  await writePointer(client, loc, pointer);
  return pointer;
}

/** Parts younger than this are never collected: they may belong to a publish whose manifest is not written yet. */
export const PART_GRACE_MS = 60 * 60 * 1000;

/**
 * Keeps `keep` versions, the current one plus the newest others, and deletes the rest: their
 * manifests, then every part in `parts/` that no kept version names (and that is older than
 * `graceMs`, so a concurrent publish keeps the parts it has uploaded). Warm Lambdas may still read
 * parts of the version they loaded until their next pointer check, so keep at least 2.
 */
export async function prune(client: S3Client, loc: S3Location, keep: number, graceMs = PART_GRACE_MS, now = Date.now()): Promise<string[]> {
  if (!Number.isInteger(keep) || keep < 1) throw new PointerError('keep must be a whole number of at least 1');
  const [versions, pointer] = await Promise.all([listVersions(client, loc), readPointer(client, loc)]);
  const current = pointer && versions.includes(pointer.version) ? pointer.version : null;
  const kept = new Set([...(current ? [current] : []), ...versions.filter((v) => v !== current).slice(0, current ? keep - 1 : keep)]);
  const doomed = versions.filter((v) => !kept.has(v));
  for (const version of doomed) await deleteKeys(client, loc, (await listKeys(client, loc.bucket, versionPrefix(loc, version))).keys, `version ${version}`);
  // Parts no kept version names. A kept version whose manifest cannot be read keeps every part.
  const named = new Set<string>();
  for (const version of kept) {
    const m = await getObjectBytes(client, loc.bucket, versionPrefix(loc, version) + MANIFEST_NAME, CLI_LIMITS).then(parseManifest, () => null);
    if (!m) return doomed;
    for (const p of m.parts) named.add(p.name);
  }
  const partsAt = partsKeyPrefix(loc);
  const { keys, modified } = await listKeys(client, loc.bucket, partsAt);
  const orphans = keys.filter((k) => !named.has(k.slice(partsAt.length)) && now - (modified.get(k) ?? now) >= graceMs);
  await deleteKeys(client, loc, orphans, 'unreferenced parts');
  return doomed;
}

export async function deleteKeys(client: S3Client, loc: S3Location, keys: readonly string[], what: string): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) {
    const out = await client.send(new DeleteObjectsCommand({ Bucket: loc.bucket, Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true } }));
    const failed = out.Errors?.[0];
    if (failed) throw new Error(`could not delete ${failed.Key ?? 'an object'} of ${what}: ${failed.Code ?? 'error'}`);
  }
}
