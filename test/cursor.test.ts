import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../core/http/limits.ts';
import { createRouter, type Router } from '../core/http/router.ts';
import { RERANK_DEPTH } from '../core/search/rerank.ts';
import type { SearchResponse } from '../core/types.ts';
import { bodyJson } from './helpers/body.ts';
import { article, memoryIndex } from './helpers/memory-index.ts';

/**
 * Deep paging with `cursor` (search-after): walking a result set with cursors yields every hit once,
 * in the order pages give, past page 1,000 too; a cursor is bound to its query and index version.
 */
type Answer = SearchResponse & { nextCursor?: string };
type Err = { error: { code: string; field?: string; message: string } };

const get = async (router: Router, query: string) => {
  const res = await router({ method: 'GET', path: '/search', query, headers: {} });
  return { status: res.status, body: bodyJson<Answer & Err>(res), etag: res.headers['etag'] };
};

/** Every hit by pages 1, 2, … and by following nextCursor from page 1; limits may differ along the cursor walk. */
async function walks(router: Router, base: string, limit: number, cursorLimits: (step: number) => number) {
  const byPage: Answer['hits'] = [];
  const first = await get(router, `${base}&limit=${limit}`);
  expect(first.status, first.body.error?.message).toBe(200);
  const total = first.body.total;
  for (let page = 1; (page - 1) * limit < total; page++) {
    const r = await get(router, `${base}&limit=${limit}&page=${page}`);
    byPage.push(...r.body.hits);
    // nextCursor exactly when more hits follow this page.
    expect(r.body.nextCursor !== undefined, `page ${page}`).toBe(page * limit < total);
  }
  const byCursor: Answer['hits'] = [...first.body.hits];
  let cursor = first.body.nextCursor;
  for (let step = 0; cursor !== undefined; step++) {
    const r = await get(router, `${base}&limit=${cursorLimits(step)}&cursor=${cursor}`);
    expect(r.status, r.body.error?.message).toBe(200);
    expect(r.body.total).toBe(total);
    // Never an empty page: a cursor is only given when more hits follow.
    expect(r.body.hits.length).toBeGreaterThan(0);
    byCursor.push(...r.body.hits);
    cursor = r.body.nextCursor;
    expect(byCursor.length).toBeLessThanOrEqual(total);
  }
  return { byPage, byCursor, total };
}

const WORDS = ['oil', 'oilseed', 'price', 'bank', 'rate', 'grain', 'gold'];
const PEOPLE = ['Ann Lee', 'Bo Chan'];
const PLACES = ['Lisbon', 'Osaka', 'Kenya'];

const articleArb = fc.record({
  day: fc.integer({ min: 1, max: 28 }),
  month: fc.integer({ min: 1, max: 6 }),
  title: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }),
  body: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 10 }),
  people: fc.uniqueArray(fc.constantFrom(...PEOPLE), { maxLength: 1 }),
  locations: fc.uniqueArray(fc.constantFrom(...PLACES), { maxLength: 2 }),
});
const queryArb = fc.record({
  terms: fc.array(fc.constantFrom(...WORDS, 'oi', 'go'), { maxLength: 2 }),
  person: fc.uniqueArray(fc.constantFrom(...PEOPLE), { maxLength: 1 }),
  location: fc.uniqueArray(fc.constantFrom(...PLACES), { maxLength: 1 }),
  sort: fc.constantFrom('relevance', 'date', 'date_asc', undefined),
  recency: fc.option(fc.constantFrom(1, 30, 365), { nil: null }),
  limit: fc.integer({ min: 1, max: 25 }),
  cursorLimit: fc.option(fc.integer({ min: 1, max: 25 }), { nil: null }),
});

describe('cursor walks', () => {
  it('equal page walks on random corpora and queries: every hit once, same order, same scores', async () => {
    let deep = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(articleArb, { minLength: 1, maxLength: 110, size: 'max' }), queryArb, async (raw, q) => {
        const arts = raw.map((r, i) =>
          article({ id: `d${i}`, date: `2024-0${r.month}-${String(r.day).padStart(2, '0')}`, title: r.title.join(' '), body: r.body.join(' '), people: r.people, locations: r.locations }),
        );
        const { index } = await memoryIndex(arts, { docChunkSize: 16 });
        const router = createRouter({ getIndex: async () => index });
        const qs = new URLSearchParams();
        if (q.terms.length) qs.set('q', q.terms.join(' '));
        q.person.forEach((x) => qs.append('person', x));
        q.location.forEach((x) => qs.append('location', x));
        if (q.sort) qs.set('sort', q.sort);
        if (q.recency !== null && q.terms.length && (q.sort ?? 'relevance') === 'relevance') qs.set('recency', String(q.recency));
        const { byPage, byCursor, total } = await walks(router, qs.toString(), q.limit, () => q.cursorLimit ?? q.limit);
        expect(byPage).toHaveLength(total);
        expect(byCursor).toEqual(byPage);
        expect(new Set(byCursor.map((h) => h.id)).size).toBe(total);
        // Relevance walks that cross from the re-scored head into stage-1 order.
        if (q.terms.length && total > RERANK_DEPTH) deep++;
      }),
      { numRuns: 60, seed: 20_260_301 },
    );
    expect(deep).toBeGreaterThan(0);
  });

  it(`walks past page ${LIMITS.maxPage}, where paging stops`, async () => {
    const n = LIMITS.maxPage + 30;
    const arts = Array.from({ length: n }, (_, i) =>
      article({ id: `a${i}`, date: `20${String(10 + (i % 14)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`, title: i % 3 ? 'Oil prices' : 'Oil', body: `Oil ${'rose '.repeat(i % 7)}today.` }),
    );
    const { index } = await memoryIndex(arts);
    const router = createRouter({ getIndex: async () => index });
    expect((await get(router, `q=oil&limit=1&page=${LIMITS.maxPage + 1}`)).status).toBe(400);
    // Relevance order: the re-scored head, then 980 steps of search-after in stage-1 order.
    const seen = new Set<string>();
    let r = await get(router, 'q=oil&limit=1');
    let steps = 0;
    while (true) {
      for (const h of r.body.hits) seen.add(h.id);
      if (!r.body.nextCursor) break;
      r = await get(router, `q=oil&limit=1&cursor=${r.body.nextCursor}`);
      expect(r.status).toBe(200);
      steps++;
    }
    expect([seen.size, steps]).toEqual([n, n - 1]);
  });
});

describe('cursor errors', () => {
  const corpus = () =>
    memoryIndex(Array.from({ length: 12 }, (_, i) => article({ id: `n${i}`, date: `2024-01-${String(i + 1).padStart(2, '0')}`, title: `Oil report ${i}`, body: 'Oil and gold.' })));

  it('409 index_changed once another index version is live (a hot reload)', async () => {
    const { index } = await corpus();
    const { index: next } = await memoryIndex([article({ id: 'new', title: 'Oil', body: 'Oil' }), article({ id: 'new2', title: 'Oil', body: 'Oil' })]);
    let live = index;
    const router = createRouter({ getIndex: async () => live });
    const first = await get(router, 'q=oil&limit=3');
    const second = await get(router, `q=oil&limit=3&cursor=${first.body.nextCursor}`);
    expect(second.status).toBe(200);
    live = next; // a new version was published and picked up
    const stale = await get(router, `q=oil&limit=3&cursor=${second.body.nextCursor}`);
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'index_changed', field: 'cursor' });
    expect(stale.body.error.message).toMatch(/start again/);
    // Same request against the old version again: fine (the token is bound to a version, not a moment).
    live = index;
    expect((await get(router, `q=oil&limit=3&cursor=${second.body.nextCursor}`)).status).toBe(200);
  });

  it('400 naming cursor when combined with page, malformed, or from another query', async () => {
    const { index } = await corpus();
    const router = createRouter({ getIndex: async () => index });
    const token = (await get(router, 'q=oil&limit=2')).body.nextCursor as string;
    const dateToken = (await get(router, 'limit=2')).body.nextCursor as string;
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    const json = JSON.parse(Buffer.from(token, 'base64url').toString()) as Record<string, unknown>;
    const cases: Array<[string, RegExp]> = [
      [`q=oil&limit=2&page=2&cursor=${token}`, /cannot be combined/],
      [`q=oil&page=1&cursor=${token}`, /cannot be combined/],
      ['q=oil&cursor=', /malformed/],
      ['q=oil&cursor=not%20base64!', /malformed/],
      [`q=oil&cursor=${b64('not json')}`, /malformed/],
      [`q=oil&cursor=${b64('{"v":"ab"}')}`, /malformed/],
      [`q=oil&cursor=${b64(JSON.stringify({ ...json, k: ['x', 1, 2] }))}`, /malformed/],
      [`q=oil&cursor=${b64(JSON.stringify({ ...json, k: ['h', 1, -1] }))}`, /malformed/],
      [`q=oil&cursor=${b64(JSON.stringify({ ...json, extra: 1 }))}`, /malformed/],
      [`q=oil&cursor=${'a'.repeat(LIMITS.cursorMaxLength + 1)}`, /at most/],
      // Another query, another sort, another filter: the token belongs to q=oil in relevance order.
      [`q=gold&cursor=${token}`, /another query/],
      [`q=oil&sort=date&cursor=${token}`, /another query/],
      [`q=oil&person=Ann&cursor=${token}`, /another query/],
      [`cursor=${token}`, /another query/],
      [`q=oil&cursor=${dateToken}`, /another query/],
    ];
    for (const [query, message] of cases) {
      const r = await get(router, query);
      expect([r.status, r.body.error?.code, r.body.error?.field], query).toEqual([400, 'invalid_parameter', 'cursor']);
      expect(r.body.error.message, query).toMatch(message);
    }
    // Equivalent spellings of the same query keep the cursor valid; limit and facetLimit may change.
    for (const query of [`q=oil&cursor=${token}`, `cursor=${token}&q=oil&sort=relevance&limit=5&facetLimit=0&utm_source=x`, `q=oil&cursor=${token}&_=123`]) {
      expect((await get(router, query)).status, query).toBe(200);
    }
  });

  it('a cursor answer has its own ETag, and the same token spelt alike gets the same one', async () => {
    const { index } = await corpus();
    const router = createRouter({ getIndex: async () => index });
    const first = await get(router, 'q=oil&limit=2');
    const a = await get(router, `q=oil&limit=2&cursor=${first.body.nextCursor}`);
    const b = await get(router, `limit=2&cursor=${first.body.nextCursor}&q=oil&fbclid=1`);
    expect(a.etag).toBe(b.etag);
    expect(a.etag).not.toBe(first.etag);
    expect(a.body.hits.map((h) => h.id)).toEqual((await get(router, 'q=oil&limit=2&page=2')).body.hits.map((h) => h.id));
  });
});
