import { parentPort } from 'node:worker_threads';
import type { SourceArticle } from '../core/types.ts';
import { createEntityExtractor, enrich } from './enrich.ts';

// One extractor per worker: gazetteers load once, then every batch reuses them.
const extractor = createEntityExtractor();
parentPort?.on('message', (batch: SourceArticle[]) => {
  try {
    parentPort?.postMessage({ ok: true, out: batch.map((a) => enrich(extractor, a)) });
  } catch (err) {
    parentPort?.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
  }
});
