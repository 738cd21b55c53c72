import MiniSearch from 'minisearch';
import type { EvalDoc } from '../corpus.ts';
import { TOP_K, type PeerLibrary, type RankEngine } from './types.ts';

/** MiniSearch 7: fields title + body, title boost 2, no prefix or fuzzy (its defaults), BM25+. */
export const minisearchPeer: PeerLibrary = {
  name: 'MiniSearch',
  async build(docs: readonly EvalDoc[]): Promise<RankEngine[]> {
    const ms = new MiniSearch<EvalDoc>({ fields: ['title', 'body'] });
    ms.addAll(docs);
    const variant = (combineWith: 'AND' | 'OR', label: string): RankEngine => ({
      name: `MiniSearch (${label})`,
      role: 'peer',
      notes: `fields title+body, boost { title: 2 }, prefix false, fuzzy false, combineWith ${combineWith}`,
      search: (words) =>
        ms
          .search(words.join(' '), { combineWith, boost: { title: 2 }, prefix: false, fuzzy: false })
          .slice(0, TOP_K)
          .map((r) => String(r.id)),
    });
    return [variant('AND', 'AND'), variant('OR', 'OR, default')];
  },
};
