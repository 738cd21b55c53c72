import type { RankEngine } from './engines/types.ts';
import { outcome, scoresBySet, type Outcome, type SetScore } from './metrics.ts';
import type { EvalQuery, SetName } from './queries.ts';

export interface EngineRun {
  name: string;
  role: RankEngine['role'];
  notes: string;
  outcomes: Outcome[];
  /** Top-10 ids per query, for the loss analysis. */
  top: string[][];
  scores: Record<SetName, SetScore>;
}

/** Every query through one engine, sequentially (quality, not throughput), one warm-up query first. */
export async function runEngine(engine: RankEngine, queries: readonly EvalQuery[]): Promise<EngineRun> {
  if (queries[0]) await engine.search(queries[0].words, queries[0].typed ?? false);
  const outcomes: Outcome[] = [];
  const top: string[][] = [];
  for (const q of queries) {
    const t = performance.now();
    const ids = await engine.search(q.words, q.typed ?? false);
    const ms = performance.now() - t;
    top.push(ids);
    outcomes.push(outcome(q, ids, ms));
  }
  return { name: engine.name, role: engine.role, notes: engine.notes, outcomes, top, scores: scoresBySet(queries, outcomes) };
}
