/**
 * Ranking: the parameters and the BM25F formulas both stages score with. Stage 1 (`match.ts`) scores
 * every match from FlexSearch hits alone; stage 2 (`rerank.ts`) re-scores the best `RERANK_DEPTH`
 * with their stored tokens. This module imports nothing, so `search-index.ts` (which applies the
 * length normalization when an index is loaded) and both stages depend on it and not on each other.
 *
 * `RANK` and `STAGE2` are read when a query is scored, not copied at load, so `eval/tune.ts` can
 * override them for a run (except `bTitle` and `bBody`: see `RANK`). Figures below are from
 * `eval/ranking.ts` on Reuters-21578 (default seed 20250601, 1,000 queries per known-item set) unless
 * they say otherwise; current figures are in README.md ("Search quality") and eval/README.md.
 *
 * How deep stage 2 reads (`RERANK_DEPTH`, `BODY_SCAN_TOKENS` in rerank.ts) and how far a prefix expands
 * (`MAX_PREFIX_EXPANSIONS` in match.ts) and how many other forms a word takes (`MAX_FORMS` in forms.ts)
 * are cost bounds and stay beside the code they bound.
 */

/**
 * Stage 1: BM25F over title and body with field-length normalization, where FlexSearch keeps no
 * counts, so each field counts a word once. Also stage 2's k1, title weight and all-in-title bonus.
 *
 * These are the `BM25` parameters of the ranking eval prototype (`eval/ranking/rerank.ts`, added in
 * 87eafbe, removed in cd892ce), ported into the product in 5d79fdf; only k1 has been re-tuned since.
 * They replaced the first search core's scoring (eb3436f): title hit × 2, body hit × 1.5 down to 1.
 */
export const RANK = {
  /**
   * Term-frequency saturation, both stages. 1.2 (the usual BM25 default) in the prototype and in
   * 5d79fdf; 1.3 in deead19 once stage 2 had real counts, tuned together with `STAGE2.bBodyTf` 0.4,
   * `STAGE2.proximity` 1.5 and `STAGE2.titleEarly` 0.2: category P@10 0.782 → 0.807 (MiniSearch
   * 0.795), body MRR@10 0.854 → 0.862, title 0.967 (FlexSearch 0.968, 22/22 head to head).
   */
  k1: 1.3,
  /** A title occurrence counts like 3 body occurrences (prototype value; no sweep recorded). */
  titleWeight: 3,
  /**
   * Length normalization b for title and body (prototype values; 0.75 is the usual BM25 b). Applied
   * once when an index is loaded (`SearchIndex.titleNorm`, `bodyNorm`, from the token lengths in
   * `meta`), so overriding them at runtime does nothing until the index is loaded again.
   */
  bTitle: 0.5,
  bBody: 0.75,
  /** × IDF for a body word by how early FlexSearch ranks it (0 = last, 1 = first); prototype value. */
  early: 0.15,
  /** × ΣIDF when every query word is in the title, both stages; prototype value. */
  allInTitle: 2,
  /**
   * How much a query word's other forms count, both stages (`forms.ts`): a term sharing its stem
   * ("election" for "elections") counts as this fraction of an occurrence of the word itself, in a
   * doc that does not have the word as typed (one that has it ignores the other forms). It orders
   * the docs that match only through other forms, below the exact matches (`inexactFactor`):
   * eval/ranking.ts gives the same figures on every set for 0.3 and 0.6 (format 4).
   */
  formWeight: 0.6,
  /**
   * How much a completion of a word still being typed counts ("carolyn" for "car"), both stages, in a
   * doc without the word as typed. Until format 4 completions were a `prefixPenalty` of 0.9 on their
   * own IDF, so a rare completion outweighed the word ("car" put Carolyn Bean, CarePlus and Caremark
   * first); now a completion shares the word's IDF (`referenceDf` in forms.ts) and counts this much.
   * The `typed` set of eval/ranking.ts went from P@10 0.712 to 0.796, mostly through `inexactFactor`;
   * 0.05 to 0.5 give the same figures.
   */
  completionWeight: 0.15,
  /**
   * × the score, both stages, of a doc that has some query word only as another form or a
   * completion. Without it, stemming let a doc with two words in its title and the third only as
   * another form outrank one with all three in its body, and push it out of the re-scored top:
   * known-item body MRR@10 fell 0.875 → 0.867 and category P@10 0.809 → 0.804 (eval/ranking.ts). Exact matches keep their scores,
   * so their order (and the recency boost's effect on it) is as without stemming.
   */
  inexactFactor: 0.25,
} as const;

/**
 * Stage 2: re-scoring with real counts and token positions from the stored title and body. The
 * prototype's values came with the port (5d79fdf: proximity 1, lede 0.3 over 30 tokens, titleEarly
 * 0.3); deead19 tuned bBodyTf, proximity and titleEarly with k1; cd892ce added word order and title
 * coverage, checked with `eval/tune.ts` on 3 × 5,000-query samples.
 */
export const STAGE2 = {
  /**
   * BM25 body length normalization for the real body counts. Stage 1's `RANK.bBody` (0.75) only
   * weighs whether a word occurs, where a mention in a long story is weak evidence; with counts, a
   * long story that keeps using the word is about it, and 0.75 let short briefs that mention it
   * twice outrank it. With k1 1.3 and titleEarly 0.2 this took category P@10 in eval/ranking.ts
   * from 0.782 to 0.807 (about the same for 0.3 to 0.5). deead19.
   */
  bBodyTf: 0.4,
  /** × ΣIDF / (1 + window − words) for the smallest body window holding every word (1 → 1.5 in deead19: body MRR +0.01). */
  proximity: 1.5,
  /** × IDF for a word within the first `ledeTokens` body tokens (prototype values, unchanged since 5d79fdf). */
  lede: 0.3,
  ledeTokens: 30,
  /** × IDF / (1 + position) for a word in the title (0.3 in the prototype, 0.2 in deead19 with k1 1.3). */
  titleEarly: 0.2,
  /**
   * Word order, as in a sequential dependence model: people type the words of a headline or a
   * passage in the order they read them. × mean IDF of each consecutive pair of query words that
   * the title has in that order. Title MRR@10 on 3 × 5,000 title queries: +0.002 to +0.003 (cd892ce).
   */
  titleOrder: 2,
  /**
   * × mean pair IDF × saturated count of body occurrences of the pair in order, at most
   * `bodyOrderGap` tokens apart (cd892ce). With `titleOrder`, body MRR@10 on 3 × 5,000 queries
   * 0.876 / 0.877 / 0.871 → 0.885 / 0.885 / 0.878, title 0.9676 / 0.9685 / 0.9670 → 0.9700 / 0.9694 /
   * 0.9686 (README.md, f7f50e3).
   */
  bodyOrder: 0.5,
  bodyOrderGap: 3,
  /**
   * × ΣIDF × the share of title tokens that are query words, when every word is in the title: a
   * headline the query spells out almost entirely beats one where the words are a small part
   * (cd892ce, with word order; no separate figure recorded).
   */
  titleCover: 0.4,
} as const;

/** BM25 inverse document frequency (the non-negative "+1" form) of a word in `df` of `n` documents. */
export function idf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** BM25 term-frequency saturation: 0 at tf 0, 1 at tf 1, rising towards k1 + 1. */
export function saturate(tf: number, k1: number): number {
  return (tf * (k1 + 1)) / (tf + k1);
}

/** BM25 length normalization, 1 − b + b × length / average: 1 for an average-length field. */
export function lengthNorm(length: number, averageLength: number, b: number): number {
  return 1 - b + (b * length) / averageLength;
}

/** Length / average recovered from a `lengthNorm` taken with `b` (1 when b is 0: nothing to recover). */
export function relativeLength(norm: number, b: number): number {
  return b > 0 ? (norm - 1 + b) / b : 1;
}

/**
 * `lengthNorm` of every document, from the per-document token lengths of one field (1 for all when
 * the lengths are missing or do not match the index, as in bundles without them).
 */
export function lengthNorms(lens: ArrayLike<number> | null | undefined, size: number, b: number): Float32Array {
  const out = new Float32Array(size).fill(1);
  if (!lens || lens.length !== size || size === 0) return out;
  let sum = 0;
  for (let i = 0; i < size; i++) sum += lens[i] as number;
  const avg = sum / size || 1;
  for (let i = 0; i < size; i++) out[i] = lengthNorm(lens[i] as number, avg, b);
  return out;
}

/**
 * BM25F's combined term frequency over title and body: each field's count over its length norm,
 * the title's weighted by `titleWeight`. A field without the word adds nothing.
 */
export function fieldFrequency(titleCount: number, titleNorm: number, bodyCount: number, bodyNorm: number, titleWeight: number): number {
  return (titleCount === 0 ? 0 : (titleWeight * titleCount) / titleNorm) + (bodyCount === 0 ? 0 : bodyCount / bodyNorm);
}
