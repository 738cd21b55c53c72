/**
 * Sets of doc numbers as sorted, duplicate-free Uint32Arrays, and the operations the query evaluator
 * combines them with. Large unions go through a byte map of the whole index (one pass over `size`
 * instead of sorting), small ones through a sort.
 */

export const EMPTY = new Uint32Array(0);

/** Doc numbers lo … hi − 1. */
export function range(lo: number, hi: number): Uint32Array {
  const out = new Uint32Array(Math.max(0, hi - lo));
  for (let i = 0; i < out.length; i++) out[i] = lo + i;
  return out;
}

/** The doc numbers of any number of unsorted lists, as a set; `size` bounds them (the index size). */
export function setOf(lists: ReadonlyArray<ArrayLike<number>>, size: number): Uint32Array {
  let total = 0;
  for (const l of lists) total += l.length;
  if (total === 0) return EMPTY;
  if (lists.length === 1 && isStrictlyAscending(lists[0] as ArrayLike<number>)) return Uint32Array.from(lists[0] as ArrayLike<number>);
  if (total * 16 >= size) {
    const mark = new Uint8Array(size);
    for (const l of lists) for (let i = 0; i < l.length; i++) mark[l[i] as number] = 1;
    let n = 0;
    for (let d = 0; d < size; d++) n += mark[d] as number;
    const out = new Uint32Array(n);
    let k = 0;
    for (let d = 0; d < size; d++) if (mark[d]) out[k++] = d;
    return out;
  }
  const all = new Uint32Array(total);
  let k = 0;
  for (const l of lists) for (let i = 0; i < l.length; i++) all[k++] = l[i] as number;
  all.sort();
  return dedupeSorted(all);
}

function isStrictlyAscending(a: ArrayLike<number>): boolean {
  for (let i = 1; i < a.length; i++) if ((a[i] as number) <= (a[i - 1] as number)) return false;
  return true;
}

function dedupeSorted(a: Uint32Array): Uint32Array {
  if (a.length < 2) return a;
  let k = 1;
  for (let i = 1; i < a.length; i++) if (a[i] !== a[k - 1]) a[k++] = a[i] as number;
  return a.subarray(0, k);
}

/** First index in a[lo, hi) whose value is >= x. */
function lowerBound(a: Uint32Array, x: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function intersect(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (a.length > b.length) [a, b] = [b, a];
  if (a.length === 0) return EMPTY;
  const out = new Uint32Array(a.length);
  let k = 0;
  if (a.length * 16 < b.length) {
    // Much smaller: binary-search each of its docs in the larger one.
    let j = 0;
    for (let i = 0; i < a.length && j < b.length; i++) {
      const x = a[i] as number;
      j = lowerBound(b, x, j, b.length);
      if (b[j] === x) out[k++] = x;
    }
  } else {
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const x = a[i] as number;
      const y = b[j] as number;
      if (x === y) {
        out[k++] = x;
        i++;
        j++;
      } else if (x < y) i++;
      else j++;
    }
  }
  return out.subarray(0, k);
}

export function union(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      out[k++] = x;
      i++;
      j++;
    } else if (x < y) {
      out[k++] = x;
      i++;
    } else {
      out[k++] = y;
      j++;
    }
  }
  while (i < a.length) out[k++] = a[i++] as number;
  while (j < b.length) out[k++] = b[j++] as number;
  return out.subarray(0, k);
}

/** Union of sets; `size` is the index size (for the byte map of large unions). */
export function unionAll(sets: readonly Uint32Array[], size: number): Uint32Array {
  if (sets.length === 0) return EMPTY;
  if (sets.length === 1) return sets[0] as Uint32Array;
  if (sets.length === 2) return union(sets[0] as Uint32Array, sets[1] as Uint32Array);
  return setOf(sets, size);
}

/** Docs of `a` not in `b`. */
export function difference(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (a.length === 0 || b.length === 0) return a;
  const out = new Uint32Array(a.length);
  let k = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    while (j < b.length && (b[j] as number) < x) j++;
    if (b[j] !== x) out[k++] = x;
  }
  return out.subarray(0, k);
}
