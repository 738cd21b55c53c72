import { IndexFormatError } from '../errors.ts';

/**
 * How the runtime reads one named part of a bundle: a folder, S3 or memory, the caller decides. The
 * core only sees bytes, so it stays free of filesystem and AWS code. With `range`, only those bytes
 * of the part (a folder reads them at an offset, S3 with a `Range` header); a reader that cannot read
 * ranges may return the whole part, which `readRange` then slices.
 */
export interface ByteRange {
  offset: number;
  length: number;
}

export type PartReader = (name: string, range?: ByteRange) => Promise<Uint8Array>;

/** `length` bytes of part `name` (of `size` bytes) from `offset`, whether or not `read` honours ranges. */
export async function readRange(read: PartReader, name: string, size: number, range: ByteRange): Promise<Uint8Array> {
  if (range.offset < 0 || range.length < 0 || range.offset + range.length > size) {
    throw new IndexFormatError(`bytes ${range.offset}+${range.length} are outside part ${name} (${size} bytes)`);
  }
  const bytes = await read(name, range);
  if (bytes.byteLength === range.length) return bytes;
  if (bytes.byteLength === size) return bytes.subarray(range.offset, range.offset + range.length);
  throw new IndexFormatError(`part ${name}: asked for ${range.length} bytes at ${range.offset}, got ${bytes.byteLength}`);
}
