import { join } from 'node:path';
import { runChild } from './child.ts';
import type { BuildResult } from './build-child.ts';
import type { DeriveResult } from './derive-child.ts';
import type { ScaleDeriveResult } from './derive-scale-child.ts';

export type { BuildResult, DeriveResult, ScaleDeriveResult };

export interface BuildRunOptions {
  /**
   * V8 heap cap of the build's main thread (scale corpora: 8 GB; Reuters: Node's default). Given
   * through NODE_OPTIONS, not execArgv: worker threads inherit execArgv and refuse heap flags.
   */
  maxOldSpaceMb?: number;
  /** Articles per date-ranged segment, handed to the product build (`--segment-size`). */
  segmentSize?: number;
}

/** Builds `input` into `outDir` in a fresh process, so its peak RSS is the build's alone. */
export function runBuild(input: string, outDir: string, timeoutMs: number, o: BuildRunOptions = {}): Promise<BuildResult> {
  const args = [input, outDir, ...(o.segmentSize !== undefined ? [String(o.segmentSize)] : [])];
  return runChild<BuildResult>(join(import.meta.dirname, 'build-child.ts'), args, {
    ts: true,
    timeoutMs,
    stdout: 'inherit',
    ...(o.maxOldSpaceMb ? { env: { NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --max-old-space-size=${o.maxOldSpaceMb}`.trim() } } : {}),
  });
}

/** `--derive`: the k× bundle from the 1× bundle's articles, without re-running entity extraction. */
export function runDerive(baseDir: string, copies: number, outDir: string, timeoutMs: number): Promise<DeriveResult> {
  return runChild<DeriveResult>(join(import.meta.dirname, 'derive-child.ts'), [baseDir, String(copies), outDir], { ts: true, timeoutMs, maxOldSpaceMb: 8192 });
}

/**
 * `--derive-scale`: the scale corpus `input` built without entity extraction, segment by segment
 * (bench/derive-scale-child.ts), facets copied from the 1× Reuters bundle `facetsDir`.
 */
export function runDeriveScale(input: string, facetsDir: string, outDir: string, timeoutMs: number, o: { segmentSize?: number } = {}): Promise<ScaleDeriveResult> {
  const args = [input, facetsDir, outDir, ...(o.segmentSize !== undefined ? [String(o.segmentSize)] : [])];
  return runChild<ScaleDeriveResult>(join(import.meta.dirname, 'derive-scale-child.ts'), args, { ts: true, timeoutMs, maxOldSpaceMb: 8192 });
}
