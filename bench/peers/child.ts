import { readFile, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { readArticles } from '../bundle-read.ts';
import { peakRss, reply } from '../child.ts';
import type { BenchQuery } from '../queries.ts';
import type { PeerEngine } from './engine.ts';
import { ENGINES } from './registry.ts';

/**
 * Child process for one peer and one phase. `build`: index the bundle's articles, serialize, write
 * the JSON to a file. `query`: a fresh process loads that file and runs the query passes, like our
 * warm child does with our bundle.
 */
export interface PeerBuildResult {
  docs: number;
  buildMs: number;
  serializeMs: number;
  bytes: number;
  gzipBytes: number;
  peakRss: number;
}

export interface PeerQueryResult {
  loadMs: number;
  passes: Array<Record<string, number[]>>;
  perClass: Record<string, { zeroHits: number; meanTotal: number }>;
  peakRss: number;
}

const [name, mode, a, b, c] = process.argv.slice(2) as [string, 'build' | 'query', string, string, string?];
const engine = ENGINES[name];

reply(async () => {
  if (!engine) throw new Error(`unknown peer ${name}`);
  return mode === 'build' ? build(engine, a, b) : query(engine, a, b, Number(c ?? 1));
});

async function build(e: PeerEngine, bundleDir: string, out: string): Promise<PeerBuildResult> {
  const articles = await readArticles(bundleDir);
  const t0 = performance.now();
  const index = await e.build(articles);
  const t1 = performance.now();
  const json = e.serialize(index);
  const t2 = performance.now();
  await writeFile(out, json);
  return {
    docs: articles.length,
    buildMs: t1 - t0,
    serializeMs: t2 - t1,
    bytes: Buffer.byteLength(json),
    gzipBytes: gzipSync(json, { level: 6 }).byteLength,
    peakRss: peakRss(),
  };
}

async function query(e: PeerEngine, file: string, queriesFile: string, passes: number): Promise<PeerQueryResult> {
  const queries = JSON.parse(await readFile(queriesFile, 'utf8')) as BenchQuery[];
  const t0 = performance.now();
  const index = await e.load(await readFile(file, 'utf8'));
  const loadMs = performance.now() - t0;
  const perClass: PeerQueryResult['perClass'] = {};
  const counts: Record<string, number> = {};
  for (const q of queries) {
    const total = await e.search(index, q);
    const s = (perClass[q.cls] ??= { zeroHits: 0, meanTotal: 0 });
    if (total === 0) s.zeroHits++;
    s.meanTotal += total;
    counts[q.cls] = (counts[q.cls] ?? 0) + 1;
  }
  for (const [cls, s] of Object.entries(perClass)) s.meanTotal /= counts[cls] as number;
  const out: PeerQueryResult['passes'] = [];
  for (let p = 0; p < passes; p++) {
    const times: Record<string, number[]> = {};
    for (const q of queries) {
      const t = performance.now();
      await e.search(index, q);
      (times[q.cls] ??= []).push(performance.now() - t);
    }
    out.push(times);
  }
  return { loadMs, passes: out, perClass, peakRss: peakRss() };
}
