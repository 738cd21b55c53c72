import { readFile } from 'node:fs/promises';
import { peakRss, reply } from './child.ts';
import { loadTemplate, searchEvent } from './events.ts';
import type { BenchQuery, BoxQuery, OperatorQuery } from './queries.ts';
import { bodyText, headerOf } from '../test/helpers/body.ts';

/**
 * Child process: the real Lambda handler, in process, answering real API Gateway events. The index
 * folder comes from INDEX_URI, as in production. One warm-up pass, then timed passes over the same
 * interleaved queries; every search response is a full one (10 hits with snippets, default facets).
 * Search-box requests (`BoxQuery`: /suggest, misspelled words) and query-language searches
 * (`OperatorQuery`: phrases, OR, exclusions) run in the same mix. After the timed passes, one
 * revalidation pass sends every request again with the ETag of its warm-up answer as If-None-Match,
 * as a CDN or browser revalidating its copy would.
 */
type AnyQuery = BenchQuery | BoxQuery | OperatorQuery;

export interface RevalidateResult {
  requests: number;
  /** Answers 304 to the revalidation. */
  notModified: number;
  /** Requests whose warm-up answer carried no ETag (sent without If-None-Match). */
  withoutEtag: number;
  /** Other statuses of the revalidation answers, by status. */
  other: Record<string, number>;
  /** Milliseconds of each 304 answer. */
  ms304: number[];
  /** Milliseconds of the same requests' full (200) answers in the last timed pass. */
  ms200: number[];
  /** Body bytes as sent (compressed, base64 undone): all warm-up 200 answers; of those the 304s replaced; of the 304s. */
  bytesFull: number;
  bytesSaved: number;
  bytes304: number;
}
export interface WarmResult {
  loadMs: number;
  /** Per pass, per class: milliseconds of each `handler(event)` call. */
  passes: Array<Record<string, number[]>>;
  perClass: Record<string, { zeroHits: number; meanTotal: number; meanBytes: number; errors: number }>;
  peakRss: number;
  revalidate: RevalidateResult;
}

const [queriesFile, passesArg, fixture] = process.argv.slice(2) as [string, string, string];

reply(async (): Promise<WarmResult> => {
  const queries = JSON.parse(await readFile(queriesFile, 'utf8')) as AnyQuery[];
  const template = loadTemplate(fixture);
  const { handler } = await import('../functions/search.ts');
  const health = await handler(searchEvent(template, '', 0, '/health'), { awsRequestId: 'bench-health' });
  if (health.statusCode !== 200) throw new Error(`/health answered ${health.statusCode}: ${String(health.body)}`);
  const loadMs = (JSON.parse(bodyText(health)) as { loadMs: number }).loadMs;
  const events = queries.map((q, i) => searchEvent(template, q.qs, i + 1, 'path' in q ? q.path : '/search'));
  const contexts = queries.map((_, i) => ({ awsRequestId: `bench-${i + 1}` }));
  const perClass: WarmResult['perClass'] = {};
  const stats = (cls: string) => (perClass[cls] ??= { zeroHits: 0, meanTotal: 0, meanBytes: 0, errors: 0 });

  const etags: Array<string | undefined> = [];
  const wireBytes: number[] = [];
  // Warm-up: every query once, which also checks the answers.
  for (let i = 0; i < queries.length; i++) {
    const q = queries[i] as AnyQuery;
    const res = await handler(events[i]!, contexts[i]);
    etags[i] = headerOf(res, 'etag');
    const s = stats(q.cls);
    if (res.statusCode !== 200) {
      s.errors++;
      continue;
    }
    // Matches for a search; completions for /suggest. Bytes as sent (compressed when the event's
    // Accept-Encoding allows, as a browser's does), base64 undone.
    const parsed = JSON.parse(bodyText(res)) as { total?: number; suggestions?: unknown[] };
    const wire = typeof res.body === 'string' ? (res.isBase64Encoded ? Buffer.byteLength(res.body, 'base64') : Buffer.byteLength(res.body)) : 0;
    wireBytes[i] = wire;
    const total = parsed.total ?? parsed.suggestions?.length ?? 0;
    if (total === 0) s.zeroHits++;
    s.meanTotal += total;
    s.meanBytes += wire;
  }
  const counts: Record<string, number> = {};
  for (const q of queries) counts[q.cls] = (counts[q.cls] ?? 0) + 1;
  for (const [cls, s] of Object.entries(perClass)) {
    s.meanTotal /= counts[cls] as number;
    s.meanBytes /= counts[cls] as number;
  }

  const passes: WarmResult['passes'] = [];
  const last: number[] = [];
  for (let p = 0; p < Number(passesArg); p++) {
    const times: Record<string, number[]> = {};
    for (let i = 0; i < queries.length; i++) {
      const t0 = performance.now();
      await handler(events[i]!, contexts[i]);
      const dt = performance.now() - t0;
      last[i] = dt;
      (times[(queries[i] as AnyQuery).cls] ??= []).push(dt);
    }
    passes.push(times);
  }

  // Revalidation: the same requests with If-None-Match: <ETag of the warm-up answer>.
  const rv: RevalidateResult = { requests: 0, notModified: 0, withoutEtag: 0, other: {}, ms304: [], ms200: [], bytesFull: 0, bytesSaved: 0, bytes304: 0 };
  for (let i = 0; i < queries.length; i++) {
    if (wireBytes[i] === undefined) continue; // not a 200 at warm-up
    rv.requests++;
    rv.bytesFull += wireBytes[i] as number;
    const etag = etags[i];
    if (etag === undefined) rv.withoutEtag++;
    const base = events[i]!;
    const event = etag === undefined ? base : { ...base, headers: { ...base.headers, 'if-none-match': etag } };
    const t0 = performance.now();
    const res = await handler(event, contexts[i]);
    const dt = performance.now() - t0;
    if (res.statusCode === 304) {
      rv.notModified++;
      rv.ms304.push(dt);
      if (last[i] !== undefined) rv.ms200.push(last[i] as number);
      rv.bytesSaved += wireBytes[i] as number;
      rv.bytes304 += typeof res.body === 'string' ? Buffer.byteLength(res.body) : 0;
    } else {
      rv.other[String(res.statusCode)] = (rv.other[String(res.statusCode)] ?? 0) + 1;
    }
  }
  return { loadMs, passes, perClass, peakRss: peakRss(), revalidate: rv };
});
