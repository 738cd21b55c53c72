import { join } from 'node:path';
import { runChild } from './child.ts';
import type { BuildResult } from './build-child.ts';
import type { DeriveResult } from './derive-child.ts';

export type { BuildResult, DeriveResult };

/** Builds `input` into `outDir` in a fresh process, so its peak RSS is the build's alone. */
export function runBuild(input: string, outDir: string, timeoutMs: number): Promise<BuildResult> {
  return runChild<BuildResult>(join(import.meta.dirname, 'build-child.ts'), [input, outDir], { ts: true, timeoutMs, stdout: 'inherit' });
}

/** `--derive`: the k× bundle from the 1× bundle's articles, without re-running entity extraction. */
export function runDerive(baseDir: string, copies: number, outDir: string, timeoutMs: number): Promise<DeriveResult> {
  return runChild<DeriveResult>(join(import.meta.dirname, 'derive-child.ts'), [baseDir, String(copies), outDir], { ts: true, timeoutMs, maxOldSpaceMb: 8192 });
}
