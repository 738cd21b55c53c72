import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { sha256Hex } from '../core/format/codec.ts';
import { MANIFEST_NAME } from '../core/format/format.ts';
import type { ByteRange, PartReader } from '../core/format/part-reader.ts';
import { IndexUnavailableError } from '../core/errors.ts';
import { callDeadline, type S3ClientSettings } from './s3-client.ts';

/** The bits of the client settings that bound one call. */
export type CallLimits = Pick<S3ClientSettings, 'connectTimeoutMs' | 'requestTimeoutMs' | 'maxAttempts'>;

interface SdkError {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

export function httpStatusOf(err: unknown): number | undefined {
  return (err as SdkError | null)?.$metadata?.httpStatusCode;
}

export function isNotFound(err: unknown): boolean {
  const e = err as SdkError | null;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || httpStatusOf(err) === 404;
}

/** A short, safe description of an S3 failure: an error code, never a bucket, key or stack. */
export function describeS3Error(err: unknown): string {
  const e = err as (SdkError & { code?: string }) | null;
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return 'storage did not answer in time';
  const code = e?.Code ?? e?.code ?? e?.name ?? 'error';
  return `storage error ${code}`;
}

export async function getObjectBytes(client: S3Client, bucket: string, key: string, limits: CallLimits, range?: ByteRange): Promise<Uint8Array> {
  const deadline = callDeadline(limits);
  try {
    // An empty range is a valid read of nothing; HTTP has no way to ask for it.
    if (range?.length === 0) return new Uint8Array(0);
    const Range = range ? `bytes=${range.offset}-${range.offset + range.length - 1}` : undefined;
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(Range ? { Range } : {}) }), { abortSignal: deadline });
    if (!out.Body) throw new Error(`GetObject ${key} returned no body`);
    return await out.Body.transformToByteArray();
  } catch (err) {
    // A deadline that fires while the body streams in surfaces as a socket reset ("aborted"):
    // report it as the timeout it is.
    throw deadline.aborted ? deadline.reason : err;
  }
}

export type Conditional = { changed: true; bytes: Uint8Array; etag: string } | { changed: false };

/**
 * GET that returns `{ changed: false }` when the object still has `etag` (S3 answers 304 Not
 * Modified with no body), so polling the pointer costs one tiny request.
 */
export async function getIfChanged(client: S3Client, bucket: string, key: string, etag: string | undefined, limits: CallLimits): Promise<Conditional> {
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(etag ? { IfNoneMatch: etag } : {}) }), {
      abortSignal: callDeadline(limits),
    });
    if (!out.Body) throw new Error(`GetObject ${key} returned no body`);
    return { changed: true, bytes: await out.Body.transformToByteArray(), etag: out.ETag ?? '' };
  } catch (err) {
    if (httpStatusOf(err) === 304) return { changed: false };
    throw err;
  }
}

export async function putSmallObject(client: S3Client, bucket: string, key: string, body: Uint8Array, contentType: string, cacheControl: string): Promise<void> {
  await client.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, CacheControl: cacheControl, ContentLength: body.byteLength }),
  );
}

/**
 * Reads one published version's parts. Bound to that version's own key prefix, so an index loaded
 * from it keeps reading its own article chunks after a newer version goes live. The manifest is
 * checked against the SHA-256 in the pointer; loadIndex and the DocStore check every other part.
 */
export function s3PartReader(client: S3Client, bucket: string, keys: { manifestKey: string; partsPrefix: string }, limits: CallLimits, manifestSha256?: string): PartReader {
  return async (name, range) => {
    let bytes: Uint8Array;
    try {
      bytes = await getObjectBytes(client, bucket, name === MANIFEST_NAME ? keys.manifestKey : keys.partsPrefix + name, limits, range);
    } catch (err) {
      const why = isNotFound(err) ? 'is missing' : `could not be read (${describeS3Error(err)})`;
      throw new IndexUnavailableError(`index part ${name} ${why}`, { cause: err });
    }
    if (name === MANIFEST_NAME && manifestSha256 && sha256Hex(bytes) !== manifestSha256) {
      throw new IndexUnavailableError(`index part ${name} failed its SHA-256 check`);
    }
    return bytes;
  };
}
