import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/**
 * Response compression, negotiated from Accept-Encoding (RFC 9110 §12.5.3). Synchronous zlib: an
 * answer is at most a few hundred kB and compresses in about a millisecond at the levels below,
 * less than the bytes it saves take to send (README, "Caching and compression").
 */

export type ContentCoding = 'br' | 'gzip' | 'identity';

/** Smaller answers are sent as they are: the saving would not pay for the header and the CPU. */
export const COMPRESS_MIN_BYTES = 1024;

/**
 * Brotli quality and gzip level, chosen by measurement on `limit=100` answers over the sample and
 * Reuters-21578 indexes (`npx tsx bench/compression.ts <index>…`; README, "Caching and compression"):
 * each is the last level whose extra time still buys more than 1% of size. On Reuters (49 kB
 * answers) brotli 5 gives 25.6% in 0.9 ms, against 27.0% at quality 4 and 25.5% at 6; quality 11
 * gives 21.2% but takes 78 ms, far more than the bytes it saves take to send. gzip 5: 27.1% in 0.6 ms.
 */
export const BROTLI_QUALITY = 5;
export const GZIP_LEVEL = 5;

/** Codings we produce, in order of preference when the client weighs them equally. */
const PRODUCED = ['br', 'gzip'] as const;

/**
 * The coding to answer with. q-values are honoured (q=0 refuses a coding), `*` stands for codings
 * not named, `x-gzip` is gzip; among equal weights brotli wins, and a compressed coding wins over
 * `identity` unless `identity` is weighted higher explicitly. Without the header, or when nothing
 * we produce is acceptable, the answer is sent as it is (identity), which every client can read.
 */
export function negotiateEncoding(header: string | undefined): ContentCoding {
  if (header === undefined || header.trim() === '') return 'identity';
  const weights = new Map<string, number>();
  for (const entry of header.split(',')) {
    const [rawName = '', ...params] = entry.split(';');
    let name = rawName.trim().toLowerCase();
    if (!name) continue;
    if (name === 'x-gzip') name = 'gzip';
    let q = 1;
    for (const param of params) {
      const [k = '', val = ''] = param.split('=');
      if (k.trim().toLowerCase() !== 'q') continue;
      // qvalue = 0[.ddd] | 1[.000]; anything else is read as "not acceptable", the safe side.
      q = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(val.trim()) ? Number(val.trim()) : 0;
    }
    if (!weights.has(name)) weights.set(name, q);
  }
  const star = weights.get('*');
  let best: ContentCoding = 'identity';
  let bestQ = 0;
  for (const coding of PRODUCED) {
    const q = weights.get(coding) ?? star ?? 0;
    if (q > bestQ) [best, bestQ] = [coding, q];
  }
  // identity is acceptable unless refused; it wins only when weighted above every coding we produce.
  const identityQ = weights.get('identity');
  return identityQ !== undefined && identityQ > bestQ ? 'identity' : best;
}

/** The body in `coding`. */
export function compress(body: Uint8Array, coding: Exclude<ContentCoding, 'identity'>): Uint8Array {
  if (coding === 'gzip') return gzipSync(body, { level: GZIP_LEVEL });
  return brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
    },
  });
}
