import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
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
  if (bytes.byteLength !== info.bytes) {
    throw new IndexFormatError(`part ${info.name} has ${bytes.byteLength} bytes, manifest says ${info.bytes}`);
  }
  if (sha256Hex(bytes) !== info.sha256) {
    throw new IndexFormatError(`part ${info.name} failed its SHA-256 check`);
  }
  return JSON.parse(gunzipSync(bytes).toString('utf8')) as T;
}
