import { readFile } from 'node:fs/promises';
import { peakRss, reply } from './child.ts';
import { loadTemplate, searchEvent } from './events.ts';
import type { BenchQuery, BoxQuery } from './queries.ts';

/**
 * Child process: the real Lambda handler, in process, answering real API Gateway events. The index
 * folder comes from INDEX_URI, as in production. One warm-up pass, then timed passes over the same
 * interleaved queries; every search response is a full one (10 hits with snippets, default facets).
 * Search-box requests (`BoxQuery`: /suggest, misspelled words) run in the same mix.
 */
export interface WarmResult {
  loadMs: number;
  /** Per pass, per class: milliseconds of each `handler(event)` call. */
  passes: Array<Record<string, number[]>>;
  perClass: Record<string, { zeroHits: number; meanTotal: number; meanBytes: number; errors: number }>;
  peakRss: number;
}

const [queriesFile, passesArg, fixture] = process.argv.slice(2) as [string, string, string];

reply(async (): Promise<WarmResult> => {
  const queries = JSON.parse(await readFile(queriesFile, 'utf8')) as Array<BenchQuery | BoxQuery>;
  const template = loadTemplate(fixture);
  const { handler } = await import('../functions/search.ts');
  const health = await handler(searchEvent(template, '', 0, '/health'), { awsRequestId: 'bench-health' });
  if (health.statusCode !== 200) throw new Error(`/health answered ${health.statusCode}: ${String(health.body)}`);
  const loadMs = (JSON.parse(health.body as string) as { loadMs: number }).loadMs;
  const events = queries.map((q, i) => searchEvent(template, q.qs, i + 1, 'path' in q ? q.path : '/search'));
  const contexts = queries.map((_, i) => ({ awsRequestId: `bench-${i + 1}` }));
  const perClass: WarmResult['perClass'] = {};
  const stats = (cls: string) => (perClass[cls] ??= { zeroHits: 0, meanTotal: 0, meanBytes: 0, errors: 0 });

  // Warm-up: every query once, which also checks the answers.
  for (let i = 0; i < queries.length; i++) {
    const q = queries[i] as BenchQuery | BoxQuery;
    const res = await handler(events[i]!, contexts[i]);
    const s = stats(q.cls);
    if (res.statusCode !== 200) {
      s.errors++;
      continue;
    }
    const body = res.body as string;
    // Matches for a search; completions for /suggest.
    const parsed = JSON.parse(body) as { total?: number; suggestions?: unknown[] };
    const total = parsed.total ?? parsed.suggestions?.length ?? 0;
    if (total === 0) s.zeroHits++;
    s.meanTotal += total;
    s.meanBytes += body.length;
  }
  const counts: Record<string, number> = {};
  for (const q of queries) counts[q.cls] = (counts[q.cls] ?? 0) + 1;
  for (const [cls, s] of Object.entries(perClass)) {
    s.meanTotal /= counts[cls] as number;
    s.meanBytes /= counts[cls] as number;
  }

  const passes: WarmResult['passes'] = [];
  for (let p = 0; p < Number(passesArg); p++) {
    const times: Record<string, number[]> = {};
    for (let i = 0; i < queries.length; i++) {
      const t0 = performance.now();
      await handler(events[i]!, contexts[i]);
      const dt = performance.now() - t0;
      (times[(queries[i] as BenchQuery | BoxQuery).cls] ??= []).push(dt);
    }
    passes.push(times);
  }
  return { loadMs, passes, perClass, peakRss: peakRss() };
});
