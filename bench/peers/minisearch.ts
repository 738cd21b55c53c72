import MiniSearch, { type SearchResult } from 'minisearch';
import type { BenchArticle } from '../bundle-read.ts';
import { inDateRange, PAGE_SIZE, queryText, words, type PeerEngine } from './engine.ts';

interface Stored {
  day: number;
  people: string[];
  locations: string[];
}

const OPTIONS = { idField: 'n', fields: ['title', 'body'], storeFields: ['day', 'people', 'locations'], tokenize: words };

/** MiniSearch 7: `filter` callback (native, but run on every match), date sort and paging done on its full result list. */
export const minisearchEngine: PeerEngine<MiniSearch> = {
  name: 'MiniSearch',
  notes: 'our tokenizer; AND of words, last word `prefix` in the prefix class, title boost 2; person/location/date via its `filter` callback; date sort and page 5 by sorting/slicing its full result list',
  async build(articles: readonly BenchArticle[]) {
    const ms = new MiniSearch(OPTIONS);
    ms.addAll(articles as BenchArticle[]);
    return ms;
  },
  serialize: (ms) => JSON.stringify(ms),
  load: async (json) => MiniSearch.loadJSON(json, OPTIONS),
  async search(ms, q) {
    const last = q.terms.length + (q.prefix !== null ? 1 : 0) - 1;
    const filtered = q.person !== null || q.location !== null || q.fromDay !== null;
    const results = ms.search(queryText(q), {
      combineWith: 'AND',
      boost: { title: 2 },
      prefix: q.prefix !== null ? (_term: string, i: number) => i === last : false,
      ...(filtered
        ? {
            filter: (r: SearchResult) => {
              const s = r as unknown as Stored;
              return (q.person === null || s.people.includes(q.person)) && (q.location === null || s.locations.includes(q.location)) && inDateRange(q, s.day);
            },
          }
        : {}),
    });
    if (q.sort === 'date') results.sort((a, b) => (b as unknown as Stored).day - (a as unknown as Stored).day);
    results.slice((q.page - 1) * PAGE_SIZE, q.page * PAGE_SIZE);
    return results.length;
  },
};
