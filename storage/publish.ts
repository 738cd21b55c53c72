import type { S3Client } from '@aws-sdk/client-s3';
import { sha256Hex } from '../core/format/codec.ts';
import { MANIFEST_NAME } from '../core/format/format.ts';
import type { BundleSource } from './bundle-source.ts';
import { mapLimit } from './map-limit.ts';
import { makePointer, versionName, versionPrefix, type Pointer } from './pointer.ts';
import { uploadObject } from './upload.ts';
import { prune, writePointer } from './versions.ts';
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
  pruned: string[];
  ms: number;
}

/**
 * Publishes a bundle under `prefix/versions/<version>/`, then makes it live by writing
 * `prefix/current.json` last. Parts and the manifest are immutable once written; a publish that
 * fails part-way leaves the live version untouched (and an orphan folder that `prune` removes).
 */
export async function publishBundle(client: S3Client, loc: S3Location, src: BundleSource, opts: PublishOptions = {}): Promise<PublishResult> {
  const t0 = performance.now();
  const now = opts.now ?? (() => new Date());
  const version = versionName(src.manifest);
  const prefix = versionPrefix(loc, version);
  const bytesTotal = src.manifest.parts.reduce((n, p) => n + p.bytes, 0) + src.manifestBytes.byteLength;
  const partsTotal = src.parts.length + 1;
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

  await mapLimit(src.parts, opts.concurrency ?? 8, async ({ info, open }) => {
    await uploadObject(client, loc.bucket, prefix + info.name, open(), {
      contentType: 'application/gzip',
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
  return { pointer, version, bytesUploaded: bytesTotal, partsUploaded: partsTotal, pruned, ms: performance.now() - t0 };
}
