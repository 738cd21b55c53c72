import type { SearchIndex } from './search-index.ts';

/**
 * Closest vocabulary term to an unknown word: edit distance 1 for words up to 4 letters, 2 above,
 * ties broken by document frequency. A bounded Levenshtein over terms of similar length and the
 * same first letters; it only runs for queries that found (almost) nothing.
 */
export function closestTerm(index: SearchIndex, word: string): string | null {
  const max = word.length <= 4 ? 1 : 2;
  if (word.length < 3) return null;
  let best: string | null = null;
  let bestDist = max + 1;
  let bestDf = -1;
  const { terms, df } = index;
  // Candidates share the first letter, or start with the second one (a dropped or swapped first
  // letter): typos at the very start are rare, and this cuts the scan ~20x.
  const ranges = [index.termRange(word[0] as string), index.termRange(word[1] as string)];
  for (const [start, end] of ranges) for (let i = start; i < end; i++) {
    const t = terms[i] as string;
    if (Math.abs(t.length - word.length) > max) continue;
    const d = boundedDistance(word, t, Math.min(max, bestDist));
    if (d < 0) continue;
    const f = df[i] as number;
    if (d < bestDist || (d === bestDist && f > bestDf)) {
      best = t;
      bestDist = d;
      bestDf = f;
    }
  }
  return best;
}

const row = new Int32Array(64);
const prev = new Int32Array(64);
const prev2 = new Int32Array(64);

/** Optimal-string-alignment distance if ≤ max (adjacent swaps count 1), else -1. */
export function boundedDistance(a: string, b: string, max: number): number {
  if (a === b) return 0;
  const n = a.length;
  const m = b.length;
  if (n > 60 || m > 60) return -1;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    row[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) v = Math.min(v, (prev2[j - 2] as number) + 1);
      row[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return -1;
    prev2.set(prev.subarray(0, m + 1));
    prev.set(row.subarray(0, m + 1));
  }
  const d = prev[m] as number;
  return d <= max ? d : -1;
}
