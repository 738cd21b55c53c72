import lunr from 'lunr';
import type { EvalDoc } from '../corpus.ts';
import { TOP_K, type PeerLibrary, type RankEngine } from './types.ts';

const isStopWord = (t: string) => lunr.stopWordFilter(new lunr.Token(t, {})) === undefined;

/**
 * Lunr 2.3 with its default pipeline (trimmer, stop words, Porter stemmer), title boost 2.
 * AND: every word a required term (`+word`), except Lunr stop words, which Lunr never indexes and
 * would otherwise make every result empty. Default: `index.search(words)`, optional terms (OR).
 */
export const lunrPeer: PeerLibrary = {
  name: 'Lunr',
  async build(docs: readonly EvalDoc[]): Promise<RankEngine[]> {
    const index = lunr(function () {
      this.ref('id');
      this.field('title', { boost: 2 });
      this.field('body');
      for (const d of docs) this.add(d);
    });
    const and: RankEngine = {
      name: 'Lunr (AND)',
      role: 'peer',
      notes: 'default pipeline (stemmer, stop words), title boost 2, every non-stop word REQUIRED; typed set: the last word with a trailing wildcard',
      search: (words, typed) =>
        index
          .query((q) => {
            words.forEach((w, i) => {
              if (typed && i === words.length - 1) {
                // As typed: the last word also as a prefix (a trailing wildcard; Lunr does not stem it), or stemmed.
                q.term(w, { presence: lunr.Query.presence.REQUIRED, wildcard: lunr.Query.wildcard.TRAILING, usePipeline: false });
              } else if (!isStopWord(w)) {
                q.term(w, { presence: lunr.Query.presence.REQUIRED });
              }
            });
          })
          .slice(0, TOP_K)
          .map((r) => r.ref),
    };
    const or: RankEngine = {
      name: 'Lunr (OR, default)',
      role: 'peer',
      notes: 'default pipeline (stemmer, stop words), title boost 2, `index.search(words)` (optional terms); typed set: a trailing `*`',
      search: (words, typed) =>
        index
          .search(words.join(' ') + (typed ? '*' : ''))
          .slice(0, TOP_K)
          .map((r) => r.ref),
    };
    return [and, or];
  },
};
