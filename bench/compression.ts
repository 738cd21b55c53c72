import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { createRouter } from '../core/http/router.ts';
import { loadIndex } from '../core/search/load-index.ts';
import { folderReader } from '../storage/local-folder.ts';

/**
 * Size and time of each brotli quality and gzip level on real `/search` answers, to choose the
 * levels in core/http/compress.ts, and what the chosen ones save end to end through the router.
 *
 *   npx tsx bench/compression.ts <index folder> [more folders…]
 *   e.g. .index/sample (npm start builds it) and a Reuters build:
 *   npx news-search build ../shared/data/reuters21578/articles.ndjson.gz --out /tmp/ix-reuters
 */
const QUERIES = ['limit=100', 'q=oil&limit=100', 'q=trade&limit=100&facetLimit=100', 'q=bank%20rate&limit=100', 'q=lisbon&limit=100'];
const RUNS = 30;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function time(f: () => Uint8Array): { ms: number; bytes: number } {
  let bytes = 0;
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    bytes = f().byteLength;
    ms.push(performance.now() - t0);
  }
  return { ms: median(ms), bytes };
}

const brotli = (q: number) => (b: Buffer) =>
  brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: q, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: b.length } });
const CODECS: Array<[string, (b: Buffer) => Uint8Array]> = [
  ...[1, 4, 5, 6, 9].map((l) => [`gzip ${l}`, (b: Buffer) => gzipSync(b, { level: l })] as [string, (b: Buffer) => Uint8Array]),
  ...[1, 3, 4, 5, 6, 7, 9, 11].map((q) => [`br ${q}`, brotli(q)] as [string, (b: Buffer) => Uint8Array]),
];

for (const dir of process.argv.slice(2)) {
  const index = await loadIndex(folderReader(dir));
  const router = createRouter({ getIndex: async () => index });
  const bodies: Buffer[] = [];
  for (const query of QUERIES) {
    const res = await router({ method: 'GET', path: '/search', query, headers: {} });
    const body = Buffer.from(res.body as string);
    const total = (JSON.parse(body.toString()) as { total: number; hits: unknown[] }).hits.length;
    if (total < 20) continue; // too few hits to be a limit=100 answer on this index
    bodies.push(body);
  }
  const raw = bodies.reduce((s, b) => s + b.length, 0);
  console.log(`\n${dir}: ${index.size} articles, ${bodies.length} answers of ${QUERIES.length}, mean ${Math.round(raw / bodies.length)} bytes`);
  console.log('codec     | bytes (mean) | ratio | ms (median, mean over answers)');
  for (const [name, f] of CODECS) {
    const r = bodies.map((b) => time(() => f(b)));
    const bytes = r.reduce((s, x) => s + x.bytes, 0) / r.length;
    const ms = r.reduce((s, x) => s + x.ms, 0) / r.length;
    console.log(`${name.padEnd(9)} | ${String(Math.round(bytes)).padStart(12)} | ${(bytes / (raw / bodies.length)).toFixed(3)} | ${ms.toFixed(3)}`);
  }
  // End to end through the router: the answer as sent, and how long the whole request took.
  for (const enc of ['identity', 'gzip', 'br']) {
    const ms: number[] = [];
    let bytes = 0;
    for (let i = 0; i < RUNS; i++) {
      for (const query of QUERIES) {
        const t0 = performance.now();
        const res = await router({ method: 'GET', path: '/search', query, headers: { 'accept-encoding': enc } });
        ms.push(performance.now() - t0);
        if (i === 0) bytes += typeof res.body === 'string' ? Buffer.byteLength(res.body) : res.body.byteLength;
      }
    }
    console.log(`router, accept-encoding ${enc.padEnd(8)}: ${bytes} bytes for the ${QUERIES.length} queries, request p50 ${median(ms).toFixed(2)} ms`);
  }
  // A default answer (10 hits, 10 values per facet), as the widget asks for.
  for (const enc of ['identity', 'gzip', 'br']) {
    const res = await router({ method: 'GET', path: '/search', query: 'q=oil', headers: { 'accept-encoding': enc } });
    console.log(`q=oil (limit 10), ${enc.padEnd(8)}: ${typeof res.body === 'string' ? Buffer.byteLength(res.body) : res.body.byteLength} bytes`);
  }
}
