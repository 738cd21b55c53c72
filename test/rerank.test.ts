import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTokenIds, encodeTokenIds } from '../core/format/token-ids.ts';
import { BODY_SCAN_TOKENS, fullScore, orderedPairs, rerankQuery, scanBody, smallestWindow, type RerankQuery } from '../core/search/rerank.ts';
import { decodePart } from '../core/format/codec.ts';
import type { TermsPart } from '../core/format/parts.ts';
import type { Bundle } from '../indexer/build-bundle.ts';
import { RANK } from '../core/search/scoring.ts';
import type { SearchIndex } from '../core/search/search-index.ts';
import { tokensOf } from '../core/search/token-store.ts';
import { tokenize } from '../core/text.ts';
import { article, memoryIndex } from './helpers/memory-index.ts';

const words = (n: number, w = 'filler') => Array.from({ length: n }, () => w).join(' ');

describe('token ids (the tokens part)', () => {
  it('encode and decode any 32-bit ids, one or more base64 digits each', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 0xffffffff })), { maxLength: 50 }), (ids) => {
      const s = encodeTokenIds(ids);
      expect(s).toMatch(/^[A-Za-z0-9+/]*$/);
      const out = new Uint32Array(ids.length + 2);
      expect(decodeTokenIds(s, out, 1)).toBe(ids.length + 1);
      expect(Array.from(out.subarray(1, ids.length + 1))).toEqual(ids);
    }));
    expect(encodeTokenIds([0, 31, 32, 1023, 1024])).toBe('AfgB/fggB');
    expect(() => decodeTokenIds('g', new Uint32Array(1))).toThrow(/inside an id/);
    expect(() => decodeTokenIds('A-', new Uint32Array(2))).toThrow(/outside base64/);
  });

  it('hold each title and body as the tokenizer reads it, in every segment', async () => {
    const arts = [
      article({ id: 'a', date: '2024-01-01', title: 'Gold rose; SILVER fell', body: 'Gold-silver ratio at 70.5, gold dealers said.' }),
      article({ id: 'b', date: '2024-02-01', title: 'Zoë Müller in 上海', body: 'Senatorin Zoë Müller besuchte 上海市 und 上海. MÜLLER sagte: Müllers Plan.' }),
      article({ id: 'c', date: '2024-03-01', title: 'Empty body', body: '' }),
      ...Array.from({ length: 5 }, (_, i) => article({ id: `f${i}`, date: '2024-03-02', title: `Filler ${i}`, body: words(i * 7, `w${i}`) })),
    ];
    const { index, bundle } = await memoryIndex(arts, { segmentSize: 3, docChunkSize: 2 });
    expect(index.manifest.segments.length).toBeGreaterThan(1);
    const all = [...Array(index.size).keys()];
    const got = await index.tokens.tokens(all, { terms: ['gold', 'muller'], prefixes: ['sil'] });
    const bodies = await index.docs.bodies(all);
    all.forEach((d, i) => {
      const t = got[i]!;
      const terms = segmentTerms(bundle, index.manifest.segments[index.layout.segOf[d]!]!.id);
      expect(Array.from(t.title, (x) => terms[x]), index.ids[d]).toEqual(tokenize(index.titles[d]!));
      expect(Array.from(t.body, (x) => terms[x]), index.ids[d]).toEqual(tokenize(bodies[i]!));
      // The lookup (from the postings directory) agrees with the segment's term list.
      for (const w of ['gold', 'muller']) expect(t.lookup.id(w)).toBe(terms.indexOf(w));
      const [lo, hi] = t.lookup.range('sil');
      expect(terms.slice(lo, hi)).toEqual(terms.filter((x) => x.startsWith('sil')));
      expect(t.lookup.count).toBe(terms.length);
    });
  });
});

describe('rerankQuery.weigh', () => {
  it('gives each token id of a segment its terms\' weights for every word, null for none', async () => {
    const body = 'elections election elected car cars carolyn careplus market markets the oil';
    const { index, bundle } = await memoryIndex([article({ id: 'a', title: 'Car market', body }), article({ id: 'b', body: 'carbon oil' })]);
    const q = rerankQuery(index, ['elections', 'market'], 'car');
    const [t] = await index.tokens.tokens([0], q.wanted);
    const weigh = q.weigh(t!.lookup);
    expect(q.weigh(t!.lookup)).toBe(weigh);
    let some = 0;
    segmentTerms(bundle, index.manifest.segments[0]!.id).forEach((term, id) => {
      const expected = q.words.map((w) => w.weight(term));
      const got = weigh(id);
      if (got) some++;
      expect(got === null ? expected.every((x) => x === 0) : Array.from(got), term).toEqual(got === null ? true : expected);
    });
    expect(some).toBeGreaterThanOrEqual(8);
  });
});

describe('scanBody', () => {
  const scan = (body: string, q: Parameters<typeof scanBody>[2]) => {
    const t = tokensOf('', body);
    return scanBody(t.body, t.lookup, q);
  };

  it('gives the tokenizer positions of every occurrence', async () => {
    const { index } = await memoryIndex([article({ id: 'a', body: 'gold and silver' })]);
    const body = 'Gold rose; SILVER fell 1.5 pct. Gold-silver ratio at 70.5, gold dealers said.';
    const q = rerankQuery(index, ['gold', 'silver'], null);
    const m = scan(body, q);
    const toks = tokenize(body);
    const expected = toks.flatMap((t, pos) => (t === 'gold' ? [[pos, 0]] : t === 'silver' ? [[pos, 1]] : []));
    expect(m.positions).toEqual(expected);
    expect(m.counts).toEqual([3, 2]);
    expect(m.first).toEqual([0, 2]);
  });

  it('counts the lede in tokens, not characters, and positions exactly however far', async () => {
    const { index } = await memoryIndex([article({ id: 'a', body: 'zinc' })]);
    const q = rerankQuery(index, ['zinc'], null);
    // 25 long words (400 characters) then the word: token 25, inside a 30-token lede.
    expect(scan(`${words(25, 'internationally')} zinc`, q).first).toEqual([25]);
    expect(scan(`${words(200)} zinc`, q).first).toEqual([200]);
    expect(scan(`${words(40)} zinc ${'*-'.repeat(300)} zinc`, q).positions).toEqual([[40, 0], [41, 0]]);
  });

  it('reads a body up to BODY_SCAN_TOKENS tokens', async () => {
    const { index } = await memoryIndex([article({ id: 'a', body: 'zinc' })]);
    const q = rerankQuery(index, ['zinc'], null);
    expect(scan(`${words(BODY_SCAN_TOKENS - 1)} zinc`, q).counts).toEqual([1]);
    expect(scan(`${words(BODY_SCAN_TOKENS)} zinc`, q).counts).toEqual([0]);
  });

  it('counts another form or a completion at its weight, with its first position', async () => {
    const { index } = await memoryIndex([article({ id: 'a', body: 'elections election carolyn car' })]);
    const m = scan('the election and carolyn and the election', rerankQuery(index, ['elections'], 'car'));
    expect(m.counts).toEqual([0, 0]);
    expect(m.otherCounts).toEqual([2 * RANK.formWeight, RANK.completionWeight]);
    expect(m.firstOther).toEqual([1, 3]);
    expect(m.firstOtherWeight).toEqual([RANK.formWeight, RANK.completionWeight]);
    expect(m.positions).toEqual([]);
  });
});

describe('scanBody on text other than ASCII', () => {
  it('has the tokenizer\'s tokens (folding, segmentation) and exact positions', async () => {
    const { index } = await memoryIndex([article({ id: 'a', body: 'Zoë Müller; 上海 and Muller' })]);
    const q = rerankQuery(index, ['muller', '上海'], null);
    const body = 'Senatorin Zoë Müller besuchte 上海市 und 上海. MÜLLER sagte: Müllers Plan.';
    const t = tokensOf('', body);
    const m = scanBody(t.body, t.lookup, q);
    const toks = tokenize(body);
    expect(m.positions).toEqual(toks.flatMap((t, pos) => (t === 'muller' ? [[pos, 0]] : t === '上海' ? [[pos, 1]] : [])));
    expect(m.counts).toEqual([2, 1]);
  });
});

/** A doc's tokens as search reads them: from the index's tokens part. */
const stored = async (index: SearchIndex, id: string, q: RerankQuery) => (await index.tokens.tokens([index.docOf(id) as number], q.wanted))[0]!;

/** A segment's sorted terms (its `terms` part), which its token ids index. */
function segmentTerms(bundle: Bundle, segment: string): string[] {
  const info = bundle.manifest.parts.find((p) => p.role === 'terms' && p.segment === segment)!;
  return decodePart<TermsPart>(info, bundle.files.get(info.name)!).terms;
}

describe('exact words, other forms and completions in stage 2', () => {
  const scores = async (bodies: Record<string, string>, terms: string[], prefix: string | null) => {
    const { index } = await memoryIndex(Object.entries(bodies).map(([id, body]) => article({ id, title: 'Market report', body })));
    const q = rerankQuery(index, terms, prefix);
    return Object.fromEntries(await Promise.all(Object.keys(bodies).map(async (id): Promise<[string, number]> => [id, fullScore(index, index.docOf(id) as number, await stored(index, id, q), q)])));
  };

  it('counts a completion far below the word being typed', async () => {
    const s = await scores({ exact: `${words(10)} car ${words(10)}`, longer: `${words(10)} carolyn careplus caremark ${words(10)}` }, [], 'car');
    expect(s.exact).toBeGreaterThan(2 * (s.longer as number));
  });

  it('counts another form below the form typed, and not at all when the form typed is there', async () => {
    const s = await scores({ exact: `${words(10)} elections ${words(10)}`, other: `${words(10)} election ${words(10)}`, both: `${words(10)} elections election ${words(10)}` }, ['elections'], null);
    expect(s.exact).toBeGreaterThan(s.other as number);
    expect(s.other).toBeGreaterThan(0);
    // Other forms add nothing beside the form typed: "both" scores as "exact" but for its extra token of length.
    expect(s.both).toBeLessThanOrEqual(s.exact as number);
  });
});

describe('smallestWindow', () => {
  it('finds the shortest span holding every word', () => {
    expect(smallestWindow([[0, 0], [5, 1], [9, 0], [10, 1]], 2)).toBe(2);
    expect(smallestWindow([[0, 0], [5, 0]], 2)).toBeNull();
  });
});

describe('orderedPairs', () => {
  it('counts each consecutive query pair in the typed order within the gap', () => {
    // words 0 1 2: "0 1" adjacent twice, "1 2" once 3 apart, once 4 apart (beyond the gap), "2 1" never counts.
    const pos: Array<[number, number]> = [[0, 0], [1, 1], [4, 2], [10, 0], [11, 1], [15, 2], [20, 2], [21, 1]];
    expect(orderedPairs(pos, 3, 3)).toEqual([2, 1]);
    expect(orderedPairs(pos, 3, 4)).toEqual([2, 2]);
    expect(orderedPairs([[0, 0], [1, 0]], 1, 3)).toEqual([]);
  });

  it('agrees with a brute-force count on random positions', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 40 }), fc.integer({ min: 1, max: 5 }), (ws, gap) => {
      const pos = ws.map((w, i): [number, number] => [i * 2, w]);
      const expected = [0, 1, 2].map((i) => pos.filter(([p, w]) => w === i + 1 && pos.some(([q, v]) => v === i && q < p && p - q <= gap && !pos.some(([r, u]) => u === i && r > q && r < p))).length);
      expect(orderedPairs(pos, 4, gap)).toEqual(expected);
    }));
  });
});

describe('fullScore', () => {
  const score = async (bodies: Record<string, string>, terms: string[], title = 'Market news') => {
    const { index } = await memoryIndex(Object.entries(bodies).map(([id, body]) => article({ id, title, body })));
    const q = rerankQuery(index, terms, null);
    const out: Record<string, number> = {};
    for (const id of Object.keys(bodies)) {
      const t = await stored(index, id, q);
      out[id] = fullScore(index, index.docOf(id) as number, t, q);
      // The stored tokens are the text's: scoring the text tokenized here gives the same.
      expect(fullScore(index, index.docOf(id) as number, tokensOf(title, bodies[id] as string), q)).toBe(out[id]);
    }
    return out;
  };

  it('ranks words close together above the same words far apart', async () => {
    const s = await score({ near: `${words(20)} iron steel ${words(40)}`, far: `${words(10)} iron ${words(40)} steel ${words(10)}` }, ['iron', 'steel']);
    expect(s.near).toBeGreaterThan(s.far as number);
  });

  it('gives the lede bonus by token position, whatever the word lengths', async () => {
    // Same length in tokens, the word at token 25 (long words) and at token 35 (short ones).
    const s = await score({ lede: `${words(25, 'internationally')} zinc ${words(20, 'ab')}`, late: `${words(35, 'ab')} zinc ${words(10, 'ab')}` }, ['zinc']);
    expect(s.lede).toBeGreaterThan(s.late as number);
  });

  it('ranks a long story that keeps using the word above a brief that mentions it twice', async () => {
    // Both open with the word; full length normalization (b = 0.75) puts the brief first.
    const long = Array.from({ length: 8 }, () => `copper ${words(40)}`).join(' ');
    const brief = `copper ${words(10)} copper`;
    const s = await score({ long, brief, other: words(200), other2: words(100) }, ['copper']);
    expect(s.long).toBeGreaterThan(s.brief as number);
  });

  const titled = async (titles: Record<string, string>, terms: string[], body = words(30)) => {
    const { index } = await memoryIndex([...Object.entries(titles).map(([id, title]) => article({ id, title, body })), article({ id: 'z', title: 'other things', body: words(30, 'noise') })]);
    const q = rerankQuery(index, terms, null);
    const out: Record<string, number> = {};
    for (const id of Object.keys(titles)) out[id] = fullScore(index, index.docOf(id) as number, await stored(index, id, q), q);
    return out;
  };

  it('ranks a title with the words in the typed order above the same words reversed', async () => {
    const s = await titled({ typed: 'Bank of Japan buys dollars in Tokyo', reversed: 'Tokyo dollars bought by Japan central bank' }, ['bank', 'japan', 'dollars', 'tokyo']);
    expect(s.typed).toBeGreaterThan(s.reversed as number);
  });

  it('ranks a headline the query spells out above a longer one holding the same words', async () => {
    // The longer one says "loss" twice, which plain BM25 rewards.
    const s = await titled({ spelled: 'Acme year loss', longer: 'Acme year loss as loss grows' }, ['acme', 'year', 'loss']);
    expect(s.spelled).toBeGreaterThan(s.longer as number);
  });

  it('ranks a passage in the typed order above the same words shuffled nearby', async () => {
    const s = await score({ typed: `${words(20)} central bank raised rates ${words(20)}`, shuffled: `${words(20)} rates raised central bank ${words(20)}` }, ['central', 'bank', 'raised', 'rates']);
    expect(s.typed).toBeGreaterThan(s.shuffled as number);
  });
});
