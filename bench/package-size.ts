import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO } from './child.ts';

/** Size of the packaged Lambda zip: the existing `.serverless/search.zip` (the search function; functions are packaged individually), or a fresh `serverless package` with `--package`. */
export interface PackageSize {
  bytes: number;
  /** When the zip was written: an old zip may not reflect the current code. */
  builtAt: string;
  freshlyPackaged: boolean;
}

export const ZIP = join(REPO, '.serverless', 'search.zip');

export async function packageSize(runPackage: boolean): Promise<PackageSize | { error: string }> {
  if (runPackage) {
    try {
      // `package` makes no AWS calls, but the framework wants credentials and a region to exist.
      await promisify(execFile)('npx', ['serverless', 'package'], {
        cwd: REPO,
        timeout: 600_000,
        env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDBENCHDUMMY', AWS_SECRET_ACCESS_KEY: 'bench-dummy-secret', AWS_REGION: 'us-east-1', SLS_TELEMETRY_DISABLED: '1' },
      });
    } catch (err) {
      return { error: `serverless package failed: ${(err as Error).message.split('\n')[0]}` };
    }
  }
  try {
    const s = await stat(ZIP);
    return { bytes: s.size, builtAt: s.mtime.toISOString(), freshlyPackaged: runPackage };
  } catch {
    return { error: `${ZIP} not found (run with --package to build it)` };
  }
}
