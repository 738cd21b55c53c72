import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { sha256Hex } from '../core/format/codec.ts';
import { MANIFEST_NAME } from '../core/format/format.ts';
import type { PartReader } from '../core/format/part-reader.ts';
import { IndexUnavailableError } from '../core/errors.ts';
import { folderReader } from '../storage/local-folder.ts';
import { parsePointer, partsPrefix, POINTER_NAME, PointerError } from '../storage/pointer.ts';
import { describeS3Error, getIfChanged, httpStatusOf, isNotFound, s3PartReader, type CallLimits } from '../storage/s3.ts';
import { s3Key, type S3Location } from '../storage/uri.ts';

/** One loadable version: a label for logs and a reader bound to that version's parts only. */
export interface VersionRef {
  /** Opaque change marker: the pointer's ETag, or the local manifest's hash. */
  tag: string;
  version: string;
  read: PartReader;
}

/**
 * Where the live index comes from. `check(tag)` answers "has it changed since `tag`?" as cheaply as
 * the storage allows: null when unchanged, otherwise the new version to load.
 */
export interface IndexSource {
  check(tag: string | undefined): Promise<VersionRef | null>;
}

/** Running totals of what a source fetched from storage; the handler reports each request's share. */
export interface ReadStats {
  /** Index parts fetched (each one a cache miss: loaded parts and article chunks are kept). */
  reads: number;
  /** Bytes of parts and of the pointer or manifest checks. */
  bytes: number;
}

export const newReadStats = (): ReadStats => ({ reads: 0, bytes: 0 });

function counted(read: PartReader, stats: ReadStats | undefined): PartReader {
  if (!stats) return read;
  return async (name, range) => {
    const bytes = await read(name, range);
    stats.reads++;
    stats.bytes += bytes.byteLength;
    return bytes;
  };
}

/** Published versions on S3: polls `current.json` with a conditional GET. */
export function s3Source(client: S3Client, loc: S3Location, limits: CallLimits, stats?: ReadStats): IndexSource {
  const key = s3Key(loc, POINTER_NAME);
  return {
    async check(tag) {
      let res;
      try {
        res = await getIfChanged(client, loc.bucket, key, tag, limits);
      } catch (err) {
        // Without s3:ListBucket (least privilege), S3 reports a missing key as 403, not 404.
        const missing = isNotFound(err) || httpStatusOf(err) === 403;
        const why = missing ? `no index has been published (${POINTER_NAME} is missing or not readable)` : `the index pointer could not be read (${describeS3Error(err)})`;
        throw new IndexUnavailableError(why, { cause: err });
      }
      if (!res.changed) return null;
      if (stats) stats.bytes += res.bytes.byteLength;
      let pointer;
      try {
        pointer = parsePointer(res.bytes);
      } catch (err) {
        if (err instanceof PointerError) throw new IndexUnavailableError(err.message, { cause: err });
        throw err;
      }
      let partsAt: string;
      try {
        partsAt = partsPrefix(pointer);
      } catch (err) {
        throw new IndexUnavailableError((err as Error).message, { cause: err });
      }
      const read = s3PartReader(client, loc.bucket, { manifestKey: pointer.manifestKey, partsPrefix: partsAt }, limits, pointer.manifestSha256);
      return { tag: res.etag, version: pointer.version, read: counted(read, stats) };
    },
  };
}

/**
 * A bundle folder (`news-search build --out <dir>`), for running the handler without S3. The
 * manifest's hash is the change marker; the folder is replaced as a whole by `build`.
 */
export function folderSource(dir: string, stats?: ReadStats): IndexSource {
  return {
    async check(tag) {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(join(dir, MANIFEST_NAME));
      } catch (err) {
        throw new IndexUnavailableError(`no index in the configured folder (${MANIFEST_NAME} is missing)`, { cause: err });
      }
      if (stats) stats.bytes += bytes.byteLength;
      const hash = sha256Hex(bytes);
      if (hash === tag) return null;
      return { tag: hash, version: hash.slice(0, 16), read: counted(folderReader(dir), stats) };
    },
  };
}
