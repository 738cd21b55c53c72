import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SourceArticle } from '../core/types.ts';
import { createEntityExtractor, enrich, type EnrichedArticle } from './enrich.ts';

/**
 * Entity extraction dominates build time (compromise takes milliseconds per article), so it runs in
 * worker threads, one per core. Batches keep message overhead low. A worker that dies fails its
 * batch with an error instead of leaving the build waiting forever.
 */
export interface EnrichPool {
  enrich(batch: SourceArticle[]): Promise<EnrichedArticle[]>;
  close(): Promise<void>;
}

export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

/**
 * The compiled worker's file, next to this module in dist/: cli/build.mjs defines it (esbuild
 * `define`). Undefined when running from source (tsx, vitest), where the boot file registers tsx
 * and loads enrich-worker.ts.
 */
declare const __NEWS_SEARCH_ENRICH_WORKER__: string | undefined;
const WORKER_FILE = typeof __NEWS_SEARCH_ENRICH_WORKER__ === 'string' ? __NEWS_SEARCH_ENRICH_WORKER__ : './enrich-worker-boot.mjs';

type Reply = { ok: true; out: EnrichedArticle[] } | { ok: false; error: string };
interface Slot {
  worker: Worker;
  job: { resolve: (v: EnrichedArticle[]) => void; reject: (e: Error) => void } | null;
  dead: Error | null;
}

export function createEnrichPool(workers = defaultWorkerCount()): EnrichPool {
  if (workers <= 1) {
    const extractor = createEntityExtractor();
    return { enrich: async (batch) => batch.map((a) => enrich(extractor, a)), close: async () => {} };
  }
  const url = new URL(WORKER_FILE, import.meta.url);
  const slots: Slot[] = Array.from({ length: workers }, () => {
    // Workers do not inherit process.setSourceMapsEnabled() (bin/news-search.mjs sets it for dist/).
    const options = process.sourceMapsEnabled ? { execArgv: [...process.execArgv, '--enable-source-maps'] } : {};
    const slot: Slot = { worker: new Worker(url, options), job: null, dead: null };
    slot.worker.on('message', (msg: Reply) => {
      const job = slot.job;
      slot.job = null;
      release(slot);
      if (!job) return;
      if (msg.ok) job.resolve(msg.out);
      else job.reject(new Error(`entity extraction failed: ${msg.error}`));
    });
    const die = (err: Error) => {
      slot.dead ??= err;
      slot.job?.reject(err);
      slot.job = null;
      // Anyone waiting for a worker gets the failure if no live worker is left.
      if (slots.every((s) => s.dead)) while (waiting.length) (waiting.shift() as Waiter).reject(err);
    };
    slot.worker.on('error', (err) => die(err));
    slot.worker.on('exit', (code) => die(new Error(`entity extraction worker exited with code ${code}`)));
    return slot;
  });
  interface Waiter {
    resolve: (s: Slot) => void;
    reject: (e: Error) => void;
  }
  const idle: Slot[] = [...slots];
  const waiting: Waiter[] = [];
  const release = (slot: Slot) => {
    if (slot.dead) return;
    const next = waiting.shift();
    if (next) next.resolve(slot);
    else idle.push(slot);
  };
  const take = () =>
    new Promise<Slot>((resolve, reject) => {
      let slot: Slot | undefined;
      while ((slot = idle.pop()) && slot.dead);
      if (slot) resolve(slot);
      else if (slots.every((s) => s.dead)) reject(slots[0]?.dead ?? new Error('no workers'));
      else waiting.push({ resolve, reject });
    });
  let closing = false;
  return {
    async enrich(batch) {
      const slot = await take();
      return new Promise<EnrichedArticle[]>((resolve, reject) => {
        slot.job = { resolve, reject };
        slot.worker.postMessage(batch);
      });
    },
    async close() {
      if (closing) return;
      closing = true;
      for (const s of slots) s.dead ??= new Error('pool closed');
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
