import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BuildReport } from '../../indexer/build.ts';
import { buildIndex } from '../../cli/build-index.ts';

/** `../shared/data` next to the repository, as on CI and developer machines. */
export const DATA = resolve(import.meta.dirname, '../../../shared/data');
/** The counts of the shared build (global-setup.ts), beside its folder. */
export const REPORT_NAME = 'build-report.json';
export const CORPUS_INPUTS = [join(DATA, 'reuters21578/articles.ndjson.gz'), join(DATA, 'wikinews'), join(DATA, 'seed')];

type Counts = Pick<BuildReport, 'read' | 'indexed' | 'rejected'>;

/**
 * The Reuters + Wikinews + seed index: the one global-setup.ts built for this run (its counts
 * beside it), or one `NEWS_SEARCH_CORPUS_INDEX` names (built by `news-search build` with the same
 * inputs, to save minutes when iterating locally), or, when neither, one built here.
 */
export async function corpusIndexDir(): Promise<{ dir: string; report?: Counts }> {
  if (!existsSync(DATA)) throw new Error(`corpus data not found at ${DATA}`);
  const prebuilt = process.env['NEWS_SEARCH_CORPUS_INDEX'];
  if (prebuilt) {
    const counts = join(prebuilt, '..', REPORT_NAME);
    return existsSync(counts) ? { dir: prebuilt, report: JSON.parse(readFileSync(counts, 'utf8')) as Counts } : { dir: prebuilt };
  }
  const dir = join(await mkdtemp(join(tmpdir(), 'ns-corpus-')), 'ix');
  const report = await buildIndex({ inputs: CORPUS_INPUTS, outDir: dir });
  return { dir, report };
}
