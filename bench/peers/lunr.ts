import lunr from 'lunr';
import type { BenchArticle } from '../bundle-read.ts';
import { inDateRange, PAGE_SIZE, words, type PeerEngine } from './engine.ts';

interface LunrBench {
  index: lunr.Index;
  /** Lunr stores no fields, so the date of each doc travels beside the index for the date filter/sort. */
  days: number[];
}

/**
 * A facet value as one token (a letter and digits), so a multi-word name stays one term and index
 * and query agree without a lookup table.
 */
export function facetToken(kind: 'p' | 'l', value: string): string {
  let h = 0x811c9dc5;
  for (const c of value.toLowerCase()) h = Math.imul(h ^ (c.codePointAt(0) as number), 0x01000193) >>> 0;
  return `${kind}${h}`;
}

/** Our word definition as a Lunr tokenizer; with the stemmer and stop words removed, Lunr matches what we match. */
function tokenizer(obj: unknown, metadata?: object): lunr.Token[] {
  if (obj === null || obj === undefined) return [];
  return words(String(obj)).map((w, i) => new lunr.Token(w, { ...metadata, index: i }));
}

/** Lunr 2.3: person/location as required field-scoped terms (native); date filter, date sort and paging on its full result list. */
export const lunrEngine: PeerEngine<LunrBench> = {
  name: 'Lunr',
  notes: 'our tokenizer, no stemmer or stop words; required (AND) terms, trailing wildcard in the prefix class, title boost 2; person/location as required field-scoped tokens (native); date range, date sort and page 5 by filtering/sorting/slicing its full result list',
  async build(articles: readonly BenchArticle[]) {
    const index = lunr(function () {
      this.tokenizer = tokenizer as typeof lunr.tokenizer;
      this.pipeline.reset();
      this.searchPipeline.reset();
      this.ref('n');
      this.field('title', { boost: 2 });
      this.field('body');
      this.field('people');
      this.field('locations');
      for (const a of articles) {
        this.add({
          n: String(a.n),
          title: a.title,
          body: a.body,
          people: a.people.map((p) => facetToken('p', p)).join(' '),
          locations: a.locations.map((l) => facetToken('l', l)).join(' '),
        });
      }
    });
    return { index, days: articles.map((a) => a.day) };
  },
  serialize: (x) => JSON.stringify({ index: x.index, days: x.days }),
  async load(json) {
    const raw = JSON.parse(json) as { index: object; days: number[] };
    return { index: lunr.Index.load(raw.index), days: raw.days };
  },
  async search({ index, days }, q) {
    const REQUIRED = lunr.Query.presence.REQUIRED;
    let results = index.query((qb) => {
      for (const t of q.terms) qb.term(t, { fields: ['title', 'body'], presence: REQUIRED, usePipeline: false });
      if (q.prefix !== null) qb.term(q.prefix, { fields: ['title', 'body'], presence: REQUIRED, wildcard: lunr.Query.wildcard.TRAILING, usePipeline: false });
      if (q.person !== null) qb.term(facetToken('p', q.person), { fields: ['people'], presence: REQUIRED, usePipeline: false });
      if (q.location !== null) qb.term(facetToken('l', q.location), { fields: ['locations'], presence: REQUIRED, usePipeline: false });
    });
    if (q.fromDay !== null) results = results.filter((r) => inDateRange(q, days[Number(r.ref)] as number));
    if (q.sort === 'date') results.sort((a, b) => (days[Number(b.ref)] as number) - (days[Number(a.ref)] as number));
    results.slice((q.page - 1) * PAGE_SIZE, q.page * PAGE_SIZE);
    return results.length;
  },
};
