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
  try {
    out.build = await runChild<PeerBuildResult>(CHILD, [name, 'build', o.bundleDir, file], opts);
    out.query = await runChild<PeerQueryResult>(CHILD, [name, 'query', file, o.queriesFile, String(o.passes)], opts);
  } catch (err) {
    if (!(err instanceof ChildError)) throw err;
    out.error = err.message.split('\n')[0];
  }
  return out;
}
