import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { peakRss, reply } from './child.ts';
import { loadTemplate, searchEvent } from './events.ts';

/**
 * Child process for ONE cold start, bundled by esbuild and run on plain Node (no tsx): imports the
 * handler bundle, answers one search, reports the times and exits. With a folder index, reads of
 * files under that folder are counted by wrapping `fs/promises.readFile` before the handler loads
 * (syncBuiltinESMExports makes the wrapper visible to its ESM imports); with S3 the parent counts
 * bytes at its proxy instead.
 */
export interface ColdResult {
  importMs: number;
  firstAnswerMs: number;
  /** import + first answer: what the cold-start target measures. */
  totalMs: number;
  /** From process start (Node boot included) to the first answer. */
  sinceProcessStartMs: number;
  status: number;
  bodyBytes: number;
  /** Folder source only: bytes and files read from the index folder. */
  fsBytes: number;
  fsReads: number;
  peakRss: number;
}

const [handlerFile, fixture, query, indexDir] = process.argv.slice(2) as [string, string, string, string | undefined];

let fsBytes = 0;
let fsReads = 0;
if (indexDir) {
  const root = resolve(indexDir) + sep;
  const original = fsp.readFile;
  const counted = async (...args: Parameters<typeof original>) => {
    const out = await original(...args);
    if (typeof args[0] === 'string' && resolve(args[0]).startsWith(root)) {
      fsBytes += typeof out === 'string' ? Buffer.byteLength(out) : out.byteLength;
      fsReads++;
    }
    return out;
  };
  fsp.readFile = counted as typeof original;
  syncBuiltinESMExports();
}

reply(async (): Promise<ColdResult> => {
  const event = searchEvent(loadTemplate(fixture), query, 1);
  const t0 = performance.now();
  const mod = (await import(pathToFileURL(handlerFile).href)) as typeof import('../functions/search.ts');
  const t1 = performance.now();
  const res = await mod.handler(event, { awsRequestId: 'bench-cold' });
  const t2 = performance.now();
  return {
    importMs: t1 - t0,
    firstAnswerMs: t2 - t1,
    totalMs: t2 - t0,
    sinceProcessStartMs: t2,
    status: res.statusCode ?? 0,
    bodyBytes: typeof res.body === 'string' ? (res.isBase64Encoded ? Buffer.byteLength(res.body, 'base64') : Buffer.byteLength(res.body)) : 0,
    fsBytes,
    fsReads,
    peakRss: peakRss(),
  };
});
