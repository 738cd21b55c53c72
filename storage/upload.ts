import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';

export interface UploadOptions {
  contentType: string;
  cacheControl: string;
  /** Stored as `x-amz-meta-*`, e.g. the part's SHA-256 for whoever inspects the bucket. */
  metadata?: Record<string, string>;
  /** Multipart chunk size; S3's minimum is 5 MiB. */
  partSize?: number;
  /** Chunks of one object uploaded at once. */
  queueSize?: number;
  /** Called with the bytes of this object sent so far. */
  onBytes?: (loaded: number) => void;
}

export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

/**
 * Uploads one object. lib-storage's Upload sends a single PUT for small bodies and a multipart
 * upload (chunks in parallel, aborted on failure) for large ones, reading streams chunk by chunk.
 */
export async function uploadObject(client: S3Client, bucket: string, key: string, body: Uint8Array | Readable, opts: UploadOptions): Promise<void> {
  const upload = new Upload({
    client,
    params: {
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: opts.contentType,
      CacheControl: opts.cacheControl,
      ...(opts.metadata ? { Metadata: opts.metadata } : {}),
    },
    partSize: opts.partSize ?? DEFAULT_PART_SIZE,
    queueSize: opts.queueSize ?? 4,
    leavePartsOnError: false,
  });
  if (opts.onBytes) {
    const report = opts.onBytes;
    upload.on('httpUploadProgress', (p) => {
      if (typeof p.loaded === 'number') report(p.loaded);
    });
  }
  await upload.done();
}
