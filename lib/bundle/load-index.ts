import { importFlex } from '../flex.ts';
import { DocStore, type PartReader } from '../search/doc-store.ts';
import { SearchIndex } from '../search/search-index.ts';
import { IndexFormatError } from '../errors.ts';
import { decodePart } from './codec.ts';
import { MANIFEST_NAME, parseManifest } from './format.ts';
import type { FlexPart, MetaPart, VocabPart } from './parts.ts';

export type { PartReader };

/**
 * Loads a bundle through `read` (a folder, S3, memory: the caller decides). Everything a query needs
 * is fetched in parallel and verified; article bodies stay behind for the DocStore to fetch lazily.
 */
export async function loadIndex(read: PartReader, now: () => number = () => performance.now()): Promise<SearchIndex> {
  const t0 = now();
  const manifest = parseManifest(await read(MANIFEST_NAME));
  const eager = manifest.parts.filter((p) => p.role !== 'docs');
  const loaded = await Promise.all(eager.map(async (p) => ({ p, value: decodePart<unknown>(p, await read(p.name)) })));
  let meta: MetaPart | undefined;
  let vocab: VocabPart | undefined;
  const flexEntries: FlexPart = [];
  // Parts keep manifest order, and FlexSearch import needs its keys in export order.
  for (const { p, value } of loaded) {
    if (p.role === 'meta') meta = value as MetaPart;
    else if (p.role === 'vocab') vocab = value as VocabPart;
    else if (p.role === 'flex') flexEntries.push(...(value as FlexPart));
  }
  if (!meta || !vocab) throw new IndexFormatError('bundle has no meta or vocab part');
  const flex = importFlex(flexEntries);
  return new SearchIndex(manifest, meta, vocab, flex, new DocStore(manifest, read), now() - t0);
}
