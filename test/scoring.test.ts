import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchText, planQuery, TermPostings } from '../core/search/match.ts';
import { fullScore, rerankQuery } from '../core/search/rerank.ts';
import { fieldFrequency, idf, lengthNorm, lengthNorms, RANK, relativeLength, saturate, STAGE2 } from '../core/search/scoring.ts';
import { parseQuery } from '../core/text.ts';
import { parseSearchParams, rawQueryFromString } from '../core/http/params.ts';
import { search } from '../core/search/search.ts';
import { article, memoryIndex } from './helpers/memory-index.ts';

const k1s = fc.double({ min: 0.1, max: 5, noNaN: true });

describe('idf', () => {
  it('equals ln(1 + (n − df + 0.5) / (df + 0.5))', () => {
    expect(idf(10, 2)).toBeCloseTo(Math.log(4.4), 15); // 1.4816045409242156
    expect(idf(3, 1)).toBeCloseTo(0.9808292530117262, 15);
  });

  it('is positive and falls as a word gets more common', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }), (n, a) => {
        const df = Math.min(a, n - 1);
        expect(idf(n, df)).toBeGreaterThan(0);
        expect(idf(n, df + 1)).toBeLessThan(idf(n, df));
      }),
    );
  });
});

describe('saturate', () => {
  it('is 0 at tf 0 and 1 at tf 1, whatever k1', () => {
    fc.assert(
      fc.property(k1s, (k1) => {
        expect(saturate(0, k1)).toBe(0);
        expect(saturate(1, k1)).toBeCloseTo(1, 12);
      }),
    );
  });

  it('equals tf (k1 + 1) / (tf + k1)', () => {
    expect(saturate(2, 1.3)).toBeCloseTo(4.6 / 3.3, 15); // 1.3939...
  });

  it('rises with tf and stays below k1 + 1', () => {
    fc.assert(
      fc.property(k1s, fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0.01, max: 10, noNaN: true }), (k1, tf, more) => {
        expect(saturate(tf + more, k1)).toBeGreaterThan(saturate(tf, k1));
        expect(saturate(tf * 1e6, k1)).toBeLessThan(k1 + 1);
      }),
    );
    expect(saturate(1e9, 1.3)).toBeCloseTo(2.3, 6);
  });
});

describe('length normalization', () => {
  it('is 1 at the average length, 1 − b at length 0, and 1 for any length when b is 0', () => {
    expect(lengthNorm(7, 7, 0.75)).toBe(1);
    expect(lengthNorm(0, 7, 0.75)).toBe(0.25);
    expect(lengthNorm(2, 8 / 3, 0.75)).toBe(0.8125);
    expect(lengthNorm(100, 7, 0)).toBe(1);
  });

  it('relativeLength undoes it', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e4, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true }), (rel, b) => {
        expect(relativeLength(lengthNorm(rel, 1, b), b)).toBeCloseTo(rel, 6);
      }),
    );
    expect(relativeLength(0.8125, 0)).toBe(1);
  });

  it('lengthNorms per document, 1 for all without usable lengths', () => {
    expect(Array.from(lengthNorms([1, 3], 2, 0.5))).toEqual([0.75, 1.25]);
    expect(Array.from(lengthNorms([0, 0], 2, 0.5))).toEqual([0.5, 0.5]);
    expect(Array.from(lengthNorms(undefined, 3, 0.5))).toEqual([1, 1, 1]);
    expect(Array.from(lengthNorms([1, 2], 3, 0.5))).toEqual([1, 1, 1]);
  });
});

describe('fieldFrequency', () => {
  it('weighs the title and divides each field by its norm', () => {
    expect(fieldFrequency(1, 1.25, 0, 1, 3)).toBe(2.4);
    expect(fieldFrequency(0, 1, 1, 0.8125, 3)).toBe(1 / 0.8125);
    expect(fieldFrequency(2, 0.5, 3, 1.5, 3)).toBe(14);
  });

  it('adds nothing for a field without the word, even with a zero norm', () => {
    expect(fieldFrequency(0, 0, 2, 1, 3)).toBe(2);
    expect(fieldFrequency(1, 1, 0, 0, 3)).toBe(3);
  });
});

describe('parameters', () => {
  it('RANK and STAGE2 share no name, so eval/tune.ts overrides the one that is meant', () => {
    expect(Object.keys(RANK).filter((k) => k in STAGE2)).toEqual([]);
  });
});

describe('both stages score with these formulas', () => {
  // Title lengths 1, 1, 1; body lengths 2, 4, 2 (average 8/3). "zinc" is only in the body of "a".
  const corpus = [
    article({ id: 'a', title: 'Metals', body: 'Zinc rose' }),
    article({ id: 'b', title: 'Tin', body: 'Tin fell sharply today' }),
    article({ id: 'c', title: 'Copper', body: 'Copper rose' }),
  ];

  it('stage 1 gives the hand-computed BM25F score', async () => {
    const { index } = await memoryIndex(corpus);
    expect(index.bodyNorm[0]).toBe(0.8125); // 0.25 + 0.75 × 2 / (8/3)
    const groups = planQuery(index, parseQuery('zinc '));
    const postings = new TermPostings(index);
    await postings.load(groups);
    const m = matchText(index, groups, postings);
    expect(Array.from(m.docs)).toEqual([0]);
    // ln(8/3) × (saturate(1 / 0.8125, 1.3) + 0.15 × 1): body only, FlexSearch's first (and only) hit.
    expect(m.scores[0]).toBeCloseTo(1.2442221542384315, 12);
  });

  it('stage 2 gives the hand-computed score from the stored tokens', async () => {
    const { index } = await memoryIndex(corpus);
    const q = rerankQuery(index, ['zinc'], null);
    const [tokens] = await index.tokens.tokens([0], q.wanted);
    // Body length 2 of average 8/3 normalized with bBodyTf 0.4: 0.6 + 0.4 × 0.75 = 0.9; one
    // occurrence, at token 0 (the lede); not in the title.
    const expected = idf(3, 1) * (saturate(1 / 0.9, RANK.k1) + STAGE2.lede);
    expect(fullScore(index, 0, tokens!, q)).toBeCloseTo(expected, 6);
    expect(expected).toBeCloseTo(1.3338, 4);
  });

  it('stage 2 uses the same IDF', async () => {
    const { index } = await memoryIndex(corpus);
    const q = rerankQuery(index, ['zinc', 'rose'], null);
    expect(q.words.map((w) => w.idf)).toEqual([idf(3, 1), idf(3, 2)]);
    expect(q.words[0]?.idf).toBeCloseTo(Math.log(8 / 3), 15);
  });
});

describe('exact words before other forms and completions', () => {
  const params = (qs: string) => parseSearchParams(rawQueryFromString(qs));
  const top = async (arts: Parameters<typeof memoryIndex>[0], query: string) => {
    const { index } = await memoryIndex(arts);
    return (await search(index, params(new URLSearchParams({ q: query, limit: '10' }).toString()))).hits.map((h) => h.id);
  };
  const filler = 'Shares rose in early trading after the announcement on Monday.';

  it('ranks a story with the word being typed above ones with only longer words (Reuters "car", "gold", "the")', async () => {
    // Rare completions in titles used to win: their own IDF outweighed the word's.
    expect((await top([
      article({ id: 'carolyn', title: 'Carolyn Bean completes acquisition', body: `Carolyn Bean said it acquired a greeting card company. ${filler}` }),
      article({ id: 'careplus', title: 'CarePlus seeks approval', body: `CarePlus will seek shareholder approval. ${filler}` }),
      article({ id: 'cars', title: 'Weekly production estimated lower', body: `With seven car assembly plants down, car output fell. ${filler}` }),
      article({ id: 'other', title: 'Tin', body: filler }),
    ], 'car'))[0]).toBe('cars');
    expect((await top([
      article({ id: 'goldsil', title: 'Goldsil and Golden Rule agree to merge', body: `Golden Rule Resources and Goldsil Resources agreed to merge. ${filler}` }),
      article({ id: 'gold', title: 'Newmont sees sales rising', body: `Newmont expects gold sales to rise. ${filler}` }),
    ], 'gold'))[0]).toBe('gold');
    expect((await top([
      article({ id: 'thermascan', title: 'Thermascan receives approval', body: `Thermascan said the test works. ${filler}` }),
      article({ id: 'the', title: 'The Limited applies for listing', body: `The company applied to list its stock. ${filler}` }),
    ], 'the'))[0]).toBe('the');
  });

  it('finds other forms of a word, and ranks the form typed first', async () => {
    const arts = [
      article({ id: 'singular', title: 'Election called in spring', body: `The election will be held in May. ${filler}` }),
      article({ id: 'plural', title: 'Local councils', body: `Local elections will be held in May. ${filler}` }),
      article({ id: 'bank', title: 'Central bank', body: `The bank raised rates. ${filler}` }),
    ];
    expect(await top(arts, 'elections ')).toEqual(['plural', 'singular']);
    expect(await top(arts, 'election ')).toEqual(['singular', 'plural']);
    expect(await top(arts, 'banks ')).toEqual(['bank']);
  });

  it('counts a word once however many of its forms and completions a story has', async () => {
    const { index } = await memoryIndex([
      article({ id: 'many', title: 'Markets', body: 'carriers cargo cardinal carbon careers' }),
      article({ id: 'one', title: 'Markets', body: 'car' }),
    ]);
    const groups = planQuery(index, parseQuery('car'));
    expect(groups[0]?.map((g) => [g.term, g.weight])).toEqual([['car', 1], ['carbon', RANK.completionWeight], ['cardinal', RANK.completionWeight], ['careers', RANK.completionWeight], ['cargo', RANK.completionWeight], ['carriers', RANK.completionWeight]]);
    const postings = new TermPostings(index);
    await postings.load(groups);
    const m = matchText(index, groups, postings);
    expect(m.scores[index.docOf('one') as number]).toBeGreaterThan(m.scores[index.docOf('many') as number] as number);
  });
});
