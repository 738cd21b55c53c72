import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BuildReport } from '../../indexer/build.ts';
import { buildIndex } from '../../cli/build-index.ts';

/** `../shared/data` next to the repository, as on CI and developer machines. */
export const DATA = resolve(import.meta.dirname, '../../../shared/data');
export const CORPUS_INPUTS = [join(DATA, 'reuters21578/articles.ndjson.gz'), join(DATA, 'wikinews'), join(DATA, 'seed')];

/**
 * Builds the Reuters + Wikinews + seed index once per test file. `NEWS_SEARCH_CORPUS_INDEX` may
 * point at a folder already built by `news-search build` with the same inputs, to save minutes
 * when iterating locally.
 */
export async function corpusIndexDir(): Promise<{ dir: string; report?: BuildReport }> {
  if (!existsSync(DATA)) throw new Error(`corpus data not found at ${DATA}`);
  const prebuilt = process.env['NEWS_SEARCH_CORPUS_INDEX'];
  if (prebuilt) return { dir: prebuilt };
  const dir = join(await mkdtemp(join(tmpdir(), 'ns-corpus-')), 'ix');
  const report = await buildIndex({ inputs: CORPUS_INPUTS, outDir: dir });
  return { dir, report };
}
