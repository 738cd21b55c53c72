import MiniSearch from 'minisearch';
import type { EvalDoc } from '../corpus.ts';
import { TOP_K, type PeerLibrary, type RankEngine } from './types.ts';

/** MiniSearch 7: fields title + body, title boost 2, no prefix (as typed: the last word) or fuzzy (its defaults), BM25+. */
export const minisearchPeer: PeerLibrary = {
  name: 'MiniSearch',
  async build(docs: readonly EvalDoc[]): Promise<RankEngine[]> {
    const ms = new MiniSearch<EvalDoc>({ fields: ['title', 'body'] });
    ms.addAll(docs);
    // As typed (the `typed` set), the last word is also a prefix: MiniSearch's search-as-you-type setting.
    const lastIsPrefix = (_term: string, i: number, terms: string[]) => i === terms.length - 1;
    const variant = (combineWith: 'AND' | 'OR', label: string): RankEngine => ({
      name: `MiniSearch (${label})`,
      role: 'peer',
      notes: `fields title+body, boost { title: 2 }, prefix false (typed set: last term), fuzzy false, combineWith ${combineWith}`,
      search: (words, typed) =>
        ms
          .search(words.join(' '), { combineWith, boost: { title: 2 }, prefix: typed ? lastIsPrefix : false, fuzzy: false })
          .slice(0, TOP_K)
          .map((r) => String(r.id)),
    });
    return [variant('AND', 'AND'), variant('OR', 'OR, default')];
  },
};
