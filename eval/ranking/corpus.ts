import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { loadIndex } from '../../core/search/load-index.ts';
import type { SearchIndex } from '../../core/search/search-index.ts';
import { buildFromInputs } from '../../indexer/build.ts';
import { folderReader, writeBundleToFolder } from '../../storage/local-folder.ts';

/** Reuters-21578 as NDJSON, relative to the repository root (see ../shared/data/reuters21578/README.md). */
export const REUTERS = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'reuters21578', 'articles.ndjson.gz');

/** What every engine indexes: exactly the articles of our bundle, as stored. */
export interface EvalDoc {
  id: string;
  title: string;
  body: string;
}

/** Reuters' hand-assigned labels, the judgements of the topical sets. */
export interface Labels {
  categories: string[];
  places: string[];
}

/**
 * Our index: a folder built earlier (`--index`), or a fresh build of Reuters with the real build
 * (entity extraction included, a few minutes), optionally saved for the next run.
 */
export async function loadOurIndex(opts: { index?: string; saveIndex?: string; log: (s: string) => void }): Promise<SearchIndex> {
  if (opts.index) return loadIndex(folderReader(opts.index));
  opts.log(`building our index from ${REUTERS} (entity extraction: a few minutes; pass --index <dir> to reuse one)…`);
  const report = await buildFromInputs({ inputs: [REUTERS] });
  opts.log(`built: ${report.indexed} articles in ${(report.ms.total / 1000).toFixed(0)} s`);
  if (opts.saveIndex) {
    await writeBundleToFolder(opts.saveIndex, report.bundle.files!);
    opts.log(`saved to ${opts.saveIndex}`);
  }
  const files = report.bundle.files!;
  return loadIndex(async (name) => {
    const bytes = files.get(name);
    if (!bytes) throw new Error(`bundle has no part ${name}`);
    return bytes;
  });
}

/** Every article of the bundle with its stored title and body, in doc-number order. */
export async function indexedDocs(index: SearchIndex): Promise<EvalDoc[]> {
  const all = [...Array(index.size).keys()];
  const bodies = await index.docs.bodies(all);
  return all.map((n) => ({ id: index.ids[n] as string, title: index.titles[n] as string, body: bodies[n] as string }));
}

/** Reuters labels by article id. */
export async function readReutersLabels(file = REUTERS): Promise<Map<string, Labels>> {
  const out = new Map<string, Labels>();
  const input = createReadStream(file).pipe(createGunzip());
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    const r = JSON.parse(line) as { id: string; categories?: string[]; places?: string[] };
    out.set(String(r.id), { categories: r.categories ?? [], places: r.places ?? [] });
  }
  return out;
}
