/**
 * `npm run eval:entities`: precision / recall / F1 of the person and location extractor against the two
 * labelled corpora in ../shared/data, checked against the issue 6 targets. Exits 1 when a target is missed
 * (`--no-fail` only reports). Options: `--limit N` (first N Reuters stories), `--workers N`, `--verbose`,
 * `--batch N` / `--batch all`.
 *
 * Without `--batch`, people are scored as extraction leaves them, per article: the build's corpus passes
 * (firms named after people dropped, one canonical name per person across the archive) are not applied.
 * `--batch N` applies them as a streaming build does, through one `EntityDictionary` fed N articles at a time
 * in input order, to each corpus (GUM and Reuters are separate archives); `--batch all` is one batch, what
 * indexer/build.ts does today. With `--batch`, the person facet is also compared with one batch.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createEnrichPool, defaultWorkerCount } from '../indexer/enrich-pool.ts';
import { placePasses } from '../indexer/hierarchy.ts';
import { createEntityExtractor, regionalReading, resolvePlaceAmong } from '../indexer/entities/index.ts';
import type { SourceArticle, StoredArticle } from '../core/types.ts';
import { scoreGum, type GumArticle } from './entities-gum.ts';
import { scoreReuters, type ReutersArticle } from './entities-reuters.ts';
import { batchOption, runPasses, scoreReutersPeople, type PassRun, type PeopleOf } from './entities-people.ts';
import { score, type Counts } from './entities-score.ts';

const DATA = resolve(import.meta.dirname, '../../shared/data');
const args = process.argv.slice(2);
const option = (name: string): number | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : undefined;
};

interface Row {
  name: string;
  counts: Counts;
  /** Minimum precision / recall / F1 demanded by issue 6, if any. */
  target?: { precision?: number; recall?: number; f1?: number };
  /** No false positives are counted, so only recall means anything: P and F1 are shown as "-". */
  recallOnly?: boolean;
}

const ndjson = <T>(text: string): T[] => text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T);

/** The two place facets of one article, and its people with what the corpus passes need. */
type Extracted = PeopleOf & { locations: string[]; about: string[] };

/** The build's per-article place passes: what a build stores is what is scored. */
const stored = (s: StoredArticle) => placePasses(s, resolvePlaceAmong, regionalReading);

/** Reuters extraction in the build's worker pool, with the gold labels stripped from the input. */
async function extractReuters(articles: ReutersArticle[]): Promise<Extracted[]> {
  const pool = createEnrichPool(option('--workers') ?? defaultWorkerCount());
  try {
    const batches: Promise<Extracted[]>[] = [];
    for (let i = 0; i < articles.length; i += 100) {
      const batch: SourceArticle[] = articles.slice(i, i + 100).map((a) => ({ id: a.id, date: '1987-01-01', title: a.title, body: a.body, ...(a.dateline ? { dateline: a.dateline } : {}) }));
      batches.push(pool.enrich(batch).then((out) => out.map((e) => {
        const s = stored(e);
        return { people: s.people, ...(e.institutions ? { institutions: e.institutions } : {}), locations: s.locations, about: s.about };
      })));
    }
    return (await Promise.all(batches)).flat();
  } finally {
    await pool.close();
  }
}

/** One row as written to eval/results/entities.json (read by eval/all.ts). */
export interface EntityRowResult {
  name: string;
  precision: number;
  recall: number;
  f1: number;
  target: Row['target'] | null;
  ok: boolean;
}

function printRows(rows: Row[]): EntityRowResult[] {
  const results: EntityRowResult[] = [];
  const pct = (x: number) => x.toFixed(3);
  console.log('| corpus / facet | P | R | F1 | tp | fp | fn | target | |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const s = score(r.counts);
    const t = r.target ?? {};
    const missed = (t.precision !== undefined && s.precision < t.precision) || (t.recall !== undefined && s.recall < t.recall) ||
      (t.f1 !== undefined && s.f1 < t.f1);
    const want = [t.precision && `P≥${t.precision}`, t.recall && `R≥${t.recall}`, t.f1 && `F1≥${t.f1}`].filter(Boolean).join(' ');
    results.push({ name: r.name, precision: s.precision, recall: s.recall, f1: s.f1, target: r.target ?? null, ok: !missed });
    const only = (x: number) => (r.recallOnly ? '-' : pct(x));
    console.log(`| ${r.name} | ${only(s.precision)} | ${pct(s.recall)} | ${only(s.f1)} | ${s.tp} | ${s.fp} | ${s.fn} | ${want || '-'} | ${want ? (missed ? 'MISSED' : 'ok') : ''} |`);
  }
  return results;
}

/** `--batch`: what batching cost against one batch, and the dictionary's size. */
function printPasses(reuters: PassRun, gum: PassRun, oneBatch: ReturnType<typeof scoreReutersPeople>): void {
  const { report: d, diff } = reuters;
  const f = score(oneBatch.found);
  const o = score(oneBatch.oneName);
  console.log(`\nPeople in ${d.batches} batch(es) against one batch: Reuters stories whose person facet differs ${diff.differ} of ${reuters.oneBatch.length}` +
    ` (GUM ${gum.diff.differ} of ${gum.oneBatch.length}); (story, person) pairs ${diff.pairs[0]} vs ${diff.pairs[1]}; distinct values ${diff.values[0]} vs ${diff.values[1]}.`);
  console.log(`One batch would score: reuters people (found) P ${f.precision.toFixed(3)} R ${f.recall.toFixed(3)}, (one name) R ${o.recall.toFixed(3)}.`);
  console.log(`Reuters dictionary: ${d.names} names (${d.pruned} pruned), ${d.jsonBytes} bytes of JSON, ${d.gzipBytes} gzipped; passes ${d.ms.toFixed(0)} ms.`);
}

async function main(): Promise<number> {
  const verbose = args.includes('--verbose') || args.includes('-v');
  const batch = batchOption(args);
  const gum = ndjson<GumArticle>(readFileSync(resolve(DATA, 'wikinews-gum/articles.ndjson'), 'utf8'));
  const extractor = createEntityExtractor();
  const gumExtracted = gum.map((a) => extractor.extract(a.title, a.body));
  const gumPasses = batch === undefined ? null : runPasses(gumExtracted, batch);
  const g = scoreGum(gum, gumExtracted);
  // GUM marks every place mentioned, so `locations` is the facet to compare; `about` is shown beside it.
  const gAbout = scoreGum(gum, gumExtracted.map((e) => ({ ...e, locations: e.about })));

  const all = ndjson<ReutersArticle>(gunzipSync(readFileSync(resolve(DATA, 'reuters21578/articles.ndjson.gz'))).toString('utf8'));
  const reuters = all.slice(0, option('--limit') ?? all.length);
  const t0 = performance.now();
  const extracted = await extractReuters(reuters);
  const seconds = (performance.now() - t0) / 1000;
  // Reuters labels say which countries a story concerns: that is the `about` facet; `location` is shown beside it.
  const r = scoreReuters(reuters, extracted.map((e) => e.about));
  const rAll = scoreReuters(reuters, extracted.map((e) => e.locations));
  const passes = batch === undefined ? null : runPasses(extracted, batch);
  const goldPeople = reuters.map((a) => a.people);
  const rPeople = scoreReutersPeople(goldPeople, extracted.map((e) => e.people));

  console.log('Matching rules: see eval/entities-gum.ts and eval/entities-reuters.ts (header comments).');
  console.log('- GUM: gold = Wikipedia titles; a gold entity also matches its own proper-noun mentions (titles stripped);');
  console.log('  group "people" (plural titles) dropped; unlinked named GUM entities are neutral (strict rows count them as FP).');
  console.log('- Reuters: extracted locations mapped to their country, gold codes decoded by the gazetteer, compared as');
  console.log(`  present-day states; extraction reads title, body and dateline, never the labels. ${reuters.length} stories extracted in ${seconds.toFixed(1)} s.`);
  console.log('- Reuters people: gold slugs matched by a value whose words end with them; see eval/entities-people.ts.');
  console.log(batch === undefined
    ? '- Corpus passes (firms, one name per person): not applied, people as extracted per article (`--batch N|all` applies them).\n'
    : `- Corpus passes: through EntityDictionary, ${batch === Infinity ? 'one batch (as indexer/build.ts today)' : `batches of ${batch} articles in input order`}.\n`);
  const results = printRows([
    { name: 'wikinews-gum people', counts: g.people, target: { f1: 0.8 } },
    { name: 'wikinews-gum people (strict)', counts: g.peopleStrict },
    { name: 'wikinews-gum places (location)', counts: g.places },
    { name: 'wikinews-gum places (location, strict)', counts: g.placesStrict },
    { name: 'wikinews-gum places (about)', counts: gAbout.places },
    { name: 'reuters countries (about)', counts: r, target: { precision: 0.8, recall: 0.9 } },
    { name: 'reuters countries (location)', counts: rAll },
    { name: 'reuters people (found)', counts: rPeople.found },
    { name: 'reuters people (one name)', counts: rPeople.oneName, recallOnly: true },
  ]);
  if (passes && gumPasses) printPasses(passes, gumPasses, scoreReutersPeople(goldPeople, passes.oneBatch));
  const ok = results.every((x) => x.ok);
  const out = resolve(import.meta.dirname, 'results', 'entities.json');
  mkdirSync(resolve(out, '..'), { recursive: true });
  writeFileSync(out, JSON.stringify({ generatedAt: new Date().toISOString(), reutersStories: reuters.length, batch: batch === undefined ? null : batch === Infinity ? 'all' : batch, dictionary: passes?.report ?? null, rows: results }, null, 1));
  const top = [...r.perCountry].sort((a, b) => b[1][0] - a[1][0]).slice(0, 12);
  console.log(`\nReuters recall by country: ${top.map(([c, [n, f]]) => `${c} ${(f / n).toFixed(2)} (${n})`).join(', ')}`);
  const extra = [...r.extra].sort((a, b) => b[1] - a[1]).slice(0, 12);
  console.log(`Reuters extra countries (false positives): ${extra.map(([c, n]) => `${c} ${n}`).join(', ')}`);
  if (r.undecoded.size) console.log(`Reuters codes with no country in the gazetteer: ${[...r.undecoded].map(([c, n]) => `${c} ${n}`).join(', ')}`);
  if (verbose) for (const line of g.errors) console.log(line);
  if (!ok) console.log(args.includes('--no-fail') ? '\nSome targets missed (--no-fail: exit 0).' : '\nSome targets missed.');
  return ok || args.includes('--no-fail') ? 0 : 1;
}

process.exitCode = await main();
