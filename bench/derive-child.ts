import { createRequire } from 'node:module';
import { buildBundle } from '../indexer/build-bundle.ts';
import { formatDay } from '../core/dates.ts';
import type { StoredArticle } from '../core/types.ts';
import { writeBundleToFolder } from '../storage/local-folder.ts';
import { readArticles } from './bundle-read.ts';
import { peakRss, reply } from './child.ts';
import { shiftYears } from './corpus.ts';

/**
 * Child process for `--derive`: the k× bundle made from the 1× bundle's articles, which already
 * carry their extracted people and locations. Copy k gets the `-xk` ids and +10·k-year dates of
 * corpus.ts, and goes through the product's own buildBundle, so the bundle is what a full k× build
 * makes (extraction reads only title and body, which the copies share), minus the extraction time.
 */
export interface DeriveResult {
  indexed: number;
  ms: { index: number; write: number };
  peakRss: number;
}

const [baseDir, copiesArg, outDir] = process.argv.slice(2) as [string, string, string];

reply(async (): Promise<DeriveResult> => {
  const base = await readArticles(baseDir);
  const articles: StoredArticle[] = [];
  for (let k = 0; k < Number(copiesArg); k++) {
    for (const a of base) {
      articles.push({
        id: k === 0 ? a.id : `${a.id}-x${k}`,
        date: shiftYears(formatDay(a.day), 10 * k),
        title: a.title,
        body: a.body,
        url: a.url,
        people: a.people,
        locations: a.locations,
        about: a.about,
      });
    }
  }
  // As indexer/build.ts does: the version is informational, and flexsearch may not export it.
  let version = 'unknown';
  try {
    version = (createRequire(import.meta.url)('flexsearch/package.json') as { version: string }).version;
  } catch {
    // keep 'unknown'
  }
  const t0 = performance.now();
  const bundle = await buildBundle(articles, { flexsearchVersion: version });
  const t1 = performance.now();
  await writeBundleToFolder(outDir, bundle.files);
  return { indexed: articles.length, ms: { index: t1 - t0, write: performance.now() - t1 }, peakRss: peakRss() };
});
