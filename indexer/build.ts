import { createRequire } from 'node:module';
import { buildBundle, type Bundle } from './build-bundle.ts';
import type { SourceArticle } from '../core/types.ts';
import { createEnrichPool, defaultWorkerCount } from './enrich-pool.ts';
import type { EnrichedArticle } from './enrich.ts';
import { placePasses } from './hierarchy.ts';
import { readInputs, type RecordSource } from './read-inputs.ts';

export interface Rejection extends RecordSource {
  reason: string;
}

export interface BuildReport {
  read: number;
  indexed: number;
  rejected: number;
  rejections: Rejection[];
  skippedFiles: string[];
  bundle: Bundle;
  ms: { total: number; read: number; extract: number; index: number };
}

export interface BuildProgress {
  /** Called as articles are read and enriched; `total` is unknown while streaming. */
  onProgress?: (done: number) => void;
  onRejection?: (r: Rejection) => void;
}

export interface BuildOptions extends BuildProgress {
  inputs: readonly string[];
  workers?: number;
  /** Articles per worker message. */
  batchSize?: number;
  /** The analyzer's language for articles without a `lang` (default `en`; see buildBundle). */
  language?: string;
}

/**
 * Reads every input, rejects what is invalid (with file, record and reason), extracts entities in
 * worker threads and builds the bundle in memory. Invariant: read = indexed + rejected.
 */
export async function buildFromInputs(opts: BuildOptions): Promise<BuildReport> {
  const t0 = performance.now();
  const workers = opts.workers ?? defaultWorkerCount();
  const batchSize = opts.batchSize ?? 50;
  const pool = createEnrichPool(workers);
  const rejections: Rejection[] = [];
  const skippedFiles: string[] = [];
  const firstSeen = new Map<string, string>();
  const pending: Array<Promise<EnrichedArticle[]>> = [];
  let batch: SourceArticle[] = [];
  let read = 0;
  let enriched = 0;
  const reject = (r: Rejection) => {
    rejections.push(r);
    opts.onRejection?.(r);
  };
  const flush = () => {
    if (batch.length === 0) return;
    const p = pool.enrich(batch);
    p.then((out) => {
      enriched += out.length;
      opts.onProgress?.(enriched + rejections.length);
    }, () => {});
    pending.push(p);
    batch = [];
  };
  try {
    for await (const item of readInputs(opts.inputs, { onSkippedFile: (f) => skippedFiles.push(f) })) {
      read++;
      if (!item.ok) {
        reject({ ...item.source, reason: item.reason });
        continue;
      }
      const where = `${item.source.file} ${item.source.record}`;
      const prior = firstSeen.get(item.article.id);
      if (prior !== undefined) {
        reject({ ...item.source, reason: `duplicate id ${JSON.stringify(item.article.id)} (first seen in ${prior})` });
        continue;
      }
      firstSeen.set(item.article.id, where);
      batch.push(item.article);
      if (batch.length >= batchSize) flush();
      // Bound memory held by in-flight batches: wait when workers fall behind the reader.
      if (pending.length - Math.floor(enriched / batchSize) > workers * 4) await pending[pending.length - workers * 2];
    }
    flush();
    const readMs = performance.now() - t0;
    // The gazetteer loads here (workers have their own copy); cities gain their country.
    const { dropCorpusInstitutions, regionalReading, resolveCorpusAliases, resolvePlaceAmong } = await import('./entities/index.ts');
    const articles = (await Promise.all(pending)).flat().map((a) => placePasses(a, resolvePlaceAmong, regionalReading));
    // Firms named after people ("Merrill Lynch") leave the person facet; then one canonical name per person
    // across the archive ("Putin" alone → "Vladimir Putin").
    dropCorpusInstitutions(articles);
    resolveCorpusAliases(articles);
    const tExtract = performance.now();
    const bundle = await buildBundle(articles, { flexsearchVersion: flexsearchVersion(), ...(opts.language ? { language: opts.language } : {}) });
    const tEnd = performance.now();
    return {
      read,
      indexed: articles.length,
      rejected: rejections.length,
      rejections,
      skippedFiles,
      bundle,
      ms: { total: tEnd - t0, read: readMs, extract: tExtract - t0, index: tEnd - tExtract },
    };
  } finally {
    await pool.close();
  }
}

function flexsearchVersion(): string {
  try {
    return (createRequire(import.meta.url)('flexsearch/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
