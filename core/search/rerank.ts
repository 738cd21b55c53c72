import { tokenize } from '../text.ts';
import { fieldFrequency, idf, lengthNorm, RANK, relativeLength, saturate, STAGE2 } from './scoring.ts';
import { pattern } from './snippet.ts';
import type { SearchIndex } from './search-index.ts';

/** How many of stage 1's best are re-scored with their stored text. */
export const RERANK_DEPTH = 50;
/** Only the start of a long body is read for counts: the lede carries the topic. */
const BODY_SCAN_CHARS = 20_000;

/** The query's words for re-scoring, with one regex that finds all of them in a body. */
export interface RerankQuery {
  words: Array<{ matches: (token: string) => boolean; idf: number }>;
  /** Group i+1 of a match is word i. */
  regex: RegExp;
}

export function rerankQuery(index: SearchIndex, terms: string[], prefix: string | null): RerankQuery {
  const n = index.size;
  const words = terms.map((t) => ({ matches: (tok: string) => tok === t, idf: idf(n, index.docFrequency(t)) }));
  const alts = terms.map((t) => `(${pattern(t)})`);
  if (prefix !== null) {
    const [s, e] = index.termRange(prefix);
    let df = 0;
    for (let i = s; i < e; i++) df = Math.max(df, index.df[i] as number);
    words.push({ matches: (tok) => tok.startsWith(prefix), idf: idf(n, df) });
    alts.push(`(${pattern(prefix)}[\\p{L}\\p{N}]*)`);
  }
  return { words, regex: new RegExp(`(?<![\\p{L}\\p{N}])(?:${alts.join('|')})(?![\\p{L}\\p{N}])`, 'giu') };
}

const WORD_CHAR = /^[\p{L}\p{N}]$/u;
/** 1 for ASCII letters and digits. */
const ASCII_WORD = Uint8Array.from({ length: 128 }, (_, c) => (/[A-Za-z0-9]/.test(String.fromCharCode(c)) ? 1 : 0));

/**
 * Words (the tokenizer's: runs of letters and digits) that start in text[from, to), counting one at
 * `from` if a word character is there (so `from` must not be inside a word); stops at `limit`.
 * A plain character loop, no strings or arrays for ASCII text.
 */
export function countWords(text: string, from: number, to: number, limit = Infinity): number {
  let n = 0;
  let inWord = 0;
  for (let i = from; i < to && n < limit; i++) {
    const c = text.charCodeAt(i);
    let w: number;
    if (c < 0x80) w = ASCII_WORD[c] as number;
    else if (c >= 0xdc00 && c <= 0xdfff) continue; // low surrogate: judged with its high half
    else w = WORD_CHAR.test(String.fromCodePoint(text.codePointAt(i) as number)) ? 1 : 0;
    if (w === 1 && inWord === 0) n++;
    inWord = w;
  }
  return n;
}

/**
 * Gaps between two matches up to this many characters are counted word by word; longer ones are
 * estimated at CHARS_PER_TOKEN, because a window that spans them is long and earns little anyway.
 */
const COUNTED_GAP_CHARS = 200;
const CHARS_PER_TOKEN = 6;

/** The query's words in a body: occurrences per word, token position of each occurrence. */
export interface BodyMatches {
  counts: number[];
  /** Token position of each word's first occurrence (exact below `STAGE2.ledeTokens`), −1 if absent. */
  first: number[];
  /** [token position, word] of every occurrence, in body order; exact where it matters (see scanBody). */
  positions: Array<[number, number]>;
}

/**
 * One pass of the query's native regex over the body, with token positions as the tokenizer would
 * give them: the words before the first match are counted up to the lede's length (all the lede
 * bonus needs), the words between two matches are counted when the gap is short (what proximity
 * needs) and estimated when it is long. So a body is walked character by character only near its
 * matches, not tokenized.
 */
export function scanBody(text: string, q: RerankQuery): BodyMatches {
  const k = q.words.length;
  const counts = new Array<number>(k).fill(0);
  const first = new Array<number>(k).fill(-1);
  const positions: Array<[number, number]> = [];
  const re = q.regex;
  re.lastIndex = 0;
  let scanned = 0;
  let tokens = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    let i = 0;
    while (i < k && m[i + 1] === undefined) i++;
    if (i === k) continue;
    const gap = m.index - scanned;
    if (positions.length === 0) tokens = countWords(text, 0, m.index, STAGE2.ledeTokens);
    else tokens += gap <= COUNTED_GAP_CHARS ? countWords(text, scanned, m.index) : Math.round(gap / CHARS_PER_TOKEN);
    scanned = m.index + m[0].length;
    counts[i] = (counts[i] as number) + 1;
    if (first[i] === -1) first[i] = tokens;
    positions.push([tokens, i]);
    tokens++;
  }
  return { counts, first, positions };
}

/**
 * Stage 2 of ranking: BM25F with real term counts from the stored title and body (body length
 * normalized with `STAGE2.bBodyTf`), plus bonuses for words close together, words in the typed
 * order, words in the lede, words early in the title and titles the query covers, all on token
 * positions. Measured with `eval/ranking.ts`: it lifts
 * known-item search from body words and topical precision to or above every peer, at the cost of
 * reading the bodies of the top 50 (cached chunks). Bodies are scanned with one native regex, not
 * tokenized (`scanBody`), to keep this cheap. Parameters `RANK`, `STAGE2` and formulas in `scoring.ts`.
 */
export function fullScore(index: SearchIndex, doc: number, body: string, q: RerankQuery): number {
  const { k1, titleWeight, allInTitle, bBody } = RANK;
  const titleTokens = tokenize(index.titles[doc] as string);
  const text = body.length > BODY_SCAN_CHARS ? body.slice(0, BODY_SCAN_CHARS) : body;
  const { counts, first, positions } = scanBody(text, q);
  const nt = index.titleNorm[doc] as number;
  // The stored norm is stage 1's (b = RANK.bBody); recover length / average from it.
  const nb = lengthNorm(relativeLength(index.bodyNorm[doc] as number, bBody), 1, STAGE2.bBodyTf);
  let score = 0;
  let idfSum = 0;
  let allTitle = true;
  const k = q.words.length;
  // One pass over the title: count, first and last position of each word (−1: not in the title).
  const titleCount = new Array<number>(k).fill(0);
  const titleFirst = new Array<number>(k).fill(-1);
  const titleLast = new Array<number>(k).fill(-1);
  let titleMatched = 0;
  titleTokens.forEach((tok, pos) => {
    let hit = false;
    q.words.forEach((w, i) => {
      if (!w.matches(tok)) return;
      hit = true;
      titleCount[i] = (titleCount[i] as number) + 1;
      if (titleFirst[i] === -1) titleFirst[i] = pos;
      titleLast[i] = pos;
    });
    if (hit) titleMatched++;
  });
  q.words.forEach((w, i) => {
    const tt = titleCount[i] as number;
    const firstTitle = titleFirst[i] as number;
    if (tt === 0) allTitle = false;
    else score += (w.idf * STAGE2.titleEarly) / (1 + firstTitle);
    const tf = fieldFrequency(tt, nt, counts[i] as number, nb, titleWeight);
    const fp = first[i] as number;
    score += w.idf * (saturate(tf, k1) + (fp >= 0 && fp < STAGE2.ledeTokens ? STAGE2.lede : 0));
    idfSum += w.idf;
  });
  if (allTitle) score += (allInTitle + (STAGE2.titleCover * titleMatched) / titleTokens.length) * idfSum;
  if (k > 1) {
    const win = smallestWindow(positions, k);
    if (win !== null) score += (STAGE2.proximity * idfSum) / (1 + Math.max(0, win - k));
    const inBody = orderedPairs(positions, k, STAGE2.bodyOrderGap);
    for (let i = 0; i + 1 < k; i++) {
      const pairIdf = (q.words[i]!.idf + q.words[i + 1]!.idf) / 2;
      const a = titleFirst[i] as number;
      if (a >= 0 && (titleLast[i + 1] as number) > a) score += STAGE2.titleOrder * pairIdf;
      const c = inBody[i] as number;
      if (c > 0) score += STAGE2.bodyOrder * pairIdf * saturate(c, k1);
    }
  }
  return score;
}

/**
 * For each consecutive pair of query words (i, i + 1): how often word i + 1 follows word i at most
 * `gap` tokens later (`positions` as from `scanBody`: [position, word], in body order).
 */
export function orderedPairs(positions: ReadonlyArray<[number, number]>, k: number, gap: number): number[] {
  const pairs = new Array<number>(Math.max(0, k - 1)).fill(0);
  const last = new Array<number>(k).fill(-Infinity);
  for (const [p, w] of positions) {
    if (w > 0 && p - (last[w - 1] as number) <= gap) pairs[w - 1] = (pairs[w - 1] as number) + 1;
    last[w] = p;
  }
  return pairs;
}

/** Length in tokens of the smallest span of `positions` ([position, word]) holding all `k` words. */
export function smallestWindow(positions: ReadonlyArray<[number, number]>, k: number): number | null {
  const count = new Array<number>(k).fill(0);
  let have = 0;
  let best: number | null = null;
  let lo = 0;
  for (let hi = 0; hi < positions.length; hi++) {
    const w = (positions[hi] as [number, number])[1];
    if (count[w] === 0) have++;
    count[w] = (count[w] as number) + 1;
    while (have === k) {
      const [pl, wl] = positions[lo] as [number, number];
      const span = (positions[hi] as [number, number])[0] - pl + 1;
      if (best === null || span < best) best = span;
      count[wl] = (count[wl] as number) - 1;
      if (count[wl] === 0) have--;
      lo++;
    }
  }
  return best;
}
