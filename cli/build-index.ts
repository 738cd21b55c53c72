import { buildFromInputs, type BuildOptions, type BuildReport } from '../indexer/build.ts';
import { writeBundleToFolder } from '../storage/local-folder.ts';

/**
 * Builds inputs into a local bundle folder: `news-search build --out <dir>` in one call, for tests,
 * benchmarks and `serve --build`. It lives here, not in `indexer/`, because it writes through
 * `storage/` and the build never imports storage.
 */
export async function buildIndex(opts: BuildOptions & { outDir: string }): Promise<BuildReport> {
  const report = await buildFromInputs(opts);
  await writeBundleToFolder(opts.outDir, report.bundle.files);
  return report;
}
