import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIndex } from '../../cli/build-index.ts';
import { CORPUS_INPUTS, REPORT_NAME } from './corpus-index.ts';

/**
 * Builds the corpus index once for every corpus test file (each used to build its own: minutes each),
 * unless `NEWS_SEARCH_CORPUS_INDEX` already names one. The build's counts go beside it, for the test
 * that checks read = indexed + rejected.
 */
export default async function setup(): Promise<() => Promise<void>> {
  if (process.env['NEWS_SEARCH_CORPUS_INDEX']) return async () => {};
  const root = await mkdtemp(join(tmpdir(), 'ns-corpus-'));
  const dir = join(root, 'ix');
  const r = await buildIndex({ inputs: CORPUS_INPUTS, outDir: dir });
  await writeFile(join(root, REPORT_NAME), JSON.stringify({ read: r.read, indexed: r.indexed, rejected: r.rejected }));
  process.env['NEWS_SEARCH_CORPUS_INDEX'] = dir;
  return () => rm(root, { recursive: true, force: true });
}
