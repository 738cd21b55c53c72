import { Document } from 'flexsearch';
import type { EvalDoc } from '../corpus.ts';
import { TOP_K, type PeerLibrary, type RankEngine } from './types.ts';

/**
 * Raw FlexSearch 0.8: a Document over title and body with default options (default encoder,
 * `strict` tokenizer, resolution 9), string ids. A Document returns one list per field; `merge:
 * true` joins them in field order (title matches first), which is what a typical user gets.
 * AND: the default (every word in the same field). Suggest: `suggest: true` (missing words allowed).
 */
export const flexsearchPeer: PeerLibrary = {
  name: 'FlexSearch',
  async build(docs: readonly EvalDoc[]): Promise<RankEngine[]> {
    const doc = new Document({ document: { id: 'id', index: ['title', 'body'] } });
    for (const d of docs) doc.add({ id: d.id, title: d.title, body: d.body });
    // As typed (the `typed` set): FlexSearch's prefix search is an index tokenized `forward`, built on
    // first use (every word then matches as a prefix, the last one included).
    let forward: Document | undefined;
    const forwardDoc = () => {
      if (!forward) {
        forward = new Document({ document: { id: 'id', index: [{ field: 'title', tokenize: 'forward' }, { field: 'body', tokenize: 'forward' }] } });
        for (const d of docs) forward.add({ id: d.id, title: d.title, body: d.body });
      }
      return forward;
    };
    const variant = (suggest: boolean, label: string): RankEngine => ({
      name: `FlexSearch (${label})`,
      role: 'peer',
      notes: `Document, fields title+body, defaults; search limit ${TOP_K}, merge: true${suggest ? ', suggest: true' : ''}; typed set: tokenize 'forward'`,
      search: (words, typed) => {
        const res = (typed ? forwardDoc() : doc).search(words.join(' '), { limit: TOP_K, merge: true, suggest }) as unknown as Array<{ id: string | number }>;
        return res.slice(0, TOP_K).map((r) => String(r.id));
      },
    });
    return [variant(false, 'AND, default'), variant(true, 'suggest')];
  },
};
