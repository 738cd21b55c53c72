/**
 * Small, dependency-free statistics for the benchmark: percentiles (nearest rank on a sorted copy),
 * medians of repeated runs, and a seeded PRNG so generated queries are the same on every machine.
 */

/** Nearest-rank percentile, p in [0, 100]. NaN for an empty sample. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function min(values: readonly number[]): number {
  return values.length ? Math.min(...values) : Number.NaN;
}

export function max(values: readonly number[]): number {
  return values.length ? Math.max(...values) : Number.NaN;
}

/** p50 and p99 of each pass, then the median of those across passes (robust to one noisy pass). */
export function passPercentiles(passes: readonly (readonly number[])[]): { p50: number; p99: number; samples: number } {
  return {
    p50: median(passes.map((s) => percentile(s, 50))),
    p99: median(passes.map((s) => percentile(s, 99))),
    samples: passes.reduce((n, s) => n + s.length, 0),
  };
}

