import type { SourceArticle } from '../core/types.ts';
import type { Rejection } from './build.ts';
import { createEnrichPool, defaultWorkerCount } from './enrich-pool.ts';
import type { EnrichedArticle } from './enrich.ts';
import { placePasses } from './hierarchy.ts';
import { readInputs } from './read-inputs.ts';

export interface Collected {
  read: number;
  articles: EnrichedArticle[];
  rejections: Rejection[];
  skippedFiles: string[];
}

/**
 * Reads a batch of inputs for `add` (or the ingest function) into memory: validated, entities
 * extracted in workers and places resolved, as the build does; every record is indexed or rejected
 * with file, record and reason. A batch is what a newsroom publishes in minutes to hours, so it is
 * held whole (the build streams instead).
 */
export async function collectArticles(inputs: readonly string[], opts: { workers?: number; onRejection?: (r: Rejection) => void } = {}): Promise<Collected> {
  const workers = opts.workers ?? Math.min(2, defaultWorkerCount());
  const rejections: Rejection[] = [];
  const skippedFiles: string[] = [];
  const firstSeen = new Map<string, string>();
  const batch: SourceArticle[] = [];
  let read = 0;
  for await (const item of readInputs(inputs, { onSkippedFile: (f) => skippedFiles.push(f) })) {
    read++;
    const reject = (reason: string) => {
      const r = { ...item.source, reason };
      rejections.push(r);
      opts.onRejection?.(r);
    };
    if (!item.ok) {
      reject(item.reason);
      continue;
    }
    const prior = firstSeen.get(item.article.id);
    if (prior !== undefined) {
      reject(`duplicate id ${JSON.stringify(item.article.id)} (first seen in ${prior})`);
      continue;
    }
    firstSeen.set(item.article.id, `${item.source.file} ${item.source.record}`);
    batch.push(item.article);
  }
  if (batch.length === 0) return { read, articles: [], rejections, skippedFiles };
  const pool = createEnrichPool(batch.length < 200 ? 1 : workers);
  try {
    const { regionalReading, resolvePlaceAmong } = await import('./entities/index.ts');
    const parts: Array<Promise<EnrichedArticle[]>> = [];
    for (let i = 0; i < batch.length; i += 50) parts.push(pool.enrich(batch.slice(i, i + 50)));
    const articles = (await Promise.all(parts)).flat().map((a) => placePasses(a, resolvePlaceAmong, regionalReading));
    return { read, articles, rejections, skippedFiles };
  } finally {
    await pool.close();
  }
}
