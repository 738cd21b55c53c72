import { fieldFrequency, idf, lengthNorm, RANK, relativeLength, saturate, STAGE2 } from './scoring.ts';
import { formWeights, referenceDf, wordForms } from './forms.ts';
import { MAX_PREFIX_EXPANSIONS } from './match.ts';
import type { SearchIndex } from './search-index.ts';
import type { DocTokens, TermsWanted } from './token-store.ts';
import type { TermLookup } from './postings-store.ts';

/** How many of stage 1's best are re-scored with their stored tokens. */
export const RERANK_DEPTH = 50;
/**
 * Only the start of a long body is scanned for counts: the lede carries the topic. 20,000
 * characters until bodies were read as text; at Reuters' 5.9 characters a token, this many tokens.
 * (No Reuters body reaches it: the longest has 13,395 characters.)
 */
export const BODY_SCAN_TOKENS = 3_400;

/** One query word for re-scoring: how much a folded token counts for it (`forms.ts`), and its IDF. */
export interface RerankWord {
  /** 1 for the word itself, `RANK.formWeight` for another form, `RANK.completionWeight` for a completion, else 0. */
  weight: (token: string) => number;
  idf: number;
  /** The tokens `weight` may count: these terms and, with a `prefix`, any term starting with it. */
  terms: readonly string[];
  prefix: string | null;
}

/** The query's words for re-scoring. */
export interface RerankQuery {
  words: RerankWord[];
  /** The terms and prefixes whose ids in a segment `weigh` needs (`TokenStore.tokens`). */
  wanted: TermsWanted;
  /**
   * For a segment's term ids (`DocTokens.lookup`): each word's weight for the term of a token id,
   * or null when it is evidence for none. Worked out once per query and segment, for the ids of the
   * words' terms and completions only (every other id weighs nothing), so a doc's tokens then cost
   * one typed-array lookup each.
   */
  weigh: (lookup: TermLookup) => (id: number) => Float64Array | null;
}

/** `terms` are the query's finished words and `prefix` the one being typed (folded, as `parseQuery` gives them). */
export function rerankQuery(index: SearchIndex, terms: string[], prefix: string | null): RerankQuery {
  const n = index.size;
  const words: RerankWord[] = [];
  const add = (word: string, isPrefix: boolean) => {
    const forms = wordForms(index, word, isPrefix ? MAX_PREFIX_EXPANSIONS : 0);
    const p = isPrefix ? word : null;
    words.push({ weight: formWeights(forms, p), idf: idf(n, referenceDf(forms)), terms: forms.map((f) => f.term), prefix: p });
  };
  for (const t of terms) add(t, false);
  if (prefix !== null) add(prefix, true);
  const memo = new Map<TermLookup, (id: number) => Float64Array | null>();
  const weigh = (lookup: TermLookup) => {
    let f = memo.get(lookup);
    if (f) return f;
    // slot[id]: 1 + its row in `rows`; 0 (never looked at) or −1 (looked at) for no word's evidence.
    const slot = new Int32Array(lookup.count);
    const rows: Float64Array[] = [];
    const consider = (id: number, weightOf: (w: RerankWord) => number) => {
      if (slot[id] !== 0) return;
      const row = new Float64Array(words.length);
      let any = false;
      words.forEach((w, i) => {
        if ((row[i] = weightOf(w)) > 0) any = true;
      });
      slot[id] = any ? rows.push(row) : -1;
    };
    // The words' own terms first, weighed by their text; then the prefix's other completions, which
    // are no word's listed term, so they weigh what `formWeights` gives them: a completion for the
    // prefix's word (the only word with a prefix), nothing for the others.
    for (const w of words) {
      for (const t of w.terms) {
        const i = lookup.id(t);
        if (i >= 0) consider(i, (x) => x.weight(t));
      }
    }
    for (const w of words) {
      if (w.prefix === null) continue;
      const [lo, hi] = lookup.range(w.prefix);
      for (let i = lo; i < hi; i++) consider(i, (x) => (x === w ? RANK.completionWeight : 0));
    }
    f = (id: number) => {
      const x = slot[id] as number;
      return x > 0 ? (rows[x - 1] as Float64Array) : null;
    };
    memo.set(lookup, f);
    return f;
  };
  const wanted: TermsWanted = { terms: [...new Set(words.flatMap((w) => w.terms))], prefixes: words.flatMap((w) => (w.prefix === null ? [] : [w.prefix])) };
  return { words, wanted, weigh };
}

/** The query's words in a body: occurrences per word, token position of each occurrence. */
export interface BodyMatches {
  /** Occurrences per word as typed. */
  counts: number[];
  /** Occurrences per word of its other forms and completions, each counted at its weight. */
  otherCounts: number[];
  /** Token position of each word's first occurrence as typed, −1 if absent. */
  first: number[];
  /** The same for the first other form or completion, and its weight. */
  firstOther: number[];
  firstOtherWeight: number[];
  /** [token position, word] of every occurrence as typed, in body order. */
  positions: Array<[number, number]>;
}

/**
 * The query's words in a body given as token ids into `terms` (the `tokens` part: the analyzer's
 * tokens, so positions are exact), up to `BODY_SCAN_TOKENS`. A token may be evidence for several
 * words ("loss" for "losses loss"): each counts it.
 */
export function scanBody(body: ArrayLike<number>, lookup: TermLookup, q: RerankQuery): BodyMatches {
  const k = q.words.length;
  const m: BodyMatches = {
    counts: new Array<number>(k).fill(0),
    otherCounts: new Array<number>(k).fill(0),
    first: new Array<number>(k).fill(-1),
    firstOther: new Array<number>(k).fill(-1),
    firstOtherWeight: new Array<number>(k).fill(0),
    positions: [],
  };
  const weigh = q.weigh(lookup);
  const end = Math.min(body.length, BODY_SCAN_TOKENS);
  for (let p = 0; p < end; p++) {
    const w = weigh(body[p] as number);
    if (w === null) continue;
    for (let i = 0; i < k; i++) {
      const x = w[i] as number;
      if (x >= 1) {
        m.counts[i] = (m.counts[i] as number) + 1;
        if (m.first[i] === -1) m.first[i] = p;
        // Proximity and word order take the words as typed (with other forms: body MRR@10 0.875 → 0.867).
        m.positions.push([p, i]);
      } else if (x > 0) {
        m.otherCounts[i] = (m.otherCounts[i] as number) + x;
        if (m.firstOther[i] === -1) {
          m.firstOther[i] = p;
          m.firstOtherWeight[i] = x;
        }
      }
    }
  }
  return m;
}

/**
 * Stage 2 of ranking: BM25F with real term counts from the doc's title and body tokens (the
 * `tokens` part, `tokens`; body length normalized with `STAGE2.bBodyTf`), plus bonuses for words
 * close together, words in the typed order, words in the lede, words early in the title and titles
 * the query covers, all on exact token positions; a doc without every word as typed is scored down
 * (`RANK.inexactFactor`). Measured with `eval/ranking.ts`: it lifts known-item search from body
 * words and topical precision to or above every peer, at the cost of reading the token ids of the
 * top 50 (cached chunks; no text is read or analyzed). Parameters `RANK`, `STAGE2` and formulas in
 * `scoring.ts`.
 *
 * A word counts as typed when the doc has it so; only a doc without it counts the word's other forms
 * and completions, at their weights (`forms.ts`). So an exact match scores as without stemming.
 */
export function fullScore(index: SearchIndex, doc: number, tokens: DocTokens, q: RerankQuery): number {
  const { k1, titleWeight, allInTitle, bBody } = RANK;
  const b = scanBody(tokens.body, tokens.lookup, q);
  const nt = index.titleNorm[doc] as number;
  // The stored norm is stage 1's (b = RANK.bBody); recover length / average from it.
  const nb = lengthNorm(relativeLength(index.bodyNorm[doc] as number, bBody), 1, STAGE2.bBodyTf);
  const k = q.words.length;
  // The title's weight for each word at each position.
  const weigh = q.weigh(tokens.lookup);
  const none = new Float64Array(k);
  const tw = Array.from(tokens.title, (id) => weigh(id) ?? none);
  const exact = q.words.map((_, i) => (b.counts[i] as number) > 0 || tw.some((r) => (r[i] as number) >= 1));
  // One pass over the title: count, first and last position of each word as it counts for the doc.
  const titleCount = new Array<number>(k).fill(0);
  const titleFirst = new Array<number>(k).fill(-1);
  const titleFirstWeight = new Array<number>(k).fill(0);
  const titleLast = new Array<number>(k).fill(-1);
  let titleMatched = 0;
  tw.forEach((row, pos) => {
    let best = 0;
    row.forEach((x, i) => {
      const v = exact[i] ? (x >= 1 ? 1 : 0) : x;
      if (v === 0) return;
      if (v > best) best = v;
      titleCount[i] = (titleCount[i] as number) + v;
      if (titleFirst[i] === -1) {
        titleFirst[i] = pos;
        titleFirstWeight[i] = v;
      }
      titleLast[i] = pos;
    });
    titleMatched += best;
  });
  let score = 0;
  let idfSum = 0;
  let titleBonus = 0;
  let allTitle = true;
  let allExact = true;
  q.words.forEach((w, i) => {
    const ex = exact[i] as boolean;
    if (!ex) allExact = false;
    const firstTitle = titleFirst[i] as number;
    if (firstTitle === -1) allTitle = false;
    else score += (w.idf * STAGE2.titleEarly * (titleFirstWeight[i] as number)) / (1 + firstTitle);
    const tf = fieldFrequency(titleCount[i] as number, nt, ex ? (b.counts[i] as number) : (b.otherCounts[i] as number), nb, titleWeight);
    const fp = ex ? (b.first[i] as number) : (b.firstOther[i] as number);
    const lede = fp >= 0 && fp < STAGE2.ledeTokens ? STAGE2.lede * (ex ? 1 : (b.firstOtherWeight[i] as number)) : 0;
    score += w.idf * (saturate(tf, k1) + lede);
    idfSum += w.idf;
    titleBonus += w.idf * (titleFirstWeight[i] as number);
  });
  if (allTitle) score += (allInTitle + (STAGE2.titleCover * titleMatched) / tw.length) * titleBonus;
  if (k > 1) {
    const win = smallestWindow(b.positions, k);
    if (win !== null) score += (STAGE2.proximity * idfSum) / (1 + Math.max(0, win - k));
    const inBody = orderedPairs(b.positions, k, STAGE2.bodyOrderGap);
    for (let i = 0; i + 1 < k; i++) {
      const pairIdf = (q.words[i]!.idf + q.words[i + 1]!.idf) / 2;
      const a = titleFirst[i] as number;
      // Word order: the words as typed.
      if (a >= 0 && titleFirstWeight[i] === 1 && (titleLast[i + 1] as number) > a && exact[i + 1]) score += STAGE2.titleOrder * pairIdf;
      const c = inBody[i] as number;
      if (c > 0) score += STAGE2.bodyOrder * pairIdf * saturate(c, k1);
    }
  }
  // A word only as another form or a completion: exact matches lead (forms.ts).
  return allExact ? score : score * RANK.inexactFactor;
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
