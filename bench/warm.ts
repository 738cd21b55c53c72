import { join } from 'node:path';
import { runChild } from './child.ts';
import { FIXTURE } from './events.ts';
import type { WarmResult } from './warm-child.ts';

export type { WarmResult };

/** Warm latency of the handler over the folder index, in a fresh process. */
export function runWarm(indexDir: string, queriesFile: string, passes: number, timeoutMs: number): Promise<WarmResult> {
  return runChild<WarmResult>(join(import.meta.dirname, 'warm-child.ts'), [queriesFile, String(passes), FIXTURE], {
    ts: true,
    timeoutMs,
    env: { INDEX_URI: indexDir },
  });
}
