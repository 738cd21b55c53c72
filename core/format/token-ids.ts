/**
 * Token ids as text (`TokensPart`): base64 VLQ, as in source maps but unsigned. Each id is written
 * in 5-bit groups, least significant first, one base64 digit per group, with 32 added to every digit
 * but the id's last: ids below 32 take one digit, below 1,024 two, below 32,768 three. Each id is a
 * whole number of characters, so gzip finds a repeated word as a repeated string.
 */
const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Character code → digit value, −1 for anything else. */
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < DIGITS.length; i++) VALUE[DIGITS.charCodeAt(i)] = i;

export function encodeTokenIds(ids: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < ids.length; i++) {
    let v = ids[i] as number;
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`token id ${v} is not a 32-bit unsigned integer`);
    while (v >= 32) {
      s += DIGITS[(v & 31) | 32];
      v = Math.floor(v / 32);
    }
    s += DIGITS[v];
  }
  return s;
}

/**
 * Decodes `s` into `out` from `at` (which must have room: at most `s.length` ids); returns the index
 * after the last id. Throws on a character outside the alphabet or an unfinished id.
 */
export function decodeTokenIds(s: string, out: Uint32Array, at = 0): number {
  let v = 0;
  let shift = 1;
  let open = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const d = c < 128 ? (VALUE[c] as number) : -1;
    if (d < 0) throw new RangeError(`token ids hold a character outside base64 at ${i}`);
    v += (d & 31) * shift;
    if (d & 32) {
      shift *= 32;
      open = true;
    } else {
      out[at++] = v;
      v = 0;
      shift = 1;
      open = false;
    }
  }
  if (open) throw new RangeError('token ids end inside an id');
  return at;
}
