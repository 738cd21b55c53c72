import { wordSpans } from '../text.ts';
import { fieldFrequency, idf, lengthNorm, RANK, relativeLength, saturate, STAGE2 } from './scoring.ts';
import { formWeights, referenceDf, wordForms } from './forms.ts';
import { MAX_PREFIX_EXPANSIONS } from './match.ts';
import type { SearchIndex } from './search-index.ts';

/** How many of stage 1's best are re-scored with their stored text. */
export const RERANK_DEPTH = 50;
/** Only the start of a long body is read for counts: the lede carries the topic. */
const BODY_SCAN_CHARS = 20_000;

/** One query word for re-scoring: how much a folded token counts for it (`forms.ts`), and its IDF. */
export interface RerankWord {
  /** 1 for the word itself, `RANK.formWeight` for another form, `RANK.completionWeight` for a completion, else 0. */
  weight: (token: string) => number;
  idf: number;
}

/** The query's words for re-scoring, with one regex that finds all of them in an ASCII body. */
export interface RerankQuery {
  words: RerankWord[];
  /** For ASCII text: finds every token that is evidence for a word (its ASCII forms and completions). */
  regex: RegExp;
}

const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/** `terms` are the query's finished words and `prefix` the one being typed (folded, as `parseQuery` gives them). */
export function rerankQuery(index: SearchIndex, terms: string[], prefix: string | null): RerankQuery {
  const n = index.size;
  const words: RerankWord[] = [];
  const alts: string[] = [];
  const add = (word: string, isPrefix: boolean) => {
    const forms = wordForms(index, word, isPrefix ? MAX_PREFIX_EXPANSIONS : 0);
    words.push({ weight: formWeights(forms, isPrefix ? word : null), idf: idf(n, referenceDf(forms)) });
    // An ASCII body holds only ASCII words: the regex needs only the ASCII forms.
    // A prefix's pattern covers every term starting with it (its completions).
    const covered = isPrefix && ASCII.test(word);
    const ascii = forms.map((f) => f.term).filter((t) => ASCII.test(t) && !(covered && t.startsWith(word))).map(escape);
    if (covered) ascii.push(`${escape(word)}[a-z0-9]*`);
    alts.push(...ascii);
  };
  for (const t of terms) add(t, false);
  if (prefix !== null) add(prefix, true);
  return { words, regex: new RegExp(`(?<![A-Za-z0-9])(?:${alts.length ? alts.join('|') : '(?!)'})(?![A-Za-z0-9])`, 'gi') };
}

const WORD_CHAR = /^[\p{L}\p{N}]$/u;
/** Continues a word, as in the tokenizer: combining marks and the zero-width (non-)joiners. */
const WORD_CONTINUE = /^[\p{M}\u200c\u200d]$/u;
/** 1 for ASCII letters and digits. */
const ASCII_WORD = Uint8Array.from({ length: 128 }, (_, c) => (/[A-Za-z0-9]/.test(String.fromCharCode(c)) ? 1 : 0));

/**
 * Words (the tokenizer's: a letter or digit, then letters, digits and marks) that start in
 * text[from, to), counting one at `from` if a word character is there (so `from` must not be inside
 * a word); stops at `limit`. A plain character loop, no strings or arrays for ASCII text. Runs of
 * Chinese, Japanese or Thai count as one word here (the tokenizer segments them): `scanBody` only
 * counts ASCII text this way.
 */
export function countWords(text: string, from: number, to: number, limit = Infinity): number {
  let n = 0;
  let inWord = 0;
  for (let i = from; i < to && n < limit; i++) {
    const c = text.charCodeAt(i);
    let w: number;
    if (c < 0x80) w = ASCII_WORD[c] as number;
    else if (c >= 0xdc00 && c <= 0xdfff) continue; // low surrogate: judged with its high half
    else {
      const ch = String.fromCodePoint(text.codePointAt(i) as number);
      w = WORD_CHAR.test(ch) ? 1 : inWord === 1 && WORD_CONTINUE.test(ch) ? 1 : 0;
    }
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
  /** Occurrences per word as typed. */
  counts: number[];
  /** Occurrences per word of its other forms and completions, each counted at its weight. */
  otherCounts: number[];
  /** Token position of each word's first occurrence as typed (exact below `STAGE2.ledeTokens`), −1 if absent. */
  first: number[];
  /** The same for the first other form or completion, and its weight. */
  firstOther: number[];
  firstOtherWeight: number[];
  /** [token position, word] of every occurrence as typed, in body order; exact where it matters (see scanBody). */
  positions: Array<[number, number]>;
}

/**
 * The query's words in a body with token positions as the tokenizer gives them. An ASCII body (all of
 * Reuters) takes one pass of the query's native regex: the words before the first match are counted up
 * to the lede's length (all the lede bonus needs), the words between two matches of words as typed are
 * counted when the gap is short (what proximity needs) and estimated when it is long, so the body is
 * walked character by character only near its matches. Any other body is analyzed (`wordSpans`:
 * folding, segmentation of Chinese, Japanese or Thai) and its tokens compared, with exact positions.
 * A token may be evidence for several words ("loss" for "losses loss"): each counts it.
 */
export function scanBody(text: string, q: RerankQuery): BodyMatches {
  const k = q.words.length;
  const m: BodyMatches = {
    counts: new Array<number>(k).fill(0),
    otherCounts: new Array<number>(k).fill(0),
    first: new Array<number>(k).fill(-1),
    firstOther: new Array<number>(k).fill(-1),
    firstOtherWeight: new Array<number>(k).fill(0),
    positions: [],
  };
  const weights = new Array<number>(k).fill(0);
  /** Weight of `token` for each word, into `weights`; whether it is some word as typed. */
  const weigh = (token: string) => {
    let exact = false;
    for (let i = 0; i < k; i++) if ((weights[i] = q.words[i]!.weight(token)) >= 1) exact = true;
    return exact;
  };
  /** Counts the token just weighed for every word it is evidence for; `pos()` gives its position, asked only when needed. */
  const visit = (pos: () => number, exactPos: number) => {
    for (let i = 0; i < k; i++) {
      const w = weights[i] as number;
      if (w >= 1) {
        m.counts[i] = (m.counts[i] as number) + 1;
        if (m.first[i] === -1) m.first[i] = exactPos;
        // Proximity and word order take the words as typed (with other forms: body MRR@10 0.875 → 0.867).
        m.positions.push([exactPos, i]);
      } else if (w > 0) {
        m.otherCounts[i] = (m.otherCounts[i] as number) + w;
        if (m.firstOther[i] === -1) {
          m.firstOther[i] = pos();
          m.firstOtherWeight[i] = w;
        }
      }
    }
  };
  if (!ASCII.test(text)) {
    wordSpans(text).forEach(({ term }, p) => {
      weigh(term);
      visit(() => p, p);
    });
    return m;
  }
  const re = q.regex;
  re.lastIndex = 0;
  let scanned = 0;
  let tokens = 0;
  let matched = false;
  for (let x = re.exec(text); x !== null; x = re.exec(text)) {
    if (!weigh(x[0].toLowerCase())) {
      // Only another form or a completion: its position matters only for the lede; positions of the
      // words as typed are counted between them alone, as without stemming.
      const at = x.index;
      visit(() => countWords(text, 0, at, STAGE2.ledeTokens), -1);
      continue;
    }
    const gap = x.index - scanned;
    if (!matched) tokens = countWords(text, 0, x.index, STAGE2.ledeTokens);
    else tokens += gap <= COUNTED_GAP_CHARS ? countWords(text, scanned, x.index) : Math.round(gap / CHARS_PER_TOKEN);
    matched = true;
    scanned = x.index + x[0].length;
    const pos = tokens;
    visit(() => pos, pos);
    tokens++;
  }
  return m;
}

/**
 * Stage 2 of ranking: BM25F with real term counts from the stored title and body (body length
 * normalized with `STAGE2.bBodyTf`), plus bonuses for words close together, words in the typed
 * order, words in the lede, words early in the title and titles the query covers, all on token
 * positions; a doc without every word as typed is scored down (`RANK.inexactFactor`). Measured with `eval/ranking.ts`:
 * it lifts known-item search from body words and topical precision to or above every peer, at the
 * cost of reading the bodies of the top 50 (cached chunks). ASCII bodies are scanned with one native
 * regex, not tokenized (`scanBody`), to keep this cheap. Parameters `RANK`, `STAGE2` and formulas in
 * `scoring.ts`.
 *
 * A word counts as typed when the doc has it so; only a doc without it counts the word's other forms
 * and completions, at their weights (`forms.ts`). So an exact match scores as without stemming.
 */
export function fullScore(index: SearchIndex, doc: number, body: string, q: RerankQuery): number {
  const { k1, titleWeight, allInTitle, bBody } = RANK;
  const titleTokens = wordSpans(index.titles[doc] as string);
  const text = body.length > BODY_SCAN_CHARS ? body.slice(0, BODY_SCAN_CHARS) : body;
  const b = scanBody(text, q);
  const nt = index.titleNorm[doc] as number;
  // The stored norm is stage 1's (b = RANK.bBody); recover length / average from it.
  const nb = lengthNorm(relativeLength(index.bodyNorm[doc] as number, bBody), 1, STAGE2.bBodyTf);
  const k = q.words.length;
  // The title's weight for each word at each position.
  const tw = titleTokens.map(({ term }) => q.words.map((w) => w.weight(term)));
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
  if (allTitle) score += (allInTitle + (STAGE2.titleCover * titleMatched) / titleTokens.length) * titleBonus;
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
