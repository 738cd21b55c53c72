import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO } from './child.ts';
import type { CorpusSpec } from './corpus.ts';
import { ENGINES } from './peers/registry.ts';
import type { BenchSettings } from './summary.ts';

/** Command-line options of `bench/run.ts`, validated once; unknown flags are an error. */
export const HELP = `usage: tsx bench/run.ts [options]
  (no options)        Reuters 1× (19,043 articles) and 5× (95,215), all peers
  --quick             first 2,000 Reuters articles, 30 queries/class, 1 pass, 3 cold starts (CI, ~1-3 min)
  --sizes 1,5         Reuters copies to run (5× builds ~5× longer)
  --peers LIST|none   orama,minisearch,lunr (default: all)
  --per-class N       queries per class (default 60; quick 30)
  --passes N          timed warm passes after a warm-up pass (default 3; quick 1)
  --runs N            cold starts per source (default 5; quick 3)
  --seed N            query generator seed
  --derive            build k× bundles (k > 1) from the 1× articles with the product's buildBundle,
                      reusing 1×'s entity extraction: same bundle, minutes instead of ~5× the 1× build
                      (k× build throughput and build RSS are then not measured); needs 1 in --sizes
  --package           run \`serverless package\` (dummy AWS env) and report the zip size
  --index DIR         use an already built bundle folder for the (first) size; skips its build
  --keep              keep the temp folder (corpora, bundles, queries)
  --out DIR           where latest.md and latest.json go (default bench/results)`;

export interface RunOptions {
  specs: CorpusSpec[];
  settings: BenchSettings;
  index: string | undefined;
  keep: boolean;
  derive: boolean;
  out: string;
  runPackage: boolean;
  help: boolean;
}

export function parseOptions(argv: string[]): RunOptions {
  const { values: a } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      sizes: { type: 'string' },
      peers: { type: 'string', default: Object.keys(ENGINES).join(',') },
      'per-class': { type: 'string' },
      passes: { type: 'string' },
      runs: { type: 'string' },
      seed: { type: 'string', default: String(0x5eed) },
      package: { type: 'boolean', default: false },
      derive: { type: 'boolean', default: false },
      index: { type: 'string' },
      keep: { type: 'boolean', default: false },
      out: { type: 'string', default: join(REPO, 'bench', 'results') },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const whole = (name: string, v: string | undefined, fallback: number) => {
    if (v === undefined) return fallback;
    if (!/^\d+$/.test(v.trim()) || Number(v) < 1) throw new Error(`--${name} must be a whole number ≥ 1, got ${JSON.stringify(v)}`);
    return Number(v);
  };
  const quick = a.quick;
  const specs: CorpusSpec[] = quick
    ? [{ label: 'quick', copies: 1, firstN: 2000 }]
    : (a.sizes ?? '1,5').split(',').map((s) => {
        const copies = whole('sizes', s, 1);
        return { label: `${copies}×`, copies };
      })
        .sort((x, y) => x.copies - y.copies);
  const peers = a.peers === 'none' ? [] : (a.peers).split(',').map((p) => p.trim().toLowerCase());
  for (const p of peers) if (!ENGINES[p]) throw new Error(`unknown peer ${p} (known: ${Object.keys(ENGINES).join(', ')}, or none)`);
  if (a.index && specs.length !== 1 && !a.derive) throw new Error('--index is the bundle of one size: give one size, or add --derive to derive the others from it');
  if (a.derive && (quick || specs[0]?.copies !== 1)) throw new Error('--derive needs size 1 in --sizes (the k× bundles are made from it)');
  return {
    specs,
    settings: {
      argv,
      quick,
      perClass: whole('per-class', a['per-class'], quick ? 30 : 60),
      warmPasses: whole('passes', a.passes, quick ? 1 : 3),
      coldRuns: whole('runs', a.runs, quick ? 3 : 5),
      seed: whole('seed', a.seed, 0x5eed),
      peers,
    },
    index: a.index,
    keep: a.keep,
    derive: a.derive,
    out: a.out,
    runPackage: a.package,
    help: a.help,
  };
}
