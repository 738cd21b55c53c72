import type { PartReader } from '../format/part-reader.ts';
import { DocStore } from './doc-store.ts';
import { SearchIndex } from './search-index.ts';
import { TokenStore } from './token-store.ts';
import { IndexFormatError } from '../errors.ts';
import { decodePartAsync } from '../format/codec.ts';
import { MANIFEST_NAME, parseManifest, partsOf } from '../format/format.ts';
import type { MetaPart, VocabPart } from '../format/parts.ts';
import { PostingsStore } from './postings-store.ts';
import { PartCache } from './part-cache.ts';
import { layoutSegments, mergeColumns, type SegmentMeta } from './segment-layout.ts';

/** Default byte budget of the on-demand cache (postings, stored text and tokens): `INDEX_CACHE_MB`. */
export const DEFAULT_CACHE_MB = 512;

export interface LoadOptions {
  /** Byte budget of the cache for postings, stored text and tokens, in MiB (default `DEFAULT_CACHE_MB`). */
  cacheMb?: number;
  /** Segment metas read at once. */
  concurrency?: number;
  now?: () => number;
}

/**
 * Loads an index version through `read` (a folder, S3, memory: the caller decides). Only what every
 * query needs loads here, verified: the manifest, the index-wide vocabulary and each segment's
 * columns (`meta`). A term's postings load when a query first needs them, token ids (and a segment's term
 * list) when a doc is re-ranked or checked for a phrase, article bodies when a hit is shown, all
 * into one byte-budgeted cache.
 */
export async function loadIndex(read: PartReader, opts: LoadOptions | (() => number) = {}): Promise<SearchIndex> {
  const o: LoadOptions = typeof opts === 'function' ? { now: opts } : opts;
  const now = o.now ?? (() => performance.now());
  const t0 = now();
  const manifest = parseManifest(await read(MANIFEST_NAME));
  const vocabInfo = partsOf(manifest, null).find((p) => p.role === 'vocab');
  if (!vocabInfo) throw new IndexFormatError('the manifest names no vocab part');
  // Re-ranking and phrases read every segment's token ids: an index without them is refused here, not mid-query.
  const tokenChunks = new Map<string, number>();
  for (const p of manifest.parts) if (p.role === 'tokens' && p.segment !== undefined) tokenChunks.set(p.segment, (tokenChunks.get(p.segment) ?? 0) + 1);
  for (const s of manifest.segments) {
    if (tokenChunks.get(s.id) !== Math.ceil(s.articleCount / s.docChunkSize)) throw new IndexFormatError(`segment ${s.id} lacks tokens parts; rebuild the index with this version of news-search`);
  }
  const metaOf = new Map(manifest.parts.filter((p) => p.role === 'meta' && p.segment !== undefined).map((p) => [p.segment as string, p]));
  const vocabP = read(vocabInfo.name).then((b) => decodePartAsync<VocabPart>(vocabInfo, b));
  const segs: SegmentMeta[] = new Array<SegmentMeta>(manifest.segments.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < manifest.segments.length; i = next++) {
      const info = manifest.segments[i] as SegmentMeta['info'];
      const p = metaOf.get(info.id);
      if (!p) throw new IndexFormatError(`segment ${info.id} has no meta part`);
      const meta = await decodePartAsync<MetaPart>(p, await read(p.name));
      if (meta.ids.length !== info.articleCount) throw new IndexFormatError(`segment ${info.id} holds ${meta.ids.length} rows, the manifest says ${info.articleCount}`);
      segs[i] = { info, meta };
    }
  };
  // Awaited together: a failed vocabulary read must reject this load, never float unhandled.
  const [vocab] = await Promise.all([vocabP, ...Array.from({ length: Math.min(o.concurrency ?? 16, Math.max(1, manifest.segments.length)) }, worker)]);
  const layout = layoutSegments(segs);
  const columns = mergeColumns(segs, layout);
  const cache = new PartCache((o.cacheMb ?? DEFAULT_CACHE_MB) * 1024 * 1024);
  const postings = new PostingsStore(manifest, read, cache, layout);
  const docs = new DocStore(manifest, read, cache, layout);
  return new SearchIndex(manifest, columns, vocab, layout, postings, docs, new TokenStore(manifest, read, cache, layout, postings), cache, now() - t0);
}
