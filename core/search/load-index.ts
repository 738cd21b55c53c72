import type { PartReader } from '../format/part-reader.ts';
import { DocStore } from './doc-store.ts';
import { SearchIndex } from './search-index.ts';
import { IndexFormatError } from '../errors.ts';
import { decodePart } from '../format/codec.ts';
import { MANIFEST_NAME, parseManifest } from '../format/format.ts';
import type { MetaPart, VocabPart } from '../format/parts.ts';
import { FlexShards } from './flex-shards.ts';

/**
 * Loads a bundle through `read` (a folder, S3, memory: the caller decides). Only what every query
 * needs loads here, in parallel and verified: the manifest, the columns (`meta`) and the vocabulary.
 * FlexSearch shards load when a query first needs them, article bodies when a hit is shown.
 */
export async function loadIndex(read: PartReader, now: () => number = () => performance.now()): Promise<SearchIndex> {
  const t0 = now();
  const manifest = parseManifest(await read(MANIFEST_NAME));
  const byRole = (role: string) => {
    const p = manifest.parts.find((x) => x.role === role);
    if (!p) throw new IndexFormatError(`bundle has no ${role} part`);
    return p;
  };
  const metaInfo = byRole('meta');
  const vocabInfo = byRole('vocab');
  const [meta, vocab] = await Promise.all([
    read(metaInfo.name).then((b) => decodePart<MetaPart>(metaInfo, b)),
    read(vocabInfo.name).then((b) => decodePart<VocabPart>(vocabInfo, b)),
  ]);
  const shards = new FlexShards(manifest, read, vocab.shardStarts);
  return new SearchIndex(manifest, meta, vocab, shards, new DocStore(manifest, read), now() - t0);
}
