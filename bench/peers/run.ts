import { join } from 'node:path';
import { ChildError, runChild } from '../child.ts';
import type { PeerBuildResult, PeerQueryResult } from './child.ts';

export type { PeerBuildResult, PeerQueryResult };
export interface PeerResult {
  /** Command-line name (orama, minisearch, lunr). */
  name: string;
  build?: PeerBuildResult;
  query?: PeerQueryResult;
  /** Set when a step crashed or timed out; the benchmark goes on with the other peers. */
  error?: string;
  /**
   * The peer hit a limit rather than crashing: its V8 heap cap (`could not load within 8 GB`) or
   * V8's longest string (its index does not fit one JSON string). A finding, not a benchmark failure.
   */
  limit?: boolean;
}

const CHILD = join(import.meta.dirname, 'child.ts');

/** Build (one process) then load + query (a fresh process) one peer. */
export async function runPeer(
  name: string,
  o: { bundleDir: string; tmp: string; queriesFile: string; passes: number; timeoutMs: number; maxOldSpaceMb: number },
): Promise<PeerResult> {
  const file = join(o.tmp, `${name}.json`);
  const opts = { ts: true, timeoutMs: o.timeoutMs, maxOldSpaceMb: o.maxOldSpaceMb };
  const out: PeerResult = { name };
  let phase = 'build (index + serialize)';
  try {
    out.build = await runChild<PeerBuildResult>(CHILD, [name, 'build', o.bundleDir, file], opts);
    phase = 'load + query';
    out.query = await runChild<PeerQueryResult>(CHILD, [name, 'query', file, o.queriesFile, String(o.passes)], opts);
  } catch (err) {
    if (!(err instanceof ChildError)) throw err;
    const limit = limitMessage(err.message, phase, o.maxOldSpaceMb);
    out.error = limit ?? err.message.split('\n')[0];
    if (limit) out.limit = true;
  }
  return out;
}

/**
 * A child that died of V8's heap limit aborts (SIGABRT, or SIGTRAP/SIGILL on a fatal CHECK) before
 * reporting; one whose index is too big for a JSON string throws `Invalid string length` (V8's
 * longest string is ~512 MB, 2^29 − 24 characters); one that ran past `--peer-timeout` was killed.
 * Anything else is not a limit.
 */
export function limitMessage(message: string, phase: string, heapMb: number): string | null {
  const gb = heapMb % 1024 === 0 ? `${heapMb / 1024} GB` : `${heapMb} MB`;
  if (/SIGABRT|SIGTRAP|SIGILL|code 134|heap out of memory|Reached heap limit/i.test(message)) {
    return `could not load within ${gb} (V8 heap cap ${heapMb} MB reached in ${phase})`;
  }
  const timedOut = /timed out after (\d+) s/.exec(message);
  if (timedOut) return `did not finish within ${Math.round(Number(timedOut[1]) / 60)} min (${phase})`;
  if (/Invalid string length|Cannot create a string longer/i.test(message)) {
    return `could not load: its serialized index is over V8's longest string (~512 MB) (${phase})`;
  }
  return null;
}
