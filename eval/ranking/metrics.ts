import { KNOWN_ITEM, SETS, type EvalQuery, type SetName } from './queries.ts';
import { TOP_K } from './engines/types.ts';

/** One engine on one query. */
export interface Outcome {
  /** 1-based rank of the first relevant hit in the top 10, or null. */
  rank: number | null;
  /** Relevant hits in the top 10. */
  relevantInTop: number;
  /** Hits returned (at most 10). */
  returned: number;
  ms: number;
}

export interface SetScore {
  queries: number;
  /** Mean reciprocal rank of the first relevant hit, 0 beyond rank 10. */
  mrr: number;
  hit1: number;
  hit10: number;
  /** Mean precision@10: relevant hits in the top 10 / 10 (fewer than 10 hits count as misses). */
  p10: number;
  /** Median query time, ms. */
  p50Ms: number;
}

export function outcome(q: EvalQuery, ids: readonly string[], ms: number): Outcome {
  let rank: number | null = null;
  let relevantInTop = 0;
  ids.slice(0, TOP_K).forEach((id, i) => {
    if (!q.relevant.has(id)) return;
    relevantInTop++;
    rank ??= i + 1;
  });
  return { rank, relevantInTop, returned: Math.min(ids.length, TOP_K), ms };
}

export function score(outcomes: readonly Outcome[]): SetScore {
  const n = outcomes.length || 1;
  const sum = (f: (o: Outcome) => number) => outcomes.reduce((s, o) => s + f(o), 0) / n;
  return {
    queries: outcomes.length,
    mrr: sum((o) => (o.rank === null ? 0 : 1 / o.rank)),
    hit1: sum((o) => (o.rank === 1 ? 1 : 0)),
    hit10: sum((o) => (o.rank === null ? 0 : 1)),
    p10: sum((o) => o.relevantInTop / TOP_K),
    p50Ms: percentile(outcomes.map((o) => o.ms), 50),
  };
}

/** The number each set is judged on: MRR@10 for known-item sets, P@10 for topical ones. */
export function primary(set: SetName, s: SetScore): number {
  return KNOWN_ITEM.has(set) ? s.mrr : s.p10;
}

export const PRIMARY_NAME: Record<SetName, string> = { title: 'MRR@10', body: 'MRR@10', category: 'P@10', place: 'P@10', typed: 'P@10' };

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export function scoresBySet(queries: readonly EvalQuery[], outcomes: readonly Outcome[]): Record<SetName, SetScore> {
  const out = {} as Record<SetName, SetScore>;
  for (const set of SETS) out[set] = score(outcomes.filter((_, i) => queries[i]?.set === set));
  return out;
}
