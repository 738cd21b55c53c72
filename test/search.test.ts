import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSearchParams, rawQueryFromString } from '../core/http/params.ts';
import { search } from '../core/search/search.ts';
import { parseQuery, stemOf, tokenize } from '../core/text.ts';
import type { SearchParams, StoredArticle } from '../core/types.ts';
import { article, memoryIndex } from './helpers/memory-index.ts';
import { createRouter } from '../core/http/router.ts';
import { bodyText } from './helpers/body.ts';

const params = (qs: string) => parseSearchParams(rawQueryFromString(qs));

const corpus: StoredArticle[] = [
  article({ id: 'putin-sochi', date: '2021-11-23', title: 'Putin meets Abbas in Sochi', body: 'Russian President Vladimir Putin met Mahmoud Abbas in Sochi. Putin said talks were useful.', people: ['Vladimir Putin', 'Mahmoud Abbas'], locations: ['Sochi', 'Russia'] }),
  article({ id: 'biden-econ', date: '2021-10-01', title: 'Biden on the economy', body: 'Joe Biden spoke about inflation; Putin was not mentioned until the end, when Putin came up.', url: 'https://example.com/b', people: ['Joe Biden', 'Vladimir Putin'], locations: ['United States'] }),
  article({ id: 'moscow-snow', date: '2022-01-05', title: 'Snow closes roads', body: 'Heavy snow in Moscow closed Abbey Road and others. Crews worked overnight.', locations: ['Moscow', 'Russia'] }),
  article({ id: 'escape', date: '2022-02-10', title: '<img src=x onerror=alert(1)>', body: 'Profits rose > 5% & "costs" fell <script>alert(2)</script> at Acme.', people: ['Ann <b>Lee</b>'] }),
  article({ id: 'sochi-games', date: '2020-02-14', title: 'Sochi hosts winter games', body: 'Athletes arrived in Sochi for the games.', locations: ['Sochi', 'Russia'] }),
];

describe('recency boost', () => {
  // Same story kind across the years; the oldest says "copper" most, so plain relevance puts it first.
  const years = [
    article({ id: 'y1980', date: '1980-03-01', title: 'Copper prices', body: 'Copper rose. Copper miners and copper traders cheered copper.' }),
    article({ id: 'y2000', date: '2000-03-01', title: 'Copper prices', body: 'Copper rose as miners cheered.' }),
    article({ id: 'y2020', date: '2020-03-01', title: 'Copper prices', body: 'Copper rose as miners cheered.' }),
    article({ id: 'y2020-other', date: '2020-06-01', title: 'Tin', body: 'Tin fell; copper was not traded.' }),
  ];

  it('moves recent stories up without changing what matches', async () => {
    const { index } = await memoryIndex(years);
    const plain = await search(index, params('q=copper '));
    // A 20-year half-life: 2000 keeps ~75% of its score, 1980 ~62%.
    const recent = await search(index, params('q=copper &recency=7300'));
    expect(plain.hits[0]?.id).toBe('y1980');
    expect(recent.hits.map((h) => h.id).slice(0, 3)).toEqual(['y2020', 'y2000', 'y1980']);
    // Same matches, totals and facets: the boost only reorders.
    expect(recent.total).toBe(plain.total);
    expect(recent.facets).toEqual(plain.facets);
    expect(new Set(recent.hits.map((h) => h.id))).toEqual(new Set(plain.hits.map((h) => h.id)));
  });

  it('never lets age more than halve a score, so a far better match still wins', async () => {
    const { index } = await memoryIndex(years);
    // A one-day half-life makes every older story count about half; the newest story, which only
    // mentions copper in passing, still ranks below them all.
    const plain = Object.fromEntries((await search(index, params('q=copper '))).hits.map((h) => [h.id, h.score]));
    const res = await search(index, params('q=copper &recency=1'));
    expect(res.hits.at(-1)?.id).toBe('y2020-other');
    for (const h of res.hits) {
      if (h.id === 'y2020-other') expect(h.score).toBeCloseTo(plain[h.id] as number, 3);
      else {
        expect(h.score).toBeGreaterThanOrEqual((plain[h.id] as number) * 0.5 - 0.001);
        expect(h.score).toBeLessThan(plain[h.id] as number);
      }
    }
  });
});

describe('search', () => {
  it('requires every term, in title or body, and treats the last as a prefix', async () => {
    const { index } = await memoryIndex(corpus);
    expect((await search(index, params('q=putin'))).hits.map((h) => h.id).sort()).toEqual(['biden-econ', 'putin-sochi']);
    // "abbas" in body + "sochi" in title of one article, across fields.
    expect((await search(index, params('q=abbas sochi'))).hits.map((h) => h.id)).toEqual(['putin-sochi']);
    // prefix: "abb" matches Abbas and Abbey
    expect((await search(index, params('q=abb'))).hits.map((h) => h.id).sort()).toEqual(['moscow-snow', 'putin-sochi']);
    // a trailing space ends the word: "abb " is an exact term and matches nothing (and no known
    // word is within one edit of a 3-letter word)
    const abb = await search(index, params('q=abb%20'));
    expect(abb.total).toBe(0);
    expect(abb.corrected).toBeUndefined();
    // non-last terms are exact: "puti" is not "putin" (the answer is for the correction "putin sochi")
    const puti = await search(index, params('q=puti sochi'));
    expect(puti).toMatchObject({ corrected: true, didYouMean: 'putin sochi ' });
    expect(puti.total).toBeGreaterThan(0);
    // correct=false answers the query as written and still offers the correction
    const asWritten = await search(index, params('q=puti sochi&correct=false'));
    expect(asWritten.total).toBe(0);
    expect(asWritten.hits).toEqual([]);
    expect(asWritten.corrected).toBeUndefined();
    expect(asWritten.didYouMean).toBe('putin sochi ');
    expect(() => params('q=x&correct=no')).toThrow(/correct must be true or false/);
    expect((await search(index, params('q=zzzz'))).total).toBe(0);
  });

  it('ranks title matches and earlier mentions first', async () => {
    const { index } = await memoryIndex(corpus);
    const res = await search(index, params('q=putin'));
    expect(res.hits[0]?.id).toBe('putin-sochi');
    expect(res.hits[0]!.score).toBeGreaterThan(res.hits[1]!.score);
  });

  it('filters by person, location and inclusive date range, case-insensitively', async () => {
    const { index } = await memoryIndex(corpus);
    expect((await search(index, params('location=russia'))).hits.map((h) => h.id)).toEqual(['moscow-snow', 'putin-sochi', 'sochi-games']);
    expect((await search(index, params('location=Russia&location=Sochi&person=Vladimir%20Putin'))).hits.map((h) => h.id)).toEqual(['putin-sochi']);
    expect((await search(index, params('from=2021-10-01&to=2021-11-23'))).hits.map((h) => h.id)).toEqual(['putin-sochi', 'biden-econ']);
    expect((await search(index, params('from=2021-10-02&to=2021-11-22'))).total).toBe(0);
    expect((await search(index, params('person=Nobody'))).total).toBe(0);
  });

  it('sorts by date both ways and pages without overlap', async () => {
    const { index } = await memoryIndex(corpus);
    const desc = (await search(index, params('limit=100'))).hits.map((h) => h.date);
    expect(desc).toEqual([...desc].sort().reverse());
    const asc = (await search(index, params('sort=date_asc'))).hits.map((h) => h.date);
    expect(asc).toEqual([...desc].reverse());
    const pages = await Promise.all([1, 2, 3].map((p) => search(index, params(`limit=2&page=${p}`))));
    expect(pages.flatMap((p) => p.hits.map((h) => h.date))).toEqual(desc);
    expect(pages.map((p) => p.hits.length)).toEqual([2, 2, 1]);
    expect((await search(index, params('page=9&limit=2'))).hits).toEqual([]);
  });

  it('counts facets over the whole filtered set, not just the page', async () => {
    const { index } = await memoryIndex(corpus);
    const res = await search(index, params('limit=1'));
    expect(res.hits).toHaveLength(1);
    expect(res.facets.location).toEqual([
      { value: 'Russia', count: 3 },
      { value: 'Sochi', count: 2 },
      { value: 'Moscow', count: 1 },
      { value: 'United States', count: 1 },
    ]);
    expect(res.facets.date).toEqual([
      { value: '2020-02', count: 1 },
      { value: '2021-10', count: 1 },
      { value: '2021-11', count: 1 },
      { value: '2022-01', count: 1 },
      { value: '2022-02', count: 1 },
    ]);
    expect((await search(index, params('facetLimit=1'))).facets.location).toEqual([{ value: 'Russia', count: 3 }]);
    expect((await search(index, params('facetLimit=0'))).facets.person).toEqual([]);
  });

  it('merges facet values that differ only in case or spacing, under the most common spelling', async () => {
    const { index } = await memoryIndex([
      article({ id: 'r1', people: ['reagan'], locations: ['new  york'] }),
      article({ id: 'r2', people: ['Reagan'], locations: ['New York'] }),
      article({ id: 'r3', people: ['Reagan', 'reagan'], locations: ['New York'] }),
    ]);
    const res = await search(index, params(''));
    expect(res.facets.person).toEqual([{ value: 'Reagan', count: 3 }]);
    expect(res.facets.location).toEqual([{ value: 'New York', count: 3 }]);
    expect((await search(index, params('person=REAGAN'))).total).toBe(3);
    expect((await search(index, params('person=reagan'))).hits.every((h) => h.people.length === 1)).toBe(true);
  });

  it('returns hits with every field and escapes everything but <mark> in snippets', async () => {
    const { index } = await memoryIndex(corpus);
    const [hit] = (await search(index, params('q=profits'))).hits;
    expect(hit).toMatchObject({ id: 'escape', title: '<img src=x onerror=alert(1)>', date: '2022-02-10', url: null, people: ['Ann <b>Lee</b>'], locations: [] });
    expect(hit!.snippet).toBe('<mark>Profits</mark> rose &gt; 5% &amp; &quot;costs&quot; fell &lt;script&gt;alert(2)&lt;/script&gt; at Acme.');
    const [b] = (await search(index, params('q=biden'))).hits;
    expect(b!.url).toBe('https://example.com/b');
  });

  it('highlights accent- and case-insensitively, whole words only', async () => {
    const { index } = await memoryIndex([article({ id: 'acc', body: 'Zoë Müller met ZOE and zoeller near Café Zoë-Park.' })]);
    const [hit] = (await search(index, params('q=zoe%20'))).hits;
    expect(hit!.snippet).toBe('<mark>Zoë</mark> Müller met <mark>ZOE</mark> and zoeller near Café <mark>Zoë</mark>-Park.');
    const [p] = (await search(index, params('q=mull'))).hits;
    expect(p!.snippet).toContain('<mark>Müller</mark>');
  });

  it('centres long snippets on the matches', async () => {
    const body = 'Filler words here. '.repeat(40) + 'The treaty was signed in Lisbon by both delegations. ' + 'More filler after. '.repeat(40);
    const { index } = await memoryIndex([article({ id: 'long', body })]);
    const [hit] = (await search(index, params('q=treaty lisbon'))).hits;
    expect(hit!.snippet).toMatch(/^….*<mark>treaty<\/mark>.*<mark>Lisbon<\/mark>.*…$/);
    expect(hit!.snippet.replace(/<\/?mark>/g, '').length).toBeLessThanOrEqual(205);
  });

  it('reads postings by byte range and article bodies lazily, only what a query needs', async () => {
    const many = Array.from({ length: 50 }, (_, i) => article({ id: `a${i}`, date: `2024-01-${String((i % 28) + 1).padStart(2, '0')}`, body: `story number ${i} about ${i % 2 ? 'rain' : 'sun'}` }));
    const { index, reads, ranges, bundle } = await memoryIndex(many, { docChunkSize: 10, termShards: 8 });
    const kind = (k: string) => (r: string) => r.includes(`.${k}-`) || r.endsWith(`.${k}.bin`);
    expect(reads.filter((r) => kind('docs')(r) || kind('postings')(r))).toEqual([]);
    await search(index, params('q=rain&sort=date_asc&limit=3'));
    expect(index.postings.loaded).toBe(1);
    // The directory of blocks, one block, the term's bytes: three ranges, a fraction of the part.
    const postingsReads = ranges.filter((r) => kind('postings')(r.name));
    expect(postingsReads).toHaveLength(3);
    expect(reads.filter(kind('postings'))).toHaveLength(3);
    const part = bundle.manifest.parts.find((p) => p.role === 'postings')!;
    expect(postingsReads.reduce((n, r) => n + r.length, 0)).toBeLessThan(part.bytes);
    await search(index, params('q=rain&limit=3'));
    expect(reads.filter(kind('postings'))).toHaveLength(3);
    // Date order needs bodies only for the 3 hits shown: at most 3 chunks of 10.
    const docReads = reads.filter(kind('docs'));
    expect(docReads.length).toBeGreaterThan(0);
    expect(docReads.length).toBeLessThanOrEqual(3);
    // Relevance re-scores the best 50 with their text: all 25 "rain" stories, 5 chunks at most.
    await search(index, params('q=rain'));
    expect(reads.filter(kind('docs')).length).toBeLessThanOrEqual(5);
    expect((await index.article('a7'))?.body).toBe('story number 7 about rain');
    expect(await index.article('missing')).toBeUndefined();
  });
});

// ---- Property: the index agrees with a brute-force scan on random corpora and queries. ----

const WORDS = ['oil', 'oilseed', 'price', 'prices', 'bank', 'rate', 'rates', 'grain', 'gold', 'go'];
const PEOPLE = ['Ann Lee', 'Bo Chan', 'Cy Diaz'];
const PLACES = ['Lisbon', 'Osaka', 'Kenya', 'Chile'];

const articleArb = fc.record({
  day: fc.integer({ min: 1, max: 28 }),
  month: fc.integer({ min: 1, max: 4 }),
  title: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }),
  body: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 12 }),
  people: fc.uniqueArray(fc.constantFrom(...PEOPLE), { maxLength: 2 }),
  locations: fc.uniqueArray(fc.constantFrom(...PLACES), { maxLength: 2 }),
  /** How many of `locations` the story is about. */
  aboutCount: fc.integer({ min: 0, max: 2 }),
});

const queryArb = fc.record({
  terms: fc.array(fc.constantFrom(...WORDS, 'gol', 'pri', 'ra', 'zz'), { maxLength: 2 }),
  trailingSpace: fc.boolean(),
  person: fc.uniqueArray(fc.constantFrom(...PEOPLE), { maxLength: 1 }),
  location: fc.uniqueArray(fc.constantFrom(...PLACES), { maxLength: 2 }),
  about: fc.uniqueArray(fc.constantFrom(...PLACES), { maxLength: 1 }),
  from: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
  span: fc.integer({ min: 0, max: 3 }),
  sort: fc.constantFrom('relevance', 'date', 'date_asc'),
  page: fc.integer({ min: 1, max: 3 }),
  limit: fc.integer({ min: 1, max: 7 }),
});

/** A word of the text matches a query word as itself or as another form of it (English stems, the index default). */
const sameWord = (w: string, t: string) => w === t || stemOf(w, 'en') === stemOf(t, 'en');

function bruteForce(arts: StoredArticle[], p: SearchParams): StoredArticle[] {
  const { terms, prefix } = parseQuery(p.q);
  return arts.filter((a) => {
    const words = [...new Set(tokenize(`${a.title} ${a.body}`))];
    if (!terms.every((t) => words.some((w) => sameWord(w, t)))) return false;
    if (prefix !== null && !words.some((w) => w.startsWith(prefix) || sameWord(w, prefix))) return false;
    if (!p.person.every((x) => a.people.includes(x))) return false;
    if (!p.location.every((x) => a.locations.includes(x))) return false;
    if (!p.about.every((x) => a.about.includes(x))) return false;
    if (p.from && a.date < p.from) return false;
    if (p.to && a.date > p.to) return false;
    return true;
  });
}

describe('search agrees with a brute-force scan', () => {
  it('on random corpora and queries: totals, facet counts, date order and filters', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(articleArb, { minLength: 1, maxLength: 40 }), queryArb, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 45 }), async (raw, q, termShards, segmentSize) => {
        const arts = raw.map((r, i) =>
          article({ id: `d${i}`, date: `2024-0${r.month}-${String(r.day).padStart(2, '0')}`, title: r.title.join(' '), body: r.body.join(' '), people: r.people, locations: r.locations, about: r.locations.slice(0, r.aboutCount) }),
        );
        // Many term shards and segments, loaded on demand, must give the same answers.
        const { index } = await memoryIndex(arts, { docChunkSize: 7, termShards, segmentSize });
        const qs = new URLSearchParams();
        if (q.terms.length) qs.set('q', q.terms.join(' ') + (q.trailingSpace ? ' ' : ''));
        q.person.forEach((x) => qs.append('person', x));
        q.location.forEach((x) => qs.append('location', x));
        q.about.forEach((x) => qs.append('about', x));
        if (q.from) {
          qs.set('from', `2024-0${q.from}-01`);
          qs.set('to', `2024-0${Math.min(4, q.from + q.span)}-28`);
        }
        if (q.terms.length || q.sort !== 'relevance') qs.set('sort', q.sort);
        qs.set('page', String(q.page));
        qs.set('limit', String(q.limit));
        qs.set('facetLimit', '100');
        const p = params(qs.toString());
        const res = await search(index, p);
        // A query that finds nothing is answered for its typo correction, flagged as such.
        const expected = bruteForce(arts, res.corrected ? { ...p, q: res.didYouMean as string } : p);
        if (res.corrected) expect(bruteForce(arts, p)).toHaveLength(0);
        expect(res.total).toBe(expected.length);
        const count = (key: 'people' | 'locations' | 'about', v: string) => expected.filter((a) => a[key].includes(v)).length;
        for (const f of res.facets.person) expect(f.count).toBe(count('people', f.value));
        for (const f of res.facets.location) expect(f.count).toBe(count('locations', f.value));
        for (const f of res.facets.about) expect(f.count).toBe(count('about', f.value));
        expect(res.facets.about.length).toBe(PLACES.filter((x) => count('about', x) > 0).length);
        expect(res.facets.person.length).toBe(PEOPLE.filter((x) => count('people', x) > 0).length);
        expect(res.facets.date.reduce((s, d) => s + d.count, 0)).toBe(expected.length);
        const ids = new Set(expected.map((a) => a.id));
        for (const h of res.hits) expect(ids.has(h.id)).toBe(true);
        expect(res.hits.length).toBe(Math.max(0, Math.min(p.limit, expected.length - (p.page - 1) * p.limit)));
        if (p.sort !== 'relevance') {
          const dates = res.hits.map((h) => h.date);
          const sorted = [...dates].sort();
          expect(dates).toEqual(p.sort === 'date_asc' ? sorted : sorted.reverse());
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('query language', () => {
  const news = [
    article({ id: 'opec-cut', date: '2024-01-03', title: 'OPEC cuts output', body: 'Oil prices rose after OPEC agreed to cut output.' }),
    article({ id: 'oil-prices', date: '2024-01-04', title: 'Oil prices rise', body: 'Oil prices rose on supply worries in the North Sea.' }),
    article({ id: 'prices-oil', date: '2024-01-05', title: 'Shipping costs', body: 'Freight prices, oil and insurance all went up.' }),
    article({ id: 'gas-only', date: '2024-01-06', title: 'Gas demand', body: 'Natural gas demand fell in a mild winter.' }),
    article({ id: 'court', date: '2024-01-07', title: 'Supreme Court rules', body: 'The supreme court ruled on oil leases.' }),
  ];
  const ids = async (index: Awaited<ReturnType<typeof memoryIndex>>['index'], q: string, extra = '') =>
    (await search(index, params(`q=${encodeURIComponent(q)}${extra}`))).hits.map((h) => h.id).sort();

  it('excludes with -word, -"phrase" and NOT, and never marks an excluded word', async () => {
    const { index } = await memoryIndex(news);
    expect(await ids(index, 'oil -opec')).toEqual(['court', 'oil-prices', 'prices-oil']);
    expect(await ids(index, 'oil NOT opec')).toEqual(['court', 'oil-prices', 'prices-oil']);
    expect(await ids(index, 'oil -"supreme court"')).toEqual(['oil-prices', 'opec-cut', 'prices-oil']);
    const res = await search(index, params('q=prices%20-opec'));
    expect(res.hits.map((h) => h.snippet).join(' ')).not.toMatch(/<mark>opec/i);
    expect(res.hits.find((h) => h.id === 'oil-prices')?.snippet).toContain('<mark>prices</mark>');
  });

  it('unites with OR (upper case only) and groups with parentheses', async () => {
    const { index } = await memoryIndex(news);
    expect(await ids(index, 'oil OR gas')).toEqual(['court', 'gas-only', 'oil-prices', 'opec-cut', 'prices-oil']);
    expect((await ids(index, 'oil OR gas')).length).toBeGreaterThan((await ids(index, 'oil gas')).length);
    // "or" is a word like any other.
    expect(await ids(index, 'oil or gas')).toEqual([]);
    expect(await ids(index, '(opec OR supreme) oil')).toEqual(['court', 'opec-cut']);
  });

  it('matches phrases in order, within one field, and scopes to title: or body:', async () => {
    const { index } = await memoryIndex(news);
    expect(await ids(index, '"oil prices"')).toEqual(['oil-prices', 'opec-cut']);
    expect(await ids(index, '"prices oil"')).toEqual(['prices-oil']);
    expect(await ids(index, 'title:"oil prices"')).toEqual(['oil-prices']);
    expect(await ids(index, 'title:oil ')).toEqual(['oil-prices']);
    expect(await ids(index, 'body:opec ')).toEqual(['opec-cut']);
    expect(await ids(index, 'title:(opec OR gas) ')).toEqual(['gas-only', 'opec-cut']);
    expect(await ids(index, 'sup* cour*')).toEqual(['court']);
  });

  it('answers a purely negative query with everything else, newest first, and honours filters', async () => {
    const { index } = await memoryIndex(news);
    const res = await search(index, params('q=-oil'));
    expect(res.hits.map((h) => h.id)).toEqual(['gas-only']);
    expect(res.hits[0]?.score).toBe(0);
    const all = await search(index, params('q=-zzzz&from=2024-01-04'));
    expect(all.hits.map((h) => h.id)).toEqual(['court', 'gas-only', 'prices-oil', 'oil-prices']);
  });

  it('corrects words only, keeping quotes, operators and fields as typed', async () => {
    const { index } = await memoryIndex(news);
    const res = await search(index, params(`q=${encodeURIComponent('title:"oil pirces" -opce')}`));
    expect(res.didYouMean).toBe('title:"oil prices" -opec ');
    expect(res.corrected).toBe(true);
    expect(res.hits.map((h) => h.id)).toEqual(['oil-prices']);
  });

  it('rejects a malformed query with a 400 naming the position', async () => {
    const { index } = await memoryIndex(news);
    const router = createRouter({ getIndex: async () => index });
    const res = await router({ method: 'GET', path: '/search', query: `q=${encodeURIComponent('oil (gas OR')}`, headers: {} });
    expect(res.status).toBe(400);
    expect(JSON.parse(bodyText(res))).toEqual({ error: { code: 'bad_query', field: 'q', message: '"OR" needs a term on each side at position 10' } });
  });
});
