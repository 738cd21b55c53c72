/**
 * Ranking parameters on several query samples at once: our engine with each parameter set of a grid,
 * FlexSearch and MiniSearch (the best peers of eval/ranking.ts) on the same queries. For checking a
 * ranking change on more than the one seed CI uses before trusting a small gap (see eval/README.md).
 *
 *   tsx eval/tune.ts --index <dir> [--seeds 20250601,1,2] [--sample 5000] [--grid '[{"titleOrder":1}]']
 *
 * Each grid entry overrides runtime parameters of `RANK` (stage 1, and k1, titleWeight, allInTitle in
 * stage 2) or `STAGE2` (stage 2), both in core/search/scoring.ts, for its run; `{}` is the product as
 * shipped. Title and body use `--sample` queries per seed; the topical sets do not depend on the seed
 * and run once.
 */
import { parseArgs } from 'node:util';
import { RANK, STAGE2 } from '../core/search/scoring.ts';
import { indexedDocs, loadOurIndex, readReutersLabels } from './ranking/corpus.ts';
import { flexsearchPeer } from './ranking/engines/flexsearch.ts';
import { minisearchPeer } from './ranking/engines/minisearch.ts';
import { oursEngine } from './ranking/engines/ours.ts';
import type { RankEngine } from './ranking/engines/types.ts';
import { primary } from './ranking/metrics.ts';
import { generateQueries, type EvalQuery, type SetName } from './ranking/queries.ts';
import { runEngine } from './ranking/run.ts';

const { values: args } = parseArgs({
  options: {
    index: { type: 'string' },
    seeds: { type: 'string', default: '20250601,1,2' },
    sample: { type: 'string', default: '5000' },
    grid: { type: 'string', default: '[{}]' },
  },
  strict: true,
});

/**
 * Length normalization is applied once, when the index is loaded (`SearchIndex.titleNorm`, `bodyNorm`),
 * and the index is loaded once before the grid runs: overriding it here would do nothing.
 */
const LOAD_TIME = new Set(['bTitle', 'bBody']);
type Params = Record<string, number>;

function parseGrid(text: string): Params[] {
  const grid = JSON.parse(text) as unknown;
  if (!Array.isArray(grid)) throw new Error('--grid must be a JSON array of objects');
  for (const g of grid as Params[]) {
    for (const [k, v] of Object.entries(g)) {
      if (LOAD_TIME.has(k)) throw new Error(`--grid: ${k} is applied when the index is loaded, not per query; change it in core/search/scoring.ts`);
      if (!(k in STAGE2) && !(k in RANK)) throw new Error(`--grid: unknown parameter ${k} (known: ${[...Object.keys(STAGE2), ...Object.keys(RANK)].join(', ')})`);
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`--grid: ${k} must be a number`);
    }
  }
  return grid as Params[];
}

/** Runs `fn` with the parameters overridden, then restores them (the objects are frozen in type only). */
async function withParams<T>(p: Params, fn: () => Promise<T>): Promise<T> {
  const targets = Object.keys(p).map((k) => [k, (k in STAGE2 ? STAGE2 : RANK) as unknown as Params] as const);
  const saved = targets.map(([k, t]) => [k, t, t[k] as number] as const);
  for (const [k, t] of targets) t[k] = p[k] as number;
  try {
    return await fn();
  } finally {
    for (const [k, t, v] of saved) t[k] = v;
  }
}

async function main(): Promise<void> {
  const grid = parseGrid(args.grid);
  const seeds = (args.seeds).split(',').map(Number);
  if (seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new Error('--seeds must be whole numbers, comma-separated');
  const sample = Number(args.sample);
  if (!Number.isInteger(sample) || sample < 1) throw new Error('--sample must be a whole number');

  const index = await loadOurIndex({ index: args.index, log: (s) => process.stderr.write(s + '\n') });
  const docs = await indexedDocs(index);
  const labels = await readReutersLabels();
  const known: Array<{ seed: number; queries: EvalQuery[] }> = seeds.map((seed) => ({
    seed,
    queries: generateQueries(docs, labels, { sample, seed, minLabelled: 20 }).filter((q) => q.set === 'title' || q.set === 'body'),
  }));
  const topical = generateQueries(docs, labels, { sample: 1, seed: 1, minLabelled: 20 }).filter((q) => q.set === 'category' || q.set === 'place');
  const peers = [...(await flexsearchPeer.build(docs)).slice(0, 1), ...(await minisearchPeer.build(docs))];

  const cols = [...seeds.flatMap((s) => [`title s${s}`, `body s${s}`]), 'category', 'place'];
  console.log(`| engine | ${cols.join(' | ')} |`);
  console.log(`|---|${cols.map(() => '---|').join('')}`);
  const row = async (name: string, engine: RankEngine) => {
    const cells: string[] = [];
    for (const { queries } of known) {
      const r = await runEngine(engine, queries);
      cells.push(...(['title', 'body'] as SetName[]).map((s) => primary(s, r.scores[s]).toFixed(4)));
    }
    const t = await runEngine(engine, topical);
    cells.push(...(['category', 'place'] as SetName[]).map((s) => primary(s, t.scores[s]).toFixed(4)));
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  };
  for (const p of peers) await row(p.name, p);
  for (const p of grid) await withParams(p, () => row(`ours ${JSON.stringify(p)}`, oursEngine(index)));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(2);
});
