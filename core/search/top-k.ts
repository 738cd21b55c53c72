/**
 * The first `k` items of `items` under `cmp`, sorted. For small k (a page) this keeps a bounded
 * sorted buffer, O(n log k) with most items rejected by one comparison; otherwise it sorts a copy.
 */
export function topK(items: ArrayLike<number>, k: number, cmp: (a: number, b: number) => number): number[] {
  const n = items.length;
  if (k <= 0 || n === 0) return [];
  if (k * 8 >= n) {
    return Array.from(items).sort(cmp).slice(0, k);
  }
  const buf: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = items[i] as number;
    if (buf.length === k && cmp(x, buf[k - 1] as number) >= 0) continue;
    // Binary search the insert position.
    let lo = 0;
    let hi = buf.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(buf[mid] as number, x) <= 0) lo = mid + 1;
      else hi = mid;
    }
    buf.splice(lo, 0, x);
    if (buf.length > k) buf.pop();
  }
  return buf;
}
