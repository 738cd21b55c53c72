import { REUTERS_ARTICLES } from './corpus.ts';
import type { BenchReport, SizeResult } from './summary.ts';

/**
 * The issue's targets beside what this run measured. Reported only: the benchmark never fails on a
 * miss. Size-specific goals apply to three tiers: 19k (Reuters 1×), 95k (Reuters 5× or a 95k scale
 * corpus) and 1M (a 1M scale corpus, whose only numeric goal is bytes read before the first answer
 * ≤ 5% of the bundle: its other figures are listed with result n/a). Other corpora (the quick
 * subset, the 20k scale smoke, a custom `--index` bundle) show their numbers with result n/a.
 */
export interface TargetRow {
  what: string;
  corpus: string;
  goal: string;
  measured: string;
  result: 'pass' | 'miss' | 'n/a' | 'not measured';
}

const MB = 2 ** 20;

interface Goal {
  what: string;
  goal: string;
  /** Goal at 19k, 95k and 1M (same unit as `value`); null where the issue sets none. */
  limit: [number | null, number | null, number | null];
  atLeast?: boolean;
  value: (s: SizeResult) => number | undefined;
  show: (v: number) => string;
}

const ms = (v: number) => `${v < 1 ? v.toFixed(3) : v.toFixed(1)} ms`;

/** A query-language class's warm p50 over the plain class's, from the same run. */
function opRatio(s: SizeResult, cls: string): number | undefined {
  const c = s.warm.perClass[cls];
  const plain = s.warm.perClass['plain'];
  return c && plain && plain.p50 > 0 ? c.p50 / plain.p50 : undefined;
}

const GOALS: Goal[] = [
  { what: 'warm full response p50', goal: '≤ 0.15 ms (19k) / ≤ 0.5 ms (95k)', limit: [0.15, 0.5, null], value: (s) => s.warm.overall.p50, show: ms },
  { what: 'warm full response p99', goal: '≤ 2 ms (19k) / ≤ 10 ms (95k)', limit: [2, 10, null], value: (s) => s.warm.overall.p99, show: ms },
  { what: 'suggest p50, in process (issue 6)', goal: '< 1 ms (19k)', limit: [1, null, null], value: (s) => s.warm.perClass['suggest']?.p50, show: ms },
  { what: 'phrase p50 ÷ plain p50 (query language)', goal: '≤ 2 (95k)', limit: [null, 2, null], value: (s) => opRatio(s, 'phrase'), show: (v) => `${v.toFixed(2)}×` },
  { what: 'boolean p50 ÷ plain p50 (OR, -term)', goal: '≤ 2 (95k)', limit: [null, 2, null], value: (s) => opRatio(s, 'boolean'), show: (v) => `${v.toFixed(2)}×` },
  { what: 'cold start, S3 (import + load + first answer)', goal: '≤ 300 ms (19k) / ≤ 1 s (95k)', limit: [300, 1000, null], value: (s) => s.cold.find((c) => c.source === 's3')?.totalMs, show: ms },
  { what: 'cold start, folder (for reference)', goal: '≤ 300 ms (19k) / ≤ 1 s (95k)', limit: [300, 1000, null], value: (s) => s.cold.find((c) => c.source === 'folder')?.totalMs, show: ms },
  { what: 'bytes read before first answer (S3)', goal: '≤ 40% of bundle (19k, 95k) / ≤ 5% (1M)', limit: [40, 40, 5], value: (s) => s.cold.find((c) => c.source === 's3')?.pctOfBundle, show: (v) => `${v.toFixed(1)}%` },
  { what: 'build throughput (incl. entity extraction)', goal: '≥ 500 articles/s', limit: [500, 500, null], atLeast: true, value: (s) => (s.build ? s.articles / (s.build.ms.total / 1000) : undefined), show: (v) => `${v.toFixed(0)} articles/s` },
  { what: 'peak RSS, function (cold start and warm processes)', goal: '≤ 512 MB (95k)', limit: [null, 512, null], value: (s) => Math.max(s.warm.peakRss, ...s.cold.map((c) => c.peakRss)) / MB, show: (v) => `${v.toFixed(0)} MB` },
  { what: 'peak RSS, build process', goal: '≤ 512 MB (95k)', limit: [null, 512, null], value: (s) => (s.build ? s.build.peakRss / MB : undefined), show: (v) => `${v.toFixed(0)} MB` },
];

type Tier = 0 | 1 | 2;
export const TIER_NAMES = ['19k', '95k', '1M'] as const;

/**
 * Reuters 1× and 5× as the issue means them, and scale corpora of 95k and 1M articles (±1%); another
 * size (the quick subset, the 20k smoke) or a custom `--index` bundle is not one.
 */
export function tierOfCorpus(articles: number, copies: number, scale: boolean): Tier | null {
  const near = (n: number) => Math.abs(articles - n) <= n * 0.01;
  if (scale) {
    if (near(95_000)) return 1;
    if (near(1_000_000)) return 2;
    return null;
  }
  if (copies === 1 && near(REUTERS_ARTICLES)) return 0;
  if (copies === 5 && near(5 * REUTERS_ARTICLES)) return 1;
  return null;
}

const tierOf = (s: SizeResult) => tierOfCorpus(s.articles, s.copies, Boolean(s.scale) || s.label.startsWith('scale '));

export function evaluateTargets(r: BenchReport): TargetRow[] {
  const rows: TargetRow[] = [];
  const corpus = (s: SizeResult) => `${s.label} (${s.articles.toLocaleString('en')})`;
  // A tier this run set out to measure (settings.tiers) and did not is listed as not measured.
  const planned = new Set(r.settings.tiers ?? (r.settings.quick ? [] : ['19k', '95k']));
  for (const g of GOALS) {
    for (const tier of [0, 1, 2] as const) {
      const limit = g.limit[tier];
      if (limit === null) continue;
      const inTier = r.sizes.filter((x) => tierOf(x) === tier);
      if (inTier.length === 0) {
        if (planned.has(TIER_NAMES[tier])) rows.push({ what: g.what, corpus: TIER_NAMES[tier], goal: g.goal, measured: '—', result: 'not measured' });
        continue;
      }
      for (const s of inTier) {
        const v = g.value(s);
        if (v === undefined) {
          rows.push({ what: g.what, corpus: corpus(s), goal: g.goal, measured: '—', result: 'not measured' });
          continue;
        }
        const ok = g.atLeast ? v >= limit : v <= limit;
        rows.push({ what: g.what, corpus: corpus(s), goal: g.goal, measured: g.show(v), result: ok ? 'pass' : 'miss' });
      }
    }
    // Outside the tiers, and at 1M for the figures the issue asks for without a number: listed, n/a.
    for (const s of r.sizes.filter((x) => tierOf(x) === null || (tierOf(x) === 2 && g.limit[2] === null))) {
      const v = g.value(s);
      rows.push({ what: g.what, corpus: corpus(s), goal: g.goal, measured: v === undefined ? '—' : g.show(v), result: 'n/a' });
    }
  }
  const pkg = r.package;
  if ('bytes' in pkg) {
    rows.push({
      what: `packaged function zip (${pkg.freshlyPackaged ? 'packaged now' : `existing, written ${pkg.builtAt}`})`,
      corpus: '—',
      goal: '≤ 300 kB',
      measured: `${(pkg.bytes / 1000).toFixed(1)} kB`,
      result: pkg.bytes <= 300_000 ? 'pass' : 'miss',
    });
  } else {
    rows.push({ what: 'packaged function zip', corpus: '—', goal: '≤ 300 kB', measured: pkg.error, result: 'not measured' });
  }
  return rows;
}
