import type { S3Client } from '@aws-sdk/client-s3';
import { sha256Hex } from '../core/format/codec.ts';
import { MANIFEST_NAME } from '../core/format/format.ts';
import type { BundleSource } from './bundle-source.ts';
import { mapLimit } from './map-limit.ts';
import { makePointer, partsKeyPrefix, versionName, versionPrefix, type Pointer } from './pointer.ts';
import { uploadObject } from './upload.ts';
import { listKeys, prune, writePointer } from './versions.ts';
import type { S3Location } from './uri.ts';

export interface PublishOptions {
  /** Versions to keep, the new one included (default 5). The current version is never pruned. */
  keep?: number;
  /** Parts uploaded at once (default 8). */
  concurrency?: number;
  /** Multipart chunk size for large parts (default 8 MiB). */
  partSize?: number;
  onProgress?: (p: PublishProgress) => void;
  now?: () => Date;
}

export interface PublishProgress {
  bytesDone: number;
  bytesTotal: number;
  partsDone: number;
  partsTotal: number;
}

export interface PublishResult {
  pointer: Pointer;
  version: string;
  bytesUploaded: number;
  partsUploaded: number;
  /** Parts already in storage (segments shared with earlier versions): referenced, not uploaded. */
  partsReused: number;
  pruned: string[];
  ms: number;
}

/**
 * Publishes a bundle: its parts into `prefix/parts/` (those already there, from segments an earlier
 * version shares, are not uploaded again), its manifest as `prefix/versions/<version>/manifest.json`,
 * then makes it live by writing `prefix/current.json` last. Parts and manifests are immutable once
 * written; a publish that fails part-way leaves the live version untouched (and orphan parts that
 * `prune` removes once they are old enough not to belong to a publish in progress).
 */
export async function publishBundle(client: S3Client, loc: S3Location, src: BundleSource, opts: PublishOptions = {}): Promise<PublishResult> {
  const t0 = performance.now();
  const now = opts.now ?? (() => new Date());
  const version = versionName(src.manifest);
  const prefix = versionPrefix(loc, version);
  const partsAt = partsKeyPrefix(loc);
  const stored = new Set((await listKeys(client, loc.bucket, partsAt)).keys.map((k) => k.slice(partsAt.length)));
  const todo = src.parts.filter((p) => !stored.has(p.info.name));
  const bytesTotal = todo.reduce((n, p) => n + p.info.bytes, 0) + src.manifestBytes.byteLength;
  const partsTotal = todo.length + 1;
  const sent = new Map<string, number>();
  let bytesDone = 0;
  let partsDone = 0;
  const report = () => opts.onProgress?.({ bytesDone, bytesTotal, partsDone, partsTotal });
  const progressOf = (name: string) => (loaded: number) => {
    bytesDone += loaded - (sent.get(name) ?? 0);
    sent.set(name, loaded);
    report();
  };
  const immutable = 'public, max-age=31536000, immutable';

  await mapLimit(todo, opts.concurrency ?? 8, async ({ info, open }) => {
    await uploadObject(client, loc.bucket, partsAt + info.name, open(), {
      contentType: partContentType(info.name),
      cacheControl: immutable,
      metadata: { sha256: info.sha256 },
      ...(opts.partSize ? { partSize: opts.partSize } : {}),
      onBytes: progressOf(info.name),
    });
    progressOf(info.name)(info.bytes);
    partsDone++;
    report();
  });
  // The manifest goes after its parts: a version with a manifest is a complete version.
  await uploadObject(client, loc.bucket, prefix + MANIFEST_NAME, src.manifestBytes, {
    contentType: 'application/json',
    cacheControl: immutable,
    onBytes: progressOf(MANIFEST_NAME),
  });
  progressOf(MANIFEST_NAME)(src.manifestBytes.byteLength);
  partsDone++;
  report();

  const pointer = makePointer(loc, version, src.manifest, sha256Hex(src.manifestBytes), now());
  await writePointer(client, loc, pointer);
  const pruned = await prune(client, loc, opts.keep ?? 5);
  return { pointer, version, bytesUploaded: bytesTotal, partsUploaded: partsTotal, partsReused: src.parts.length - todo.length, pruned, ms: performance.now() - t0 };
}

/** Gzipped JSON parts (`.json.gz`), or the binary `postings` parts read by byte range. */
export function partContentType(name: string): string {
  return name.endsWith('.gz') ? 'application/gzip' : 'application/octet-stream';
}
