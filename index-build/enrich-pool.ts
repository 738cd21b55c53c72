import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SourceArticle, StoredArticle } from '../lib/types.ts';
import { createEntityExtractor, enrich } from './enrich.ts';

/**
 * Entity extraction dominates build time (compromise takes tens of ms per article), so it runs in
 * worker threads, one per core. Batches keep message overhead low; results come back in order.
 */
export interface EnrichPool {
  enrich(batch: SourceArticle[]): Promise<StoredArticle[]>;
  close(): Promise<void>;
}

export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

export function createEnrichPool(workers = defaultWorkerCount()): EnrichPool {
  if (workers <= 1) {
    const extractor = createEntityExtractor();
    return { enrich: async (batch) => batch.map((a) => enrich(extractor, a)), close: async () => {} };
  }
  const url = new URL('./enrich-worker.ts', import.meta.url);
  // The worker is TypeScript: load it through tsx, as the CLI itself is.
  const pool = Array.from({ length: workers }, () => new Worker(url, { execArgv: ['--import', 'tsx'] }));
  const idle = [...pool];
  const waiting: Array<(w: Worker) => void> = [];
  const take = () => new Promise<Worker>((resolve) => (idle.length ? resolve(idle.pop() as Worker) : waiting.push(resolve)));
  const give = (w: Worker) => {
    const next = waiting.shift();
    if (next) next(w);
    else idle.push(w);
  };
  return {
    async enrich(batch) {
      const w = await take();
      try {
        return await new Promise<StoredArticle[]>((resolve, reject) => {
          const onMessage = (msg: { ok: true; out: StoredArticle[] } | { ok: false; error: string }) => {
            w.off('error', onError);
            if (msg.ok) resolve(msg.out);
            else reject(new Error(msg.error));
          };
          const onError = (err: Error) => {
            w.off('message', onMessage);
            reject(err);
          };
          w.once('message', onMessage);
          w.once('error', onError);
          w.postMessage(batch);
        });
      } finally {
        give(w);
      }
    },
    async close() {
      await Promise.all(pool.map((w) => w.terminate()));
    },
  };
}
