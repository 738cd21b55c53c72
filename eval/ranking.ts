/**
 * Ranking evaluation (issue 6): known-item and topical queries on Reuters-21578, our engine against
 * raw FlexSearch, MiniSearch, Orama and Lunr on the same queries in the same run.
 *
 *   tsx eval/ranking.ts [--index <dir>] [--sample N] [--seed N] [--peers a,b] [--no-fail]
 *
 * Prints a markdown table, writes eval/results/ranking.json, and exits 1 when our engine is below
 * the best peer configuration on any set (`--no-fail`: report only). See eval/README.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { indexedDocs, loadOurIndex, readReutersLabels } from './ranking/corpus.ts';
import { flexsearchPeer } from './ranking/engines/flexsearch.ts';
import { lunrPeer } from './ranking/engines/lunr.ts';
import { minisearchPeer } from './ranking/engines/minisearch.ts';
import { oramaPeer } from './ranking/engines/orama.ts';
import { oursEngine } from './ranking/engines/ours.ts';
import type { PeerLibrary } from './ranking/engines/types.ts';
import { generateQueries, unmappedCategories } from './ranking/queries.ts';
import { headToHead, lossLines, losses, markdownTable, verdicts, type HeadToHead } from './ranking/report.ts';
import { runEngine, type EngineRun } from './ranking/run.ts';

const PEERS: Record<string, PeerLibrary> = { flexsearch: flexsearchPeer, minisearch: minisearchPeer, orama: oramaPeer, lunr: lunrPeer };

const { values: args } = parseArgs({
  options: {
    index: { type: 'string' },
    'save-index': { type: 'string' },
    sample: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '20250601' },
    'min-labelled': { type: 'string', default: '20' },
    peers: { type: 'string', default: Object.keys(PEERS).join(',') },
    examples: { type: 'string', default: '6' },
    out: { type: 'string', default: resolve(import.meta.dirname, 'results', 'ranking.json') },
    'no-fail': { type: 'boolean', default: false },
  },
  strict: true,
});

const log = (s: string) => process.stderr.write(s + '\n');
const int = (name: string, v: string | undefined) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number`);
  return n;
};

async function main(): Promise<number> {
  const opts = { sample: int('sample', args.sample), seed: int('seed', args.seed), minLabelled: int('min-labelled', args['min-labelled']) };
  const peerNames = (args.peers ?? '').split(',').filter(Boolean);
  for (const p of peerNames) if (!PEERS[p]) throw new Error(`unknown peer ${p} (known: ${Object.keys(PEERS).join(', ')})`);

  const index = await loadOurIndex({ index: args.index, saveIndex: args['save-index'], log });
  const docs = await indexedDocs(index);
  const labels = await readReutersLabels();
  const queries = generateQueries(docs, labels, opts);
  const reuters = docs.filter((d) => labels.has(d.id));
  log(`${docs.length} indexed articles (${reuters.length} from Reuters), ${queries.length} queries`);
  const unmapped = unmappedCategories(reuters, labels, opts.minLabelled);
  if (unmapped.length) log(`categories without query words (skipped): ${unmapped.join(', ')}`);

  const runs: EngineRun[] = [];
  const run = async (e: Parameters<typeof runEngine>[0]) => {
    const t = performance.now();
    runs.push(await runEngine(e, queries));
    log(`  ${e.name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  await run(oursEngine(index));
  for (const p of peerNames) {
    const t = performance.now();
    const engines = await (PEERS[p] as PeerLibrary).build(docs);
    log(`  ${p}: indexed in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    for (const e of engines) await run(e);
  }

  const ours = runs.find((r) => r.role === 'ours') as EngineRun;
  const titles = new Map(docs.map((d) => [d.id, d.title]));
  const v = verdicts(runs);
  const lost = losses(queries, runs, ours, titles);
  const h2h = headToHead(queries, runs, ours);

  const out: string[] = [];
  out.push('## Ranking: Reuters-21578', '', markdownTable(runs, queries), '');
  out.push('Verdict (primary metric per set, ours vs the best peer configuration):', '');
  for (const x of v) out.push(`- ${x.set} ${x.metric}: ours ${x.ours.toFixed(3)} vs ${x.bestPeer} ${x.bestPeerValue.toFixed(3)} → ${x.ok ? 'ok' : 'BELOW'}`);
  out.push('', 'Head to head with the best peer: queries where ours ranks better / worse / same (sign-test p: a large p means the gap may be noise):', '');
  const h2hLine = (k: string, c: HeadToHead) => `${k}: ${c.better} / ${c.worse} / ${c.same} (p ${c.p < 0.001 ? '<0.001' : c.p.toFixed(3)})`;
  for (const [k, c] of Object.entries(h2h)) out.push(`- ${h2hLine(k, c)}`);
  out.push('', 'Where ours loses most (rank of the target; topical: relevant hits in the top 10):', '', ...lossLines(lost, int('examples', args.examples)));
  out.push('', 'Engines:', '', ...runs.map((r) => `- ${r.name}: ${r.notes}`));
  console.log(out.join('\n'));

  const file = args.out;
  await mkdir(dirname(file), { recursive: true });
  await writeFile(
    file,
    JSON.stringify(
      {
        generatedAt: new Date().toISOString(),
        options: { ...opts, index: args.index ?? null, peers: peerNames },
        corpus: { indexed: docs.length, reuters: reuters.length, indexVersion: index.manifest.indexVersion },
        engines: runs.map((r) => ({ name: r.name, role: r.role, notes: r.notes, scores: r.scores })),
        verdicts: v,
        headToHead: h2h,
        losses: lost,
        queries: queries.map((q, i) => ({
          set: q.set,
          key: q.key,
          q: q.words.join(' '),
          relevant: q.relevant.size,
          ranks: Object.fromEntries(runs.map((r) => [r.name, q.set === 'title' || q.set === 'body' ? r.outcomes[i]?.rank : r.outcomes[i]?.relevantInTop])),
        })),
      },
      null,
      1,
    ),
  );
  log(`wrote ${file}`);
  const failed = v.filter((x) => !x.ok);
  if (failed.length && !args['no-fail']) {
    log(`below the best peer on: ${failed.map((x) => x.set).join(', ')}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
