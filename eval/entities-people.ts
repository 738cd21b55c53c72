/**
 * The person facet after the build's corpus passes (firms named after people leave it; one canonical name per
 * person across the archive), applied through `EntityDictionary` one batch at a time as a streaming build does,
 * and what that costs against one batch over the whole corpus (what indexer/build.ts does today).
 *
 * People on Reuters-21578, whose gold `people` are slugs ("james-baker", "volcker") for the people a story is
 * about (1,012 stories have any). Rule: a value names a gold person when its words end with the slug's,
 * hyphens, case and accents ignored (the corpus pass's own slug rule: "Paul Volcker" and "Volcker" both name
 * "volcker", "Baker" does not name "james-baker"). Two rows:
 * - found: a gold person is found when a value of the story names them; a value of a labelled story naming
 *   no gold person, or one already named, is a false positive. Labels list the people a story is about,
 *   not everyone it names, so precision is a floor; the passes move it by dropping firms and duplicates.
 * - one name: a gold person counts only when the story files them under their main value across the
 *   archive (the value naming them in most labelled stories). This is what the alias pass is for: without
 *   it "Volcker" and "Paul Volcker" split one man over two facet values. Recall only (no false positives).
 */
import { gzipSync } from 'node:zlib';
import { facetKey } from '../core/text.ts';
import { endsWithSlug } from '../indexer/entities/corpus-aliases.ts';
import { EntityDictionary } from '../indexer/entities/dictionary.ts';
import type { Counts } from './entities-score.ts';

export interface PeopleOf {
  people: string[];
  institutions?: string[];
}

export interface PassReport {
  batches: number;
  /** Names the dictionary holds at the end, and pruned on the way. */
  names: number;
  pruned: number;
  jsonBytes: number;
  gzipBytes: number;
  ms: number;
}

/**
 * `--batch N` (N articles a batch) or `--batch all` (one batch); undefined without the option. Throws on
 * anything else, so a typo does not silently measure the wrong build.
 */
export function batchOption(args: readonly string[]): number | undefined {
  const i = args.indexOf('--batch');
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === 'all') return Infinity;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--batch wants a positive number of articles or "all", got ${JSON.stringify(value)}`);
  return n;
}

/** Both corpus passes through one dictionary, `size` articles a batch in input order (mutates `articles`). */
export function applyCorpusPasses(articles: PeopleOf[], size: number): PassReport {
  const t0 = performance.now();
  const dict = EntityDictionary.empty();
  let batches = 0;
  for (let i = 0; i < articles.length; i += size, batches++) dict.applyBatch(articles.slice(i, i + size));
  const ms = performance.now() - t0;
  const json = JSON.stringify(dict);
  return { batches, names: dict.size, pruned: dict.toJSON().pruned, jsonBytes: Buffer.byteLength(json), gzipBytes: gzipSync(json).length, ms };
}

/** Copies of the facets, for running the passes more than once on one extraction. */
export const clonePeople = (articles: readonly PeopleOf[]): PeopleOf[] =>
  articles.map((a) => ({ people: [...a.people], ...(a.institutions ? { institutions: [...a.institutions] } : {}) }));

export interface ReutersPeopleResult {
  found: Counts;
  oneName: Counts;
}

export function scoreReutersPeople(gold: readonly string[][], people: readonly string[][]): ReutersPeopleResult {
  const found: Counts = { tp: 0, fp: 0, fn: 0 };
  // Per slug, per value (by facet key): labelled stories carrying it.
  const carriers = new Map<string, Map<string, number>>();
  gold.forEach((slugs, k) => {
    if (slugs.length === 0) return;
    const values = people[k]!;
    const taken = new Set<string>();
    for (const v of values) {
      const slug = slugs.find((s) => !taken.has(s) && endsWithSlug(v, s));
      if (slug === undefined) found.fp++;
      else taken.add(slug);
    }
    found.tp += taken.size;
    found.fn += slugs.length - taken.size;
    for (const s of slugs) {
      const byValue = carriers.get(s) ?? new Map<string, number>();
      for (const key of new Set(values.filter((v) => endsWithSlug(v, s)).map(facetKey))) byValue.set(key, (byValue.get(key) ?? 0) + 1);
      carriers.set(s, byValue);
    }
  });
  const main = new Map([...carriers].map(([s, byValue]) => [s, [...byValue].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0]]));
  const oneName: Counts = { tp: 0, fp: 0, fn: 0 };
  gold.forEach((slugs, k) => {
    const keys = new Set(people[k]!.map(facetKey));
    for (const s of slugs) {
      const m = main.get(s);
      if (m !== undefined && keys.has(m)) oneName.tp++;
      else oneName.fn++;
    }
  });
  return { found, oneName };
}

export interface FacetDiff {
  /** Articles whose person facet (as a set of facet keys) differs. */
  differ: number;
  /** (article, person) pairs, and distinct facet values, on each side. */
  pairs: [number, number];
  values: [number, number];
}

/** How far the person facets of one corpus, filed two ways, are apart. */
export function compareFacets(a: readonly string[][], b: readonly string[][]): FacetDiff {
  const keys = (people: readonly string[]) => [...new Set(people.map(facetKey))].sort().join('\n');
  const pairs = (side: readonly string[][]) => side.reduce((s, p) => s + new Set(p.map(facetKey)).size, 0);
  const values = (side: readonly string[][]) => new Set(side.flatMap((p) => p.map(facetKey))).size;
  return { differ: a.filter((p, k) => keys(p) !== keys(b[k]!)).length, pairs: [pairs(a), pairs(b)], values: [values(a), values(b)] };
}

export interface PassRun {
  report: PassReport;
  /** The person facet one batch over the corpus gives (what indexer/build.ts does today), for comparison. */
  oneBatch: string[][];
  diff: FacetDiff;
}

/** `--batch`: the passes in batches of `size` on `articles` (mutated), and one batch on a copy beside them. */
export function runPasses(articles: PeopleOf[], size: number): PassRun {
  const one = clonePeople(articles);
  applyCorpusPasses(one, Infinity);
  const report = applyCorpusPasses(articles, size);
  const oneBatch = one.map((a) => a.people);
  return { report, oneBatch, diff: compareFacets(articles.map((a) => a.people), oneBatch) };
}
