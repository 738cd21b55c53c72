import { buildIndex } from '../cli/build-index.ts';
import { defaultWorkerCount } from '../indexer/enrich-pool.ts';
import { peakRss, reply } from './child.ts';

/** Child process: builds one corpus into a bundle folder with the product's own build (default workers). */
export interface BuildResult {
  read: number;
  indexed: number;
  rejected: number;
  workers: number;
  ms: { total: number; read: number; extract: number; index: number; write: number };
  peakRss: number;
  /** `--segment-size`, as handed to buildIndex (absent: the build's default). */
  segmentSize?: number;
}

const [input, outDir, segmentArg] = process.argv.slice(2) as [string, string, string?];
const segmentSize = segmentArg === undefined ? undefined : Number(segmentArg);

/** buildIndex's options: `segmentSize` (articles per date-ranged segment) comes from `--segment-size`. */
type BuildIndexOptions = Parameters<typeof buildIndex>[0];

reply(async (): Promise<BuildResult> => {
  const t0 = performance.now();
  let next = 2000;
  // Progress on stderr: a 5× build takes many minutes.
  const onProgress = (done: number) => {
    if (done < next) return;
    next += 2000;
    const s = (performance.now() - t0) / 1000;
    process.stderr.write(`[bench build] ${done} articles, ${s.toFixed(0)} s, ${(done / s).toFixed(0)}/s\n`);
  };
  const opts: BuildIndexOptions = { inputs: [input], outDir, onProgress, ...(segmentSize !== undefined ? { segmentSize } : {}) };
  const r = await buildIndex(opts);
  const total = performance.now() - t0;
  return {
    read: r.read,
    indexed: r.indexed,
    rejected: r.rejected,
    workers: defaultWorkerCount(),
    ms: { total, read: r.ms.read, extract: r.ms.extract, index: r.ms.index, write: total - r.ms.total },
    peakRss: peakRss(),
    ...(segmentSize !== undefined ? { segmentSize } : {}),
  };
});
