import { create, insertMultiple, load, save, search, type Orama, type RawData } from '@orama/orama';
import type { BenchArticle } from '../bundle-read.ts';
import { PAGE_SIZE, queryText, words, type PeerEngine } from './engine.ts';

const schema = { title: 'string', body: 'string', people: 'enum[]', locations: 'enum[]', day: 'number' } as const;
type Db = Orama<typeof schema>;

/** Orama's default tokenizer keeps each word once per field; so does this one, with our word definition. */
const components = () => ({
  tokenizer: { language: 'english', normalizationCache: new Map<string, string>(), tokenize: (raw: string) => [...new Set(words(raw))] },
});

/** Orama 3: `where` on enum[]/number fields, `sortBy` and `offset`, all native. */
export const oramaEngine: PeerEngine<Db> = {
  name: 'Orama',
  notes: 'our tokenizer; threshold 0 (AND), title boost 2; every word matches as a prefix in every class (Orama\'s `exact` is a case-sensitive regex post-filter on the stored text, so it is not used), which returns more than we do; person/location via `where` containsAll on enum[], date via `where` between on a number field; `sortBy` day and `offset` native',
  async build(articles: readonly BenchArticle[]) {
    const db = create({ schema, components: components() });
    await insertMultiple(
      db,
      articles.map((a) => ({ id: String(a.n), title: a.title, body: a.body, people: a.people, locations: a.locations, day: a.day })),
      1000,
    );
    return db;
  },
  serialize: (db) => JSON.stringify(save(db)),
  async load(json) {
    const db = create({ schema, components: components() });
    load(db, JSON.parse(json) as RawData);
    return db;
  },
  async search(db, q) {
    const where: Record<string, unknown> = {};
    if (q.person !== null) where['people'] = { containsAll: [q.person] };
    if (q.location !== null) where['locations'] = { containsAll: [q.location] };
    if (q.fromDay !== null && q.toDay !== null) where['day'] = { between: [q.fromDay, q.toDay] };
    const res = await search(db, {
      term: queryText(q),
      properties: ['title', 'body'],
      boost: { title: 2 },
      threshold: 0,
      limit: PAGE_SIZE,
      offset: (q.page - 1) * PAGE_SIZE,
      ...(Object.keys(where).length ? { where } : {}),
      ...(q.sort === 'date' ? { sortBy: { property: 'day', order: 'DESC' } } : {}),
    } as Parameters<typeof search<Db>>[1]);
    return res.count;
  },
};
