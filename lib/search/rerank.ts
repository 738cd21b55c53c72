import { tokenize } from '../text.ts';
import { RANK } from './match.ts';
import { pattern } from './snippet.ts';
import type { SearchIndex } from './search-index.ts';

/** How many of stage 1's best are re-scored with their stored text. */
export const RERANK_DEPTH = 50;
/** Only the start of a long body is read for counts: the lede carries the topic. */
const BODY_SCAN_CHARS = 20_000;

export const STAGE2 = {
  /** × ΣIDF / (1 + window − words) for the smallest body window holding every word. */
  proximity: 1,
  /** × IDF for a word within the first `ledeTokens` body tokens. */
  lede: 0.3,
  ledeTokens: 30,
  /** × IDF / (1 + position) for a word in the title. */
  titleEarly: 0.3,
} as const;

/** The query's words for re-scoring, with one regex that finds all of them in a body. */
export interface RerankQuery {
  words: Array<{ matches: (token: string) => boolean; idf: number }>;
  /** Group i+1 of a match is word i. */
  regex: RegExp;
}

export function rerankQuery(index: SearchIndex, terms: string[], prefix: string | null): RerankQuery {
  const n = index.size;
  const idf = (df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
  const words = terms.map((t) => ({ matches: (tok: string) => tok === t, idf: idf(index.docFrequency(t)) }));
  const alts = terms.map((t) => `(${pattern(t)})`);
  if (prefix !== null) {
    const [s, e] = index.termRange(prefix);
    let df = 0;
    for (let i = s; i < e; i++) df = Math.max(df, index.df[i] as number);
    words.push({ matches: (tok) => tok.startsWith(prefix), idf: idf(df) });
    alts.push(`(${pattern(prefix)}[\\p{L}\\p{N}]*)`);
  }
  return { words, regex: new RegExp(`(?<![\\p{L}\\p{N}])(?:${alts.join('|')})(?![\\p{L}\\p{N}])`, 'giu') };
}

/** Characters per token, to turn character spans into the token spans BM25 proximity expects. */
const CHARS_PER_TOKEN = 6;

/**
 * Stage 2 of ranking: BM25F with real term counts from the stored title and body, plus bonuses for
 * words close together, words in the lede and words early in the title. Measured with
 * `eval/ranking.ts`: it lifts known-item search from body words and topical precision to or above
 * every peer, at the cost of reading the bodies of the top 50 (cached chunks). Bodies are scanned
 * with one native regex, not tokenized, to keep this cheap.
 */
export function fullScore(index: SearchIndex, doc: number, body: string, q: RerankQuery): number {
  const { k1, titleWeight, allInTitle } = RANK;
  const sat = (tf: number) => (tf * (k1 + 1)) / (tf + k1);
  const titleTokens = tokenize(index.titles[doc] as string);
  const text = body.length > BODY_SCAN_CHARS ? body.slice(0, BODY_SCAN_CHARS) : body;
  const k = q.words.length;
  const bodyCounts = new Array<number>(k).fill(0);
  const inLede = new Array<boolean>(k).fill(false);
  const positions: Array<[number, number]> = [];
  const re = q.regex;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    let i = 0;
    while (i < k && m[i + 1] === undefined) i++;
    if (i === k) continue;
    bodyCounts[i] = (bodyCounts[i] as number) + 1;
    const tokenPos = Math.floor(m.index / CHARS_PER_TOKEN);
    positions.push([tokenPos, i]);
    if (tokenPos < STAGE2.ledeTokens) inLede[i] = true;
  }
  const nt = index.titleNorm[doc] as number;
  const nb = index.bodyNorm[doc] as number;
  let score = 0;
  let idfSum = 0;
  let allTitle = true;
  q.words.forEach((w, i) => {
    let tt = 0;
    let firstTitle = -1;
    titleTokens.forEach((tok, pos) => {
      if (w.matches(tok)) {
        tt++;
        if (firstTitle < 0) firstTitle = pos;
      }
    });
    if (tt === 0) allTitle = false;
    else score += (w.idf * STAGE2.titleEarly) / (1 + firstTitle);
    const tf = (titleWeight * tt) / nt + (bodyCounts[i] as number) / nb;
    score += w.idf * (sat(tf) + (inLede[i] ? STAGE2.lede : 0));
    idfSum += w.idf;
  });
  if (allTitle) score += allInTitle * idfSum;
  if (k > 1) {
    const win = smallestWindow(positions, k);
    if (win !== null) score += (STAGE2.proximity * idfSum) / (1 + Math.max(0, win - k));
  }
  return score;
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
