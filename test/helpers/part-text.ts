import { gunzipSync } from 'node:zlib';

/**
 * All the text a stored object holds, for "is this word anywhere in storage?" checks: a gzipped part
 * gunzipped; a binary `postings` part's raw bytes plus its directory (gzip members that run from the
 * first directory block to the end of the part, found as the first gzip header from which the rest
 * decodes); anything else as is.
 */
export function partText(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes);
  const isGzipAt = (i: number) => buf[i] === 0x1f && buf[i + 1] === 0x8b && buf[i + 2] === 0x08;
  if (isGzipAt(0)) return gunzipSync(buf).toString('utf8');
  for (let i = 1; i + 2 < buf.length; i++) {
    if (!isGzipAt(i)) continue;
    try {
      return buf.subarray(0, i).toString('latin1') + gunzipSync(buf.subarray(i)).toString('utf8');
    } catch {
      // a varint that happens to look like a gzip header: keep looking
    }
  }
  return buf.toString('utf8');
}
