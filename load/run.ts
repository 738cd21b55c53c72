import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { FORMAT_VERSION } from '../core/format/format.ts';
import { buildMix, SHARES, type MixEntry } from './mix.ts';

/**
 * `npm run load`: the local server (the same router as the Lambda) under autocannon on loopback, with
 * a mix of plain, filtered and paged searches, suggestions and article reads. Fails (exit 1) on any
 * error, timeout or non-2xx answer, or when the server's memory grows by 10% or more from warm-up
 * to the end of the run.
 *
 *   npm run load                                     # 30 s, 50 connections, Reuters (built on first use)
 *   npm run load -- --duration 5 --index .index/sample --build examples/articles   # the CI variant
 *   --connections N, --warmup S (default 15), --max-growth PCT (default 10), --seed N, --json FILE
 */
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const REUTERS = join(ROOT, '../shared/data/reuters21578/articles.ndjson.gz');

const { values: opts } = parseArgs({
  options: {
    index: { type: 'string' },
    build: { type: 'string', multiple: true },
    duration: { type: 'string', default: '30' },
    warmup: { type: 'string' },
    connections: { type: 'string', default: '50' },
    'max-growth': { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    json: { type: 'string' },
  },
});
const num = (name: string, v: string | undefined, min: number) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}, got ${v}`);
  return n;
};
const duration = num('duration', opts.duration, 1);
// Under load, the server's RSS climbs for several seconds (buffers, JIT, heap sizing), then levels off.
const warmup = num('warmup', opts.warmup ?? '15', 1);
const connections = num('connections', opts.connections, 1);
const maxGrowth = num('max-growth', opts['max-growth'], 0) / 100;
const seed = num('seed', opts.seed, 0);

/** The format version of the index in `dir`, or null when there is none. */
function formatVersionOf(dir: string): number | null {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) return null;
  return (JSON.parse(readFileSync(file, 'utf8')) as { formatVersion?: number }).formatVersion ?? 0;
}

/**
 * The index folder: --index as given, (re)built from --build inputs (or Reuters) when it has no
 * manifest or one of another format version (a folder left by an older checkout).
 */
function ensureIndex(): string {
  const dir = opts.index ?? join(ROOT, '.index/reuters');
  const found = formatVersionOf(dir);
  if (found === FORMAT_VERSION) return dir;
  const inputs = opts.build ?? (opts.index ? [] : [REUTERS]);
  const why = found === null ? 'has no manifest.json' : `holds index format ${found}, this build reads ${FORMAT_VERSION}`;
  if (inputs.length === 0) throw new Error(`${dir} ${why}; pass --build <inputs> to build it`);
  console.error(`${dir} ${why}`);
  console.error(`building ${dir} from ${inputs.join(', ')} …`);
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/news-search.mjs'), 'build', ...inputs, '--out', dir, '--quiet'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`build failed (exit ${r.status})`);
  return dir;
}

interface Memory {
  rss: number;
  heapUsed: number;
}

interface Server {
  child: ChildProcess;
  url: string;
  articles: number;
  /** Memory after a full collection. */
  memory(): Promise<Memory>;
  /** Samples RSS once a second (no collection: cheap, and the load goes on) until `stop()`. */
  sampleRss(): { samples: number[]; stop(): number[] };
}

function startServer(indexDir: string): Promise<Server> {
  const child = fork(join(ROOT, 'load/server-child.ts'), [indexDir], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = <T>(type: string) =>
    new Promise<T>((resolve) => {
      const on = (m: { type: string }) => {
        if (m.type !== type) return;
        child.off('message', on);
        resolve(m as T);
      };
      child.on('message', on);
      child.send({ type });
    });
  const sampleRss = () => {
    const samples: number[] = [];
    const timer = setInterval(() => void ask<{ rss: number }>('rss').then((m) => samples.push(m.rss)), 1000);
    return {
      samples,
      stop: () => {
        clearInterval(timer);
        return samples;
      },
    };
  };
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`server exited with code ${code}`)));
    child.once('message', (m: { url: string; articles: number }) => resolve({ child, url: m.url, articles: m.articles, memory: () => ask<Memory>('memory'), sampleRss }));
  });
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function cannon(url: string, mix: MixEntry[], seconds: number): Promise<autocannon.Result> {
  let i = 0;
  return autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: (mix[i++ % mix.length] as MixEntry).path }) }],
  });
}

const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;

async function main(): Promise<number> {
  const indexDir = ensureIndex();
  const server = await startServer(indexDir);
  try {
    const mix = await buildMix(server.url, 5000, seed);
    // Prime: every distinct request once. It checks the mix (a 4xx here is a broken mix, not a server
    // fault) and loads what the index loads on demand (term shards, body chunks), so memory after
    // warm-up is the workload's steady state and growth after it means a leak, not a cache filling.
    const distinct = [...new Set(mix.map((m) => m.path))];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < distinct.length) {
          const path = distinct[next++] as string;
          const res = await fetch(server.url + path);
          await res.arrayBuffer();
          if (!res.ok) throw new Error(`mix request ${path} answered ${res.status}`);
        }
      }),
    );
    console.error(`load: ${server.articles} articles at ${server.url}; ${distinct.length} distinct requests primed; ${connections} connections; warm-up ${warmup} s, run ${duration} s; mix ${JSON.stringify(SHARES)}`);
    const sampling = server.sampleRss();
    const warmRun = await cannon(server.url, mix, warmup);
    const warm = sampling.samples.length;
    const r = await cannon(server.url, mix, duration);
    const rss = sampling.stop();
    // RSS under load: the mean of the last 10 s of warm-up against the mean of the last 10 s of the
    // run. Single readings swing by ±15% with the collector's sawtooth (a cycle takes several
    // seconds on Reuters); a leak moves the whole curve.
    const w = Math.max(1, Math.min(10, warm, rss.length - warm));
    const rssStart = mean(rss.slice(warm - w, warm));
    const rssEnd = mean(rss.slice(-w));
    const growth = (rssEnd - rssStart) / rssStart;
    const after = await server.memory();
    // autocannon counts timeouts among errors; warm-up failures count too.
    const failures = r.errors + r.non2xx + warmRun.errors + warmRun.non2xx;
    const summary = {
      articles: server.articles,
      connections,
      durationS: duration,
      requests: r.requests.total,
      requestsPerSec: Math.round(r.requests.average),
      latencyMs: { p50: r.latency.p50, p97_5: r.latency.p97_5, p99: r.latency.p99, max: r.latency.max },
      errors: r.errors,
      timeouts: r.timeouts,
      non2xx: r.non2xx,
      rss: { afterWarmup: rssStart, end: rssEnd, growthPct: Math.round(growth * 1000) / 10, samples: rss },
      liveHeapAtEnd: after.heapUsed,
    };
    console.log(
      [
        `requests ${summary.requests} in ${duration} s: ${summary.requestsPerSec} req/s`,
        `latency p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms`,
        `errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}`,
        `server RSS ${mb(rssStart)} after warm-up → ${mb(rssEnd)} at end (${summary.rss.growthPct}%, means of ${w} s under load); live heap at end ${mb(after.heapUsed)}`,
      ].join('\n'),
    );
    if (opts.json) await writeFile(opts.json, JSON.stringify(summary, null, 2) + '\n');
    if (failures > 0) console.error(`FAIL: ${failures} failed requests`);
    if (growth >= maxGrowth) console.error(`FAIL: memory grew ${summary.rss.growthPct}% (limit ${maxGrowth * 100}%)`);
    return failures > 0 || growth >= maxGrowth ? 1 : 0;
  } finally {
    server.child.removeAllListeners('exit');
    server.child.send({ type: 'stop' });
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(`load: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  },
);
