import type { BuildResult, DeriveResult, ScaleDeriveResult } from './build.ts';
import type { BundleSizes } from './bundle-read.ts';
import type { ColdRun } from './cold-start.ts';
import type { MachineInfo } from './machine.ts';
import type { PackageSize } from './package-size.ts';
import type { PeerBuildResult } from './peers/run.ts';
import type { ScaleStats } from './scale-corpus.ts';
import { BOX_CLASSES, OPERATOR_CLASSES, QUERY_CLASSES } from './queries.ts';
import { max, median, passPercentiles, percentile } from './stats.ts';
import type { RevalidateResult } from './warm-child.ts';

/** The shapes of `latest.json`, and the reductions from raw child results to medians. */
export interface Latency {
  p50: number;
  p99: number;
  samples: number;
}

export interface ClassLatency extends Latency {
  zeroHits: number;
  meanTotal: number;
}

export interface QuerySummary {
  loadMs: number;
  peakRss: number;
  overall: Latency;
  perClass: Record<string, ClassLatency>;
  /** Ours only: the pass replaying every request with If-None-Match (warm-child.ts). */
  revalidate?: RevalidateSummary;
}

export interface RevalidateSummary {
  requests: number;
  notModified: number;
  /** notModified / requests. */
  share: number;
  withoutEtag: number;
  other: Record<string, number>;
  p50_304: number;
  p99_304: number;
  /** The same requests' full answers (last timed pass). */
  p50_200: number;
  p99_200: number;
  bytesFull: number;
  bytesSaved: number;
  bytes304: number;
}

export function summarizeRevalidate(r: RevalidateResult): RevalidateSummary {
  return {
    requests: r.requests,
    notModified: r.notModified,
    share: r.requests ? r.notModified / r.requests : Number.NaN,
    withoutEtag: r.withoutEtag,
    other: r.other,
    p50_304: percentile(r.ms304, 50),
    p99_304: percentile(r.ms304, 99),
    p50_200: percentile(r.ms200, 50),
    p99_200: percentile(r.ms200, 99),
    bytesFull: r.bytesFull,
    bytesSaved: r.bytesSaved,
    bytes304: r.bytes304,
  };
}

export interface ColdSummary {
  source: 's3' | 'folder';
  runs: number;
  totalMs: number;
  importMs: number;
  firstAnswerMs: number;
  minTotalMs: number;
  maxTotalMs: number;
  sinceProcessStartMs: number;
  bytesRead: number;
  pctOfBundle: number;
  requests: number;
  peakRss: number;
}

export interface PeerSummary {
  name: string;
  notes: string;
  build?: PeerBuildResult;
  query?: QuerySummary;
  error?: string;
  /** The error is a limit reached (8 GB heap, V8's longest string), not a crash. */
  limit?: boolean;
}

export interface SizeResult {
  label: string;
  /** Reuters copies; for a scale corpus, the Reuters passes it made. */
  copies: number;
  /** Scale corpus (bench/scale-corpus.ts): how it was generated, its distinct terms. */
  scale?: ScaleStats;
  articles: number;
  input: string;
  /** Null when an existing bundle was given with `--index`, or the bundle was derived. */
  build: BuildResult | null;
  /**
   * `--derive`: made from the 1× articles with buildBundle (no extraction); `--derive-scale` (kind
   * `scale`): the scale corpus built segment by segment without extraction, facets copied.
   */
  derived: DeriveResult | ScaleDeriveResult | null;
  bundle: BundleSizes;
  publishMs: number;
  queries: number;
  coldQuery: string;
  cold: ColdSummary[];
  coldRuns: ColdRun[];
  warm: QuerySummary;
  peers: PeerSummary[];
}

export interface BenchSettings {
  argv: string[];
  quick: boolean;
  perClass: number;
  warmPasses: number;
  coldRuns: number;
  seed: number;
  derive?: boolean;
  /** `--derive-scale`: scale corpora built without extraction (facets copied from the source articles). */
  deriveScale?: boolean;
  /** `--scale-smoke`: the 20k scale corpus with quick settings. */
  scaleSmoke?: boolean;
  /** Scale corpus seed (when a scale corpus ran). */
  corpusSeed?: number;
  /** `--segment-size` handed to the product build. */
  segmentSize?: number;
  /** The target tiers (19k, 95k, 1M) the requested corpora fall in: a missing one is "not measured". */
  tiers?: string[];
  peers: string[];
  /** `--peer-timeout`: minutes per peer step. */
  peerTimeoutMin?: number;
}

export interface BenchReport {
  machine: MachineInfo;
  settings: BenchSettings;
  handlerBundleBytes: number;
  package: PackageSize | { error: string };
  sizes: SizeResult[];
  failures: string[];
  finishedAt: string;
  wallSeconds: number;
}

/** p50/p99 per class and overall: each pass on its own, then the median over passes. */
export function summarizeQueries(
  passes: Array<Record<string, number[]>>,
  perClass: Record<string, { zeroHits: number; meanTotal: number }>,
  loadMs: number,
  peakRss: number,
): QuerySummary {
  // "Overall" is the search mix the peers also run; search-box classes are reported on their own.
  const overall = passPercentiles(passes.map((p) => QUERY_CLASSES.flatMap((c) => p[c] ?? [])));
  const out: QuerySummary = { loadMs, peakRss, overall, perClass: {} };
  const oursOnly: readonly string[] = [...BOX_CLASSES, ...OPERATOR_CLASSES];
  for (const cls of [...QUERY_CLASSES, ...BOX_CLASSES, ...OPERATOR_CLASSES]) {
    if (!passes.some((p) => p[cls]?.length) && oursOnly.includes(cls)) continue;
    const lat = passPercentiles(passes.map((p) => p[cls] ?? []));
    out.perClass[cls] = { ...lat, zeroHits: perClass[cls]?.zeroHits ?? 0, meanTotal: perClass[cls]?.meanTotal ?? 0 };
  }
  return out;
}

export function summarizeCold(runs: readonly ColdRun[], source: 's3' | 'folder', bundleStored: number): ColdSummary | null {
  const rs = runs.filter((r) => r.source === source);
  if (rs.length === 0) return null;
  const m = (f: (r: ColdRun) => number) => median(rs.map(f));
  const bytesRead = m((r) => r.bytesRead);
  return {
    source,
    runs: rs.length,
    totalMs: m((r) => r.totalMs),
    importMs: m((r) => r.importMs),
    firstAnswerMs: m((r) => r.firstAnswerMs),
    minTotalMs: Math.min(...rs.map((r) => r.totalMs)),
    maxTotalMs: max(rs.map((r) => r.totalMs)),
    sinceProcessStartMs: m((r) => r.sinceProcessStartMs),
    bytesRead,
    pctOfBundle: (100 * bytesRead) / bundleStored,
    requests: m((r) => r.requests),
    peakRss: max(rs.map((r) => r.peakRss)),
  };
}
