import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSearchParams, rawQueryFromString } from '../core/http/params.ts';
import { search } from '../core/search/search.ts';
import { parseSearchQuery } from '../core/search/query/parse.ts';
import { matchQuery } from '../core/search/query/evaluate.ts';
import { loadIndex } from '../core/search/load-index.ts';
import { createFlexDocument, fieldMaps } from '../core/flex.ts';
import type { StoredArticle } from '../core/types.ts';
import { buildBundle, bundleOfSegments, segmentOptions } from '../indexer/build-bundle.ts';
import { buildSegment } from '../indexer/build-segment.ts';
import { article } from './helpers/memory-index.ts';

/**
 * The segment layout must not change an answer: the same articles in one segment, in segments of k
 * (date-ranged), or scattered over segments whose date ranges overlap (what incremental adds make)
 * give identical totals, facets, hit order, scores and snippets.
 */

const params = (qs: string) => parseSearchParams(rawQueryFromString(qs));
const WORDS = ['oil', 'oils', 'price', 'prices', 'bank', 'rate', 'grain', 'gold', 'go', 'crude', 'opec', 'talks', 'the', 'a'];
const PEOPLE = ['Ann Lee', 'Bo Chan', 'Cy Diaz'];
const PLACES = ['Lisbon', 'Osaka', 'Kenya'];

const articleArb = fc.record({
  day: fc.integer({ min: 1, max: 9 }),
  month: fc.integer({ min: 1, max: 3 }),
  title: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }),
  body: fc.array(fc.constantFrom(...WORDS), { minLength: 0, maxLength: 30 }),
  people: fc.subarray(PEOPLE),
  locations: fc.subarray(PLACES),
});

const QUERIES = [
  'q=oil', 'q=oil price', 'q=pric', 'q=%22crude oil%22', 'q=oil OR gold', 'q=oil -opec', 'q=-bank', 'q=title:oil', 'q=go*',
  'q=oil&sort=date', 'q=oil&sort=date_asc&limit=3&page=2', 'q=the&person=Ann Lee', 'q=&location=Osaka', 'q=rate&from=2024-02-01&to=2024-03-05',
  'q=oil&recency=30', 'q=talks grain&limit=50', 'q=a',
];

function corpus(raw: Array<{ day: number; month: number; title: string[]; body: string[]; people: string[]; locations: string[] }>): StoredArticle[] {
  return raw.map((r, i) =>
    article({ id: `d${String(i).padStart(3, '0')}`, date: `2024-0${r.month}-0${r.day}`, title: r.title.join(' '), body: r.body.join(' '), people: r.people, locations: r.locations, about: r.locations.slice(0, 1) }),
  );
}

const reader = (files: Map<string, Uint8Array>) => async (name: string) => {
  const b = files.get(name);
  if (!b) throw new Error(`no part ${name}`);
  return b;
};

/** Segments made from an arbitrary partition of the articles (overlapping date ranges), as incremental adds make them. */
async function scattered(arts: StoredArticle[], groupOf: (i: number) => number) {
  const so = segmentOptions({ termShards: 5, docChunkSize: 4 });
  const groups = new Map<number, StoredArticle[]>();
  arts.forEach((a, i) => groups.set(groupOf(i), [...(groups.get(groupOf(i)) ?? []), a]));
  const segs = await Promise.all([...groups.values()].map((g) => buildSegment(g, so)));
  const { files } = bundleOfSegments(segs, { termShards: so.termShards, language: so.language, flexsearchVersion: 'test', now: () => new Date(0) });
  return { files, segments: segs.length };
}

/**
 * Every query's full answer, and its stage-1 match (docs and scores by id): on corpora this small,
 * stage 2 re-scores every hit, so stage 1 is compared on its own.
 */
async function answers(files: Map<string, Uint8Array>) {
  const index = await loadIndex(reader(files));
  const out: unknown[] = [];
  for (const q of QUERIES) {
    out.push(await search(index, params(q), () => 0));
    const parsed = parseSearchQuery(params(q).q);
    if (parsed.root === null) continue;
    const m = await matchQuery(index, parsed);
    out.push([...m.docs].map((d) => [index.ids[d], m.scores ? m.scores[d] : null]).sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)));
  }
  return { index, out };
}

describe('segments', () => {
  it('answer exactly as one segment: totals, facets, hit order, scores and snippets, for any layout', async () => {
    let layouts = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(articleArb, { minLength: 1, maxLength: 45 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2, max: 5 }), async (raw, size, k) => {
        const arts = corpus(raw);
        const one = await answers((await buildBundle(arts, { termShards: 5, docChunkSize: 4 })).files);
        const ranged = await buildBundle(arts, { termShards: 5, docChunkSize: 4, segmentSize: size });
        expect(ranged.manifest.segments.length).toBe(Math.ceil(arts.length / size));
        expect((await answers(ranged.files)).out).toEqual(one.out);
        const mixed = await scattered(arts, (i) => (i * 7 + k) % k);
        expect((await answers(mixed.files)).out).toEqual(one.out);
        layouts += 2;
      }),
      { numRuns: 60, seed: 0x5e6 },
    );
    expect(layouts).toBe(120);
  });

  it('numbers docs by date, then id, across overlapping segments', async () => {
    const arts = [article({ id: 'b', date: '2024-01-02' }), article({ id: 'a', date: '2024-01-02' }), article({ id: 'c', date: '2024-01-01' }), article({ id: 'd', date: '2024-01-03' })];
    const { files, segments } = await scattered(arts, (i) => i % 2);
    expect(segments).toBe(2);
    const index = await loadIndex(reader(files));
    expect(index.layout.ordered).toBe(false);
    expect(index.ids).toEqual(['c', 'a', 'b', 'd']);
    expect(index.docOf('b')).toBe(2);
    expect((await index.article('d'))?.date).toBe('2024-01-03');
  });

  it("reads FlexSearch's rank slots as its own search orders them", () => {
    const doc = createFlexDocument();
    const bodies = ['x y oil', 'oil', 'a b c d e f g h i j oil', 'oil x', 'q oil'];
    bodies.forEach((body, id) => doc.add({ id, title: id % 2 ? 'oil' : 'gas', body }));
    const maps = fieldMaps(doc);
    for (const [f, field] of ['title', 'body'].entries()) {
      const slots = maps[f]!.get('oil') ?? [];
      const fromSlots = slots.flatMap((s) => s ?? []);
      const viaSearch = (doc.search('oil', { limit: 100 }) as unknown as Array<{ field: string; result: number[] }>).find((r) => r.field === field)?.result ?? [];
      expect(fromSlots).toEqual(viaSearch);
    }
  });

  it('records each segment, its date range and count; a date range reads only the segments it needs', async () => {
    const arts = Array.from({ length: 30 }, (_, i) => article({ id: `a${i}`, date: `2024-01-${String(i + 1).padStart(2, '0')}`, body: `oil story ${i}` }));
    const { manifest, files } = await buildBundle(arts, { segmentSize: 10, termShards: 4 });
    expect(manifest.segments.map((s) => [s.articleCount, s.dateRange.from, s.dateRange.to])).toEqual([
      [10, '2024-01-01', '2024-01-10'],
      [10, '2024-01-11', '2024-01-20'],
      [10, '2024-01-21', '2024-01-30'],
    ]);
    for (const s of manifest.segments) expect(manifest.parts.filter((p) => p.segment === s.id).every((p) => p.name.startsWith(`${s.id}.`))).toBe(true);
    // The same articles make the same segments: an unchanged segment is the same objects in storage.
    const again = await buildBundle([...arts].reverse(), { segmentSize: 10, termShards: 4 });
    expect(again.manifest.segments.map((s) => s.id)).toEqual(manifest.segments.map((s) => s.id));
    expect(files.size).toBe(manifest.parts.length + 1);
  });
});
