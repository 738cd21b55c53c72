import { buildFromInputs, type BuildOptions, type BuildReport } from '../indexer/build.ts';
import { openFolderWriter } from '../storage/local-folder.ts';
import { InputError } from '../indexer/read-inputs.ts';

/**
 * Builds inputs into a local bundle folder, streaming each part to disk as the build makes it:
 * `news-search build --out <dir>` in one call, for tests, benchmarks and `serve --build`. It lives
 * here, not in `indexer/`, because it writes through `storage/` and the build never imports storage.
 * The folder is replaced only when the build succeeds.
 */
export async function buildIndex(
  opts: Omit<BuildOptions, 'sink'> & { outDir: string; allowEmpty?: boolean; beforeCommit?: (report: BuildReport) => void | Promise<void> },
): Promise<BuildReport> {
  const out = await openFolderWriter(opts.outDir);
  try {
    const report = await buildFromInputs({ ...opts, sink: out });
    // An empty build never replaces an index: one bad feed run must not blank the site's search.
    if (report.indexed === 0 && !opts.allowEmpty) {
      throw new InputError(`nothing was indexed (${report.read} record(s) read, ${report.rejected} rejected); ${opts.outDir} is unchanged`);
    }
    await opts.beforeCommit?.(report);
    await out.commit();
    return report;
  } catch (err) {
    await out.abort();
    throw err;
  }
}
