import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Builds the corpus index once for every corpus test file (each used to build its own: minutes each),
 * unless `NEWS_SEARCH_CORPUS_INDEX` already names one. The build runs in a child process (see
 * build-corpus.ts); its counts go beside the index, for the test that checks read = indexed + rejected.
 */
export default async function setup(): Promise<() => Promise<void>> {
  if (process.env['NEWS_SEARCH_CORPUS_INDEX']) return async () => {};
  const root = await mkdtemp(join(tmpdir(), 'ns-corpus-'));
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'build-corpus.ts'), root], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`building the corpus index failed (exit ${String(r.status)})`);
  process.env['NEWS_SEARCH_CORPUS_INDEX'] = join(root, 'ix');
  return () => rm(root, { recursive: true, force: true });
}
