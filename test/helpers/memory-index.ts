import { buildBundle, type Bundle, type BundleOptions } from '../../indexer/build-bundle.ts';
import { loadIndex } from '../../core/search/load-index.ts';
import type { SearchIndex } from '../../core/search/search-index.ts';
import type { StoredArticle } from '../../core/types.ts';

/**
 * Builds a bundle in memory and loads it back through the real loader, counting part reads: `reads`
 * names each part read, `ranges` each byte-range read (as S3 and a folder answer them).
 */
export async function memoryIndex(articles: StoredArticle[], opts: BundleOptions = {}) {
  const bundle: Bundle = await buildBundle(articles, opts);
  const reads: string[] = [];
  const ranges: Array<{ name: string; offset: number; length: number }> = [];
  const index: SearchIndex = await loadIndex(async (name, range) => {
    reads.push(name);
    const bytes = bundle.files.get(name);
    if (!bytes) throw new Error(`no part ${name}`);
    if (!range) return bytes;
    ranges.push({ name, ...range });
    return bytes.subarray(range.offset, range.offset + range.length);
  });
  return { bundle, index, reads, ranges };
}

export function article(p: Partial<StoredArticle> & { id: string }): StoredArticle {
  return { date: '2024-01-01', title: p.id, body: 'text', url: null, people: [], locations: [], about: p.locations ?? [], ...p };
}
