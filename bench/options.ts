import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO } from './child.ts';
import { REUTERS_ARTICLES, specArticles, type CorpusSpec } from './corpus.ts';
import { DEFAULT_SCALE_SEED, parseCount } from './scale-corpus.ts';
import { ENGINES } from './peers/registry.ts';
import type { BenchSettings } from './summary.ts';
import { tierOfCorpus, TIER_NAMES } from './targets.ts';

/** Command-line options of `bench/run.ts`, validated once; unknown flags are an error. */
export const HELP = `usage: tsx bench/run.ts [options]
  (no options)        Reuters 1× (19,043 articles) and 5× (95,215), all peers
  --quick             first 2,000 Reuters articles, 30 queries/class, 1 pass, 3 cold starts (CI, ~1-3 min)
  --sizes 1,5         Reuters copies to run (5× builds ~5× longer)
  --scale LIST        scale corpora to run, by article count: 20k, 95k, 1m, 250000, … (bench/scale-corpus.ts:
                      Reuters with words, surnames and cities varied so distinct terms grow by Heaps' law,
                      dates spread one year per Reuters pass, ending 2025). Built with the real build (heap
                      cap 8 GB), then the same cold/warm/peer steps. Alone, runs only these; with --sizes, both.
                      1m: hours of build on 2 cores (100-300 articles/s); peers get 8 GB each and are
                      reported as "could not load within 8 GB" when they run out (not a failure)
  --derive-scale      build the --scale corpora without entity extraction (bench/derive-scale-child.ts): the
                      real build's reading, segments of its size, analyzer and parts (buildSegment, written
                      to the folder segment by segment), but each copy <id>-s<k> gets the people/locations/
                      about the real build extracted for its source Reuters article <id>, read from a 1×
                      Reuters bundle (--facets-from, or the 1× of this run, or else a 1× real build made
                      first). 1M: minutes instead of ~90 min; build throughput is then not the real build's
  --facets-from DIR   with --derive-scale: the 1× Reuters bundle folder whose facets are copied (e.g. a
                      bundle-1x kept with --keep)
  --scale-corpus FILE reuse a scale corpus written earlier by bench/scale-corpus.ts (same count and seed) for
                      the one --scale size instead of generating it; its generation stats are not reported
  --scale-smoke       CI check of the scale path: a 20k scale corpus, quick settings, no peers unless --peers
  --corpus-seed N     scale corpus seed (default ${DEFAULT_SCALE_SEED})
  --segment-size N    the product build's \`segmentSize\` (articles per date-ranged segment; default: the build's)
  --peers LIST|none   orama,minisearch,lunr (default: all; none with --scale-smoke)
  --peer-timeout MIN  minutes each peer step (build, then load + query) may take before it is reported
                      as "did not finish within MIN min" (a finding, like running out of heap; default:
                      90 min or 10 ms per article, whichever is longer)
  --per-class N       queries per class (default 60; quick 30)
  --passes N          timed warm passes after a warm-up pass (default 3; quick 1)
  --runs N            cold starts per source (default 5; quick 3)
  --seed N            query generator seed
  --derive            build k× bundles (k > 1) from the 1× articles with the product's buildBundle,
                      reusing 1×'s entity extraction: same bundle, minutes instead of ~5× the 1× build
                      (k× build throughput and build RSS are then not measured); needs 1 in --sizes
  --package           run \`serverless package\` (dummy AWS env) and report the zip size
  --index DIR         use an already built bundle folder for the (first) size; skips its build
                      (e.g. a 1m scale bundle kept from an earlier run with --keep; with --derive-scale, the
                      record <DIR>.derive-scale.json its derived build left is reported as its build)
  --keep              keep the temp folder (corpora, bundles, queries)
  --out DIR           where latest.md and latest.json go (default bench/results)`;

export interface RunOptions {
  specs: CorpusSpec[];
  settings: BenchSettings;
  index: string | undefined;
  keep: boolean;
  derive: boolean;
  /** `--derive-scale`: scale corpora built without extraction, facets copied from their source articles. */
  deriveScale: boolean;
  /** `--facets-from`: the 1× Reuters bundle `--derive-scale` copies facets from. */
  facetsFrom: string | undefined;
  /** `--scale-corpus`: an already generated scale corpus file. */
  scaleCorpus: string | undefined;
  /** Articles per segment for the product build (`--segment-size`). */
  segmentSize: number | undefined;
  corpusSeed: number;
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
      scale: { type: 'string' },
      'scale-smoke': { type: 'boolean', default: false },
      'corpus-seed': { type: 'string' },
      'segment-size': { type: 'string' },
      peers: { type: 'string' },
      'per-class': { type: 'string' },
      'peer-timeout': { type: 'string' },
      passes: { type: 'string' },
      runs: { type: 'string' },
      seed: { type: 'string', default: String(0x5eed) },
      package: { type: 'boolean', default: false },
      derive: { type: 'boolean', default: false },
      'derive-scale': { type: 'boolean', default: false },
      'facets-from': { type: 'string' },
      'scale-corpus': { type: 'string' },
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
  const smoke = a['scale-smoke'];
  if (quick && smoke) throw new Error('--quick and --scale-smoke are two different CI runs: give one');
  const scaleSpec = (n: number): CorpusSpec => ({ label: `scale ${countLabel(n)}`, copies: Math.ceil(n / REUTERS_ARTICLES), scale: n });
  const reuters = (a.sizes ?? (a.scale ? '' : '1,5')).split(',').filter((s) => s.trim() !== '').map((s) => {
    const copies = whole('sizes', s, 1);
    return { label: `${copies}×`, copies };
  });
  const scale = (a.scale ?? '').split(',').filter((s) => s.trim() !== '').map((s) => scaleSpec(parseCount(s)));
  const specs: CorpusSpec[] = quick
    ? [{ label: 'quick', copies: 1, firstN: 2000 }]
    : smoke
      ? [scaleSpec(SMOKE_ARTICLES)]
      : [...reuters, ...scale].sort((x, y) => specArticles(x) - specArticles(y));
  const light = quick || smoke;
  const peerList = a.peers ?? (smoke ? 'none' : Object.keys(ENGINES).join(','));
  const peers = peerList === 'none' ? [] : peerList.split(',').map((p) => p.trim().toLowerCase());
  for (const p of peers) if (!ENGINES[p]) throw new Error(`unknown peer ${p} (known: ${Object.keys(ENGINES).join(', ')}, or none)`);
  if (a.index && specs.length !== 1 && !a.derive) throw new Error('--index is the bundle of one size: give one size, or add --derive to derive the others from it');
  if (a.derive && (light || !specs.some((s) => s.copies === 1 && s.scale === undefined))) throw new Error('--derive needs size 1 in --sizes (the k× bundles are made from it)');
  const scaleSpecs = specs.filter((s) => s.scale !== undefined);
  if (a['derive-scale'] && !scaleSpecs.length) throw new Error('--derive-scale needs a scale corpus (--scale or --scale-smoke)');
  if (a['facets-from'] && !a['derive-scale']) throw new Error('--facets-from goes with --derive-scale');
  if (a['scale-corpus'] && scaleSpecs.length !== 1) throw new Error('--scale-corpus is the corpus of one scale size: give one --scale size');
  return {
    specs,
    settings: {
      argv,
      quick,
      ...(smoke ? { scaleSmoke: true } : {}),
      tiers: [...new Set(specs.flatMap((sp) => {
        const t = sp.firstN === undefined ? tierOfCorpus(specArticles(sp), sp.copies, sp.scale !== undefined) : null;
        return t === null ? [] : [TIER_NAMES[t]];
      }))],
      perClass: whole('per-class', a['per-class'], light ? 30 : 60),
      warmPasses: whole('passes', a.passes, light ? 1 : 3),
      coldRuns: whole('runs', a.runs, light ? 3 : 5),
      seed: whole('seed', a.seed, 0x5eed),
      peers,
      ...(a['peer-timeout'] === undefined ? {} : { peerTimeoutMin: whole('peer-timeout', a['peer-timeout'], 90) }),
    },
    index: a.index,
    keep: a.keep,
    derive: a.derive,
    deriveScale: a['derive-scale'],
    facetsFrom: a['facets-from'],
    scaleCorpus: a['scale-corpus'],
    segmentSize: a['segment-size'] === undefined ? undefined : whole('segment-size', a['segment-size'], 0),
    corpusSeed: a['corpus-seed'] === undefined ? DEFAULT_SCALE_SEED : whole('corpus-seed', a['corpus-seed'], DEFAULT_SCALE_SEED),
    out: a.out,
    runPackage: a.package,
    help: a.help,
  };
}

/** Articles of `--scale-smoke`: two Reuters passes (the second one short), so the vocabulary loop runs. */
export const SMOKE_ARTICLES = 20_000;

/** 20000 → `20k`, 1000000 → `1M`, 95215 → `95,215`. */
export function countLabel(n: number): string {
  if (n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (n % 1000 === 0) return `${n / 1000}k`;
  return n.toLocaleString('en');
}
