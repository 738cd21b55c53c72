import type { ParsedQuery } from '../text.ts';
import type { SearchIndex } from './search-index.ts';

/** Most expansions of a trailing prefix, by document frequency; keeps "a" from meaning every word. */
export const MAX_PREFIX_EXPANSIONS = 128;
const TITLE_WEIGHT = 2;
const PREFIX_PENALTY = 0.9;

export interface TextMatches {
  /** Matching doc numbers, unordered. */
  docs: Uint32Array;
  /** Score by doc number; valid only for `docs`, and only until the next `matchText` call. */
  scores: Float64Array;
}

/** Per-index scratch space, reused across calls: matching is synchronous, so calls never overlap. */
const scratch = new WeakMap<SearchIndex, { seen: Int32Array; groups: Uint16Array; scores: Float64Array; gen: number }>();

/**
 * Exact boolean matching: every exact term and (when present) the prefix must occur in the title or
 * the body. FlexSearch is asked one term at a time for all of its hits, so nothing is lost to a limit,
 * and the intersection across terms and fields is done here with per-doc counters.
 *
 * Score: for each term, IDF × (title hit ? 2 : 0) + IDF × (1 + 0.5 × how early FlexSearch ranks the
 * body hit), summed over terms. FlexSearch's order within a field reflects where the term occurs.
 */
export interface GroupTerm {
  term: string;
  weight: number;
  shard: number;
}

/**
 * The query as groups of vocabulary terms: one group per exact term (empty if unknown), plus the
 * prefix's expansions. `shardsOf` lists the FlexSearch shards to load before `matchText`.
 */
export function planQuery(index: SearchIndex, query: ParsedQuery): GroupTerm[][] {
  const groups = query.terms.map((t) => {
    const i = index.termIndex(t);
    return i < 0 ? [] : [{ term: t, weight: 1, shard: index.flex.shardOf(i) }];
  });
  if (query.prefix !== null) groups.push(expandPrefix(index, query.prefix));
  return groups;
}

export function shardsOf(groups: GroupTerm[][]): number[] {
  // An empty group means no match at all: nothing needs loading.
  if (groups.length === 0 || groups.some((g) => g.length === 0)) return [];
  return [...new Set(groups.flat().map((g) => g.shard))];
}

export function matchText(index: SearchIndex, groups: GroupTerm[][]): TextMatches {
  let s = scratch.get(index);
  if (!s) {
    s = { seen: new Int32Array(index.size), groups: new Uint16Array(index.size), scores: new Float64Array(index.size), gen: 0 };
    scratch.set(index, s);
  }
  if (groups.length === 0 || groups.some((g) => g.length === 0)) {
    return { docs: new Uint32Array(0), scores: s.scores };
  }
  s.gen = s.gen === 0x7fffffff ? 1 : s.gen + 1;
  if (s.gen === 1) s.seen.fill(0);
  const { seen, scores } = s;
  const gen = s.gen;
  const counts = s.groups;
  const out: number[] = [];
  const n = index.size;
  const limit = Math.max(n, 1);
  for (let g = 0; g < groups.length; g++) {
    const isLast = g === groups.length - 1;
    for (const { term, weight, shard } of groups[g] as GroupTerm[]) {
      const df = index.docFrequency(term);
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5)) * weight;
      const fields = index.flex.get(shard).search(term, { limit }) as unknown as Array<{ field: string; result: number[] }>;
      for (const { field, result } of fields) {
        const len = result.length;
        // Title hits weigh TITLE_WEIGHT; body hits 1.5 down to 1 by FlexSearch's rank.
        const base = field === 'title' ? idf * TITLE_WEIGHT : idf * 1.5;
        const step = field === 'title' ? 0 : (idf * 0.5) / len;
        for (let r = 0; r < len; r++) {
          const d = result[r] as number;
          let c: number;
          if (seen[d] !== gen) {
            if (g !== 0) continue; // missed an earlier term: can never match
            seen[d] = gen;
            c = 0;
            scores[d] = 0;
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
          scores[d] = (scores[d] as number) + base - step * r;
        }
      }
    }
  }
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
    return { term, weight: term === prefix ? 1 : PREFIX_PENALTY, shard: index.flex.shardOf(i) };
  });
}
