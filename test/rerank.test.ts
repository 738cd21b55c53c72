import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countWords, fullScore, orderedPairs, rerankQuery, scanBody, smallestWindow } from '../core/search/rerank.ts';
import { STAGE2 } from '../core/search/scoring.ts';
import { tokenize } from '../core/text.ts';
import { article, memoryIndex } from './helpers/memory-index.ts';

const words = (n: number, w = 'filler') => Array.from({ length: n }, () => w).join(' ');

describe('countWords', () => {
  it('counts what the tokenizer splits, in any script', () => {
    for (const s of ['', '  ', 'Oil', 'oil, gas & coal.', '1,234.5 dlrs', 'Zoë Çelik', 'naïve\u0308 x', '東京 株式', '𝒜𝒷 c', 'a-b_c', 'end.']) {
      expect(countWords(s, 0, s.length), s).toBe(tokenize(s).length);
    }
  });

  it('agrees with the tokenizer on random text (outside scripts the tokenizer segments)', () => {
    // Runs of Chinese, Japanese or Thai count as one word here and are segmented by the tokenizer:
    // scanBody counts only ASCII text this way (other bodies are tokenized).
    const piece = fc.constantFrom('oil', 'Zoë', 'é', '\u0301', '12', '3.5', ' ', '  ', ', ', '-', '\n', 'Жё', '𝒜', '😀', '<', "'s", 'ना', '\u200c');
    fc.assert(fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
      const s = parts.join('');
      expect(countWords(s, 0, s.length)).toBe(tokenize(s).length);
    }));
  });

  it('stops at the limit', () => {
    expect(countWords(words(100), 0, 700, 30)).toBe(30);
    expect(countWords('a b c', 0, 5, 30)).toBe(3);
  });
});

describe('scanBody', () => {
  it('gives the tokenizer positions of every occurrence', async () => {
    const { index } = await memoryIndex([article({ id: 'a', body: 'gold and silver' })]);
    const body = 'Gold rose; SILVER fell 1.5 pct. Gold-silver ratio at 70.5, gold dealers said.';
    const q = rerankQuery(index, ['gold', 'silver'], null);
    const m = scanBody(body, q);
    const toks = tokenize(body);
    const expected = toks.flatMap((t, pos) => (t === 'gold' ? [[pos, 0]] : t === 'silver' ? [[pos, 1]] : []));
    expect(m.positions).toEqual(expected);
    expect(m.counts).toEqual([3, 2]);
    expect(m.first).toEqual([0, 2]);
  });

  it('counts the lede in tokens, not characters', async () => {
    const { index } = await memoryIndex([article({ id: 'a', body: 'zinc' })]);
    const q = rerankQuery(index, ['zinc'], null);
    // 25 long words (400 characters) then the word: token 25, inside a 30-token lede.
    expect(scanBody(`${words(25, 'internationally')} zinc`, q).first).toEqual([25]);
    // Far into the body, the first position is only known to be past the lede.
    expect(scanBody(`${words(200)} zinc`, q).first[0]).toBeGreaterThanOrEqual(STAGE2.ledeTokens);
  });
});

describe('scanBody on text other than ASCII', () => {
  it('tokenizes (folding, segmentation) and gives exact positions', async () => {
    const { index } = await memoryIndex([article({ id: 'a', body: 'Zoë Müller; 上海 and Muller' })]);
    const q = rerankQuery(index, ['muller', '上海'], null);
    const body = 'Senatorin Zoë Müller besuchte 上海市 und 上海. MÜLLER sagte: Müllers Plan.';
    const m = scanBody(body, q);
    const toks = tokenize(body);
    expect(m.positions).toEqual(toks.flatMap((t, pos) => (t === 'muller' ? [[pos, 0]] : t === '上海' ? [[pos, 1]] : [])));
    expect(m.counts).toEqual([2, 1]);
  });
});

describe('exact words, other forms and completions in stage 2', () => {
  const scores = async (bodies: Record<string, string>, terms: string[], prefix: string | null) => {
    const { index } = await memoryIndex(Object.entries(bodies).map(([id, body]) => article({ id, title: 'Market report', body })));
    const q = rerankQuery(index, terms, prefix);
    return Object.fromEntries(Object.keys(bodies).map((id) => [id, fullScore(index, index.docOf(id) as number, bodies[id] as string, q)]));
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
    for (const id of Object.keys(bodies)) out[id] = fullScore(index, index.docOf(id) as number, bodies[id] as string, q);
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
    for (const id of Object.keys(titles)) out[id] = fullScore(index, index.docOf(id) as number, body, q);
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
