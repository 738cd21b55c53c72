import { createHash } from 'node:crypto';
import { gunzip, gunzipSync, gzipSync } from 'node:zlib';
import { IndexFormatError } from '../errors.ts';
import type { PartInfo } from './format.ts';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function encodePart(value: unknown): Uint8Array {
  return gzipSync(JSON.stringify(value), { level: 6 });
}

/**
 * Checks size and SHA-256 against the manifest before decoding, so a truncated or tampered part is
 * reported as such rather than as a confusing JSON or gzip error.
 */
export function decodePart<T>(info: PartInfo, bytes: Uint8Array): T {
  checkPart(info, bytes);
  return JSON.parse(gunzipSync(bytes).toString('utf8')) as T;
}

function checkPart(info: PartInfo, bytes: Uint8Array): void {
  if (bytes.byteLength !== info.bytes) {
    throw new IndexFormatError(`part ${info.name} has ${bytes.byteLength} bytes, manifest says ${info.bytes}`);
  }
  if (sha256Hex(bytes) !== info.sha256) {
    throw new IndexFormatError(`part ${info.name} failed its SHA-256 check`);
  }
}

const gunzipAsync = (bytes: Uint8Array) => new Promise<Buffer>((resolve, reject) => gunzip(bytes, (err, out) => (err ? reject(err) : resolve(out))));

/**
 * `decodePart` with the decompression on libuv's thread pool, so loading many parts at once (every
 * segment's `meta` at start) inflates them in parallel while the main thread parses JSON.
 */
export async function decodePartAsync<T>(info: PartInfo, bytes: Uint8Array): Promise<T> {
  checkPart(info, bytes);
  return JSON.parse((await gunzipAsync(bytes)).toString('utf8')) as T;
}
