/**
 * `npx tsx bench/scale-probe.ts <index folder>`: loads an index in process and answers 15 fixed queries
 * (plain, phrase, OR, -term, prefix) three times, printing load time, bytes read before the first answer,
 * per-pass p50/max, RSS and the part cache's state. For sizes where the bench's full warm pass takes too
 * long (1M articles on 2 cores); the README's 1M row comes from it.
 */
import { loadIndex } from '../core/search/load-index.ts';
import { folderReader } from '../storage/local-folder.ts';
import { search } from '../core/search/search.ts';
import { parseSearchParams, rawQueryFromString } from '../core/http/params.ts';
import { statSync, readdirSync } from 'node:fs';
const dir = process.argv[2]!;
const t0 = performance.now();
let bytes = 0; let reads = 0;
const base = folderReader(dir);
const index = await loadIndex(async (n, range) => { const b = await base(n, range); bytes += b.byteLength; reads++; return b; });
const loadMs = performance.now() - t0;
const total = readdirSync(dir).reduce((n, f) => n + statSync(`${dir}/${f}`).size, 0);
console.log(`load ${loadMs.toFixed(0)} ms, ${index.size} docs, ${index.manifest.segments.length} segments, read ${(bytes/1e6).toFixed(1)} MB of ${(total/1e6).toFixed(0)} MB (${(100*bytes/total).toFixed(2)}%) in ${reads} parts, rss ${(process.memoryUsage().rss/1e6).toFixed(0)} MB, heap ${(process.memoryUsage().heapUsed/1e6).toFixed(0)} MB`);
const qs = ['oil', 'bank rate', 'trade deficit', 'coffee', 'gold price', 'wheat', '"oil prices"', 'dollar -yen', 'opec OR oil', 'president', 'grain exports', 'sugar', 'ship*', 'interest rates', 'merger'];
const first = performance.now();
const r = await search(index, parseSearchParams(rawQueryFromString('q=oil')));
console.log(`first answer ${(performance.now() - first).toFixed(0)} ms (total ${r.total}), bytes before first answer ${((bytes)/1e6).toFixed(1)} MB = ${(100*bytes/total).toFixed(2)}%`);
for (const pass of [1, 2, 3]) {
  const times: number[] = [];
  for (const q of qs) { const t = performance.now(); await search(index, parseSearchParams(rawQueryFromString('q=' + encodeURIComponent(q)))); times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  console.log(`pass ${pass}: p50 ${times[Math.floor(times.length/2)]!.toFixed(1)} ms, max ${times[times.length-1]!.toFixed(1)} ms, rss ${(process.memoryUsage().rss/1e6).toFixed(0)} MB, cache ${(index.cache.stats.bytes/1e6).toFixed(0)} MB / ${index.cache.stats.entries} entries, evictions ${index.cache.stats.evictions}`);
}
