import { create, insertMultiple, search } from '@orama/orama';
import type { EvalDoc } from '../corpus.ts';
import { TOP_K, type PeerLibrary, type RankEngine } from './types.ts';

const schema = { title: 'string', body: 'string' } as const;

/**
 * Orama 3 with its default tokenizer (lower case, no stemming), BM25, title boost 2.
 *
 * AND is `threshold: 0` with `exact: true`. Orama's AND with its default `exact: false` (every word
 * also a prefix) is broken in 3.1: it counts prefix expansions as words, so a story with "japan" and
 * "japanese" fails the query "japan imports". `exact: true` re-checks the original text
 * case-sensitively, so this variant indexes the text lower-cased, which changes nothing else
 * (Orama's tokenizer lower-cases anyway). Default: `threshold: 1` (any word), `exact: false`.
 */
export const oramaPeer: PeerLibrary = {
  name: 'Orama',
  async build(docs: readonly EvalDoc[]): Promise<RankEngine[]> {
    const make = async (lower: boolean) => {
      const db = create({ schema });
      const rows = docs.map((d) => ({ id: d.id, title: lower ? d.title.toLowerCase() : d.title, body: lower ? d.body.toLowerCase() : d.body }));
      await insertMultiple(db, rows, 1000);
      return db;
    };
    const variant = (db: Awaited<ReturnType<typeof make>>, threshold: 0 | 1, exact: boolean, label: string, extra: string): RankEngine => ({
      name: `Orama (${label})`,
      role: 'peer',
      notes: `properties title+body, boost { title: 2 }, threshold ${threshold}, exact ${exact}, tolerance 0${extra}`,
      search: async (words) => {
        const res = await search(db, { term: words.join(' '), properties: ['title', 'body'], boost: { title: 2 }, threshold, exact, limit: TOP_K });
        return res.hits.map((h) => String(h.id));
      },
    });
    const lowered = await make(true);
    const plain = await make(false);
    return [variant(lowered, 0, true, 'AND', ' (text indexed lower-cased, see eval/README.md)'), variant(plain, 1, false, 'OR, default', '')];
  },
};
