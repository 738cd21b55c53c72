import type { ParsedQuery } from '../text.ts';
import { fieldFrequency, idf as idfOf, RANK, saturate } from './scoring.ts';
import type { SearchIndex } from './search-index.ts';

/** Most expansions of a trailing prefix, by document frequency; keeps "a" from meaning every word. */
export const MAX_PREFIX_EXPANSIONS = 128;

export interface TextMatches {
  /** Matching doc numbers, unordered. */
  docs: Uint32Array;
  /** Score by doc number; valid only for `docs`, and only until the next `matchText` call. */
  scores: Float64Array;
}

export interface GroupTerm {
  term: string;
  weight: number;
  shard: number;
  /** Document frequency, looked up once while planning. */
  df: number;
}

/**
 * The query as groups of vocabulary terms: one group per exact term (empty if unknown), plus the
 * prefix's expansions. `shardsOf` lists the FlexSearch shards to load before `matchText`.
 */
export function planQuery(index: SearchIndex, query: ParsedQuery): GroupTerm[][] {
  const groups = query.terms.map((t) => {
    const i = index.termIndex(t);
    return i < 0 ? [] : [{ term: t, weight: 1, shard: index.flex.shardOf(i), df: index.df[i] as number }];
  });
  if (query.prefix !== null) groups.push(expandPrefix(index, query.prefix));
  return groups;
}

export function shardsOf(groups: GroupTerm[][]): number[] {
  // An empty group means no match at all: nothing needs loading.
  if (groups.length === 0 || groups.some((g) => g.length === 0)) return [];
  return [...new Set(groups.flat().map((g) => g.shard))];
}

interface Scratch {
  gen: number;
  seen: Int32Array;
  groups: Uint16Array;
  titleGroups: Uint16Array;
  scores: Float64Array;
  term: number;
  inTitle: Int32Array;
  inBody: Int32Array;
  scored: Int32Array;
  bodyRank: Float32Array;
}

/** Per-index scratch space, reused across calls: matching is synchronous, so calls never overlap. */
const scratch = new WeakMap<SearchIndex, Scratch>();

function scratchFor(index: SearchIndex): Scratch {
  let s = scratch.get(index);
  if (!s) {
    const n = index.size;
    s = {
      gen: 0,
      seen: new Int32Array(n),
      groups: new Uint16Array(n),
      titleGroups: new Uint16Array(n),
      scores: new Float64Array(n),
      term: 0,
      inTitle: new Int32Array(n),
      inBody: new Int32Array(n),
      scored: new Int32Array(n),
      bodyRank: new Float32Array(n),
    };
    scratch.set(index, s);
  }
  return s;
}

/**
 * Exact boolean matching: every exact term and (when present) the prefix must occur in the title or
 * the body. FlexSearch is asked one term at a time for all of its hits, so nothing is lost to a limit,
 * and the intersection across terms and fields is done here with per-doc counters.
 *
 * Score (stage 1 of ranking, no article text needed): BM25F over title and body with field-length
 * normalization, where the title frequency is taken as 1 and the body frequency as 1 (FlexSearch
 * does not keep counts), plus a small bonus for body words FlexSearch ranks early and a bonus when
 * every word is in the title (parameters `RANK` and formulas in `scoring.ts`). `rerank.ts` refines
 * the top with real counts from stored bodies.
 */
export function matchText(index: SearchIndex, groups: GroupTerm[][]): TextMatches {
  const s = scratchFor(index);
  if (groups.length === 0 || groups.some((g) => g.length === 0)) {
    return { docs: new Uint32Array(0), scores: s.scores };
  }
  s.gen = s.gen === 0x7fffffff ? 1 : s.gen + 1;
  if (s.gen === 1) s.seen.fill(0);
  const { seen, scores, inTitle, inBody, scored, bodyRank, titleGroups } = s;
  const gen = s.gen;
  const counts = s.groups;
  const { titleNorm, bodyNorm } = index;
  const { k1, titleWeight, early } = RANK;
  const out: number[] = [];
  const n = index.size;
  const limit = Math.max(n, 1);
  let idfSum = 0;
  for (let g = 0; g < groups.length; g++) {
    const isLast = g === groups.length - 1;
    let groupIdf = 0;
    for (const { term, weight, shard, df } of groups[g] as GroupTerm[]) {
      const idf = idfOf(n, df) * weight;
      if (idf > groupIdf) groupIdf = idf;
      const fields = index.flex.get(shard).search(term, { limit }) as unknown as Array<{ field: string; result: number[] }>;
      const t = (s.term = s.term === 0x7fffffff ? 1 : s.term + 1);
      if (t === 1) {
        inTitle.fill(0);
        inBody.fill(0);
        scored.fill(0);
      }
      // Pass 1: which docs match so far, and this term's evidence per field.
      for (const { field, result } of fields) {
        const isTitle = field === 'title';
        const len = result.length;
        for (let r = 0; r < len; r++) {
          const d = result[r] as number;
          let c: number;
          if (seen[d] !== gen) {
            if (g !== 0) continue; // missed an earlier term: can never match
            seen[d] = gen;
            c = 0;
            scores[d] = 0;
            titleGroups[d] = 0;
          } else {
            c = counts[d] as number;
          }
          // counts[d] = number of groups matched so far; each group counts once per doc.
          if (c === g) {
            counts[d] = g + 1;
            if (isLast) out.push(d);
          } else if (c !== g + 1) {
            continue; // missed an earlier group
          }
          if (isTitle) {
            if (inTitle[d] !== t && titleGroups[d] === g) titleGroups[d] = g + 1;
            inTitle[d] = t;
          } else {
            inBody[d] = t;
            bodyRank[d] = 1 - r / len;
          }
        }
      }
      // Pass 2: score each matching doc once for this term.
      for (const { result } of fields) {
        for (let r = 0; r < result.length; r++) {
          const d = result[r] as number;
          if (seen[d] !== gen || counts[d] !== g + 1 || scored[d] === t) continue;
          scored[d] = t;
          const bo = inBody[d] === t;
          // Counts are 0 or 1: FlexSearch says only whether a field has the word.
          const tf = fieldFrequency(inTitle[d] === t ? 1 : 0, titleNorm[d] as number, bo ? 1 : 0, bodyNorm[d] as number, titleWeight);
          scores[d] = (scores[d] as number) + idf * (saturate(tf, k1) + (bo ? early * (bodyRank[d] as number) : 0));
        }
      }
    }
    idfSum += groupIdf;
  }
  const bonus = RANK.allInTitle * idfSum;
  const G = groups.length;
  for (const d of out) if (titleGroups[d] === G) scores[d] = (scores[d] as number) + bonus;
  return { docs: Uint32Array.from(out), scores };
}

function expandPrefix(index: SearchIndex, prefix: string): GroupTerm[] {
  const [start, end] = index.termRange(prefix);
  const ids: number[] = [];
  for (let i = start; i < end; i++) ids.push(i);
  if (ids.length > MAX_PREFIX_EXPANSIONS) {
    ids.sort((a, b) => (index.df[b] as number) - (index.df[a] as number));
    ids.length = MAX_PREFIX_EXPANSIONS;
  }
  return ids.map((i) => {
    const term = index.terms[i] as string;
    return { term, weight: term === prefix ? 1 : RANK.prefixPenalty, shard: index.flex.shardOf(i), df: index.df[i] as number };
  });
}
