import type { FlexField } from '../flex.ts';
import type { ParsedQuery } from '../text.ts';
import { fieldFrequency, idf as idfOf, RANK, saturate } from './scoring.ts';
import type { SearchIndex } from './search-index.ts';
import { referenceDf, wordForms } from './forms.ts';
import { setOf } from './query/sets.ts';
import type { FieldHits, LoadedTerm } from './postings-store.ts';

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
  /** Document frequency, looked up once while planning. */
  df: number;
}

/**
 * The vocabulary terms one query term stands for, weighted: the word and its other forms, and for a
 * prefix its completions (`wordForms` in forms.ts, the analyzer's). Empty when the index has none.
 * Matching takes any of them; scoring weighs them. The query language (query/) and plain queries
 * both turn terms into vocabulary terms here.
 */
export function termGroup(index: SearchIndex, term: string, prefix: boolean): GroupTerm[] {
  return prefix ? wordForms(index, term, MAX_PREFIX_EXPANSIONS) : wordForms(index, term);
}

/**
 * The query as groups of vocabulary terms: one group per word (its other forms included, empty if
 * unknown), plus the prefix's forms and expansions, weighted (`wordForms` in forms.ts). It also
 * lists the terms whose postings `TermPostings.load` reads before `matchText`.
 */
export function planQuery(index: SearchIndex, query: ParsedQuery): GroupTerm[][] {
  const groups = query.terms.map((t) => termGroup(index, t, false));
  if (query.prefix !== null) groups.push(termGroup(index, query.prefix, true));
  return groups;
}


/**
 * One query's postings: each vocabulary term's hits, merged across segments (`PostingsStore.hits`), all
 * of them (nothing is lost to a limit), kept for matching and scoring. `load` fetches the postings of
 * the query's terms and holds them for the query, whatever the cache evicts meanwhile.
 */
export class TermPostings {
  private readonly hits = new Map<string, FieldHits>();
  private readonly sets = new Map<string, Uint32Array>();
  private readonly held = new Map<string, LoadedTerm>();

  constructor(private readonly index: SearchIndex) {}

  /** Loads (and holds) the postings of these groups' terms. */
  async load(groups: GroupTerm[][]): Promise<void> {
    const want = [...new Set(groups.flat().map((g) => g.term))].filter((t) => !this.held.has(t));
    for (const [t, loaded] of await this.index.postings.load(want)) this.held.set(t, loaded);
  }

  /** FlexSearch's hits for `t`, per field, in its rank order (never modify them). Its postings must be loaded (`load`). */
  hitsOf(t: GroupTerm): FieldHits {
    let h = this.hits.get(t.term);
    if (!h) {
      const loaded = this.held.get(t.term);
      if (!loaded) throw new Error(`the postings of ${JSON.stringify(t.term)} are not loaded`);
      h = this.index.postings.hits(loaded);
      this.hits.set(t.term, h);
    }
    return h;
  }

  /** The docs of `t` in `field` (null: title or body), as a sorted set. */
  docs(t: GroupTerm, field: FlexField | null): Uint32Array {
    const key = `${field ?? ''}:${t.term}`;
    let d = this.sets.get(key);
    if (!d) {
      const lists = this.hitsOf(t)
        .filter((h) => field === null || h.field === field)
        .map((h) => h.result);
      d = setOf(lists, this.index.size);
      this.sets.set(key, d);
    }
    return d;
  }
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
  /** Per doc, for the group being scored (stamped `inGroup`): best weight in title and body, best weighted early rank, score so far. */
  group: number;
  inGroup: Int32Array;
  /** Stamped with the group when the doc's title has one of its terms. */
  titleInGroup: Int32Array;
  titleW: Float32Array;
  bodyW: Float32Array;
  earlyW: Float32Array;
  groupScore: Float64Array;
  /** Σ over groups of IDF × best title weight: the all-in-title bonus. */
  titleBonus: Float64Array;
  /** Groups the doc has as typed (a weight-1 term): a doc short of any is scored down. */
  exactGroups: Uint16Array;
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
      group: 0,
      inGroup: new Int32Array(n),
      titleInGroup: new Int32Array(n),
      titleW: new Float32Array(n),
      bodyW: new Float32Array(n),
      earlyW: new Float32Array(n),
      groupScore: new Float64Array(n),
      titleBonus: new Float64Array(n),
      exactGroups: new Uint16Array(n),
    };
    scratch.set(index, s);
  }
  return s;
}

/** A fresh generation of `seen`: docs stamped with it are the ones this call is about. */
function nextGen(s: Scratch): number {
  s.gen = s.gen === 0x7fffffff ? 1 : s.gen + 1;
  if (s.gen === 1) s.seen.fill(0);
  return s.gen;
}

/**
 * Exact boolean matching: every exact term and (when present) the prefix must occur in the title or
 * the body (`intersectGroups`), then `scoreDocs`. The query language (query/evaluate.ts) matches
 * anything else and scores with the same `scoreDocs`.
 */
export function matchText(index: SearchIndex, groups: GroupTerm[][], postings: TermPostings): TextMatches {
  const s = scratchFor(index);
  if (groups.length === 0 || groups.some((g) => g.length === 0)) {
    return { docs: new Uint32Array(0), scores: s.scores };
  }
  const docs = intersectGroups(index, groups, postings);
  return { docs, scores: scoreDocs(index, groups, docs, postings) };
}

/**
 * The docs holding a term of every group, in the title or the body. FlexSearch is asked one term at
 * a time for all of its hits, so nothing is lost to a limit, and the intersection across terms and
 * fields is done here with per-doc counters. Unordered.
 */
export function intersectGroups(index: SearchIndex, groups: GroupTerm[][], postings: TermPostings): Uint32Array {
  const s = scratchFor(index);
  const gen = nextGen(s);
  const { seen } = s;
  const counts = s.groups;
  const out: number[] = [];
  for (let g = 0; g < groups.length; g++) {
    const isLast = g === groups.length - 1;
    for (const t of groups[g] as GroupTerm[]) {
      for (const { result } of postings.hitsOf(t)) {
        for (let r = 0; r < result.length; r++) {
          const d = result[r] as number;
          let c: number;
          if (seen[d] !== gen) {
            if (g !== 0) continue; // missed an earlier term: can never match
            seen[d] = gen;
            c = 0;
          } else {
            c = counts[d] as number;
          }
          // counts[d] = number of groups matched so far; each group counts once per doc.
          if (c === g) {
            counts[d] = g + 1;
            if (isLast) out.push(d);
          }
        }
      }
    }
  }
  return Uint32Array.from(out);
}

/**
 * Stage 1 of ranking, no article text needed: the score of each of `docs` (matched by whatever
 * means) for the query words `groups`, one group per word; a doc scores for the words it has.
 * BM25F over title and body with field-length normalization, where the title frequency is taken as 1
 * and the body frequency as 1 (FlexSearch does not keep counts), plus a small bonus for body words
 * FlexSearch ranks early and a bonus when every word the doc has is in its title (parameters `RANK`
 * and formulas in `scoring.ts`). `rerank.ts` refines the top with real counts from stored bodies.
 *
 * A word's terms (itself, other forms, completions) share one IDF (`referenceDf`) and count by
 * weight: per field, the heaviest of the word's terms the doc has stands for the word, so a doc with
 * the word itself outranks one with only another form or a completion, and many completions never
 * add up to more than one word.
 *
 * Returns the scratch score array, indexed by doc number: valid for `docs`, and only until the next
 * call on this index.
 */
export function scoreDocs(index: SearchIndex, groups: GroupTerm[][], docs: Uint32Array, postings: TermPostings): Float64Array {
  const s = scratchFor(index);
  const gen = nextGen(s);
  const { seen, scores, inTitle, inBody, scored, bodyRank, titleGroups, inGroup, titleInGroup, titleW, bodyW, earlyW, groupScore, titleBonus, exactGroups } = s;
  // counts[d]: groups the doc has a term of; titleGroups[d]: groups it has one in its title.
  const counts = s.groups;
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i] as number;
    seen[d] = gen;
    scores[d] = 0;
    counts[d] = 0;
    titleGroups[d] = 0;
    titleBonus[d] = 0;
    exactGroups[d] = 0;
  }
  const { titleNorm, bodyNorm } = index;
  const { k1, titleWeight, early } = RANK;
  const n = index.size;
  for (let g = 0; g < groups.length; g++) {
    const idf = idfOf(n, referenceDf(groups[g] as GroupTerm[]));
    const grp = (s.group = s.group === 0x7fffffff ? 1 : s.group + 1);
    if (grp === 1) {
      inGroup.fill(0);
      titleInGroup.fill(0);
    }
    for (const gt of groups[g] as GroupTerm[]) {
      const { weight } = gt;
      const fields = postings.hitsOf(gt);
      const t = (s.term = s.term === 0x7fffffff ? 1 : s.term + 1);
      if (t === 1) {
        inTitle.fill(0);
        inBody.fill(0);
        scored.fill(0);
      }
      // Pass 1: this term's evidence per field.
      for (const { field, result } of fields) {
        const isTitle = field === 'title';
        const len = result.length;
        for (let r = 0; r < len; r++) {
          const d = result[r] as number;
          if (seen[d] !== gen) continue;
          if (isTitle) {
            if (titleInGroup[d] !== grp) {
              titleInGroup[d] = grp;
              titleGroups[d] = (titleGroups[d] as number) + 1;
            }
            inTitle[d] = t;
          } else {
            inBody[d] = t;
            bodyRank[d] = 1 - r / len;
          }
        }
      }
      // Pass 2: re-score each doc once for this term: the word's best weight per field so far.
      for (const { result } of fields) {
        for (let r = 0; r < result.length; r++) {
          const d = result[r] as number;
          if (seen[d] !== gen || scored[d] === t) continue;
          scored[d] = t;
          if (inGroup[d] !== grp) {
            inGroup[d] = grp;
            counts[d] = (counts[d] as number) + 1;
            titleW[d] = 0;
            bodyW[d] = 0;
            earlyW[d] = 0;
            groupScore[d] = 0;
          }
          if ((titleW[d] as number) >= 1 || (bodyW[d] as number) >= 1) {
            // The doc has the word as typed (a group's terms come heaviest first): its other forms and
            // completions add nothing, so an exact match scores as if there were no stemming.
            if (weight < 1) continue;
          } else if (weight >= 1) {
            exactGroups[d] = (exactGroups[d] as number) + 1;
          }
          if (inTitle[d] === t && weight > (titleW[d] as number)) {
            titleBonus[d] = (titleBonus[d] as number) + idf * (weight - (titleW[d] as number));
            titleW[d] = weight;
          }
          if (inBody[d] === t) {
            if (weight > (bodyW[d] as number)) bodyW[d] = weight;
            const e = weight * (bodyRank[d] as number);
            if (e > (earlyW[d] as number)) earlyW[d] = e;
          }
          // Counts are 0 or 1 (FlexSearch says only whether a field has the term), times the weight.
          const tf = fieldFrequency(titleW[d] as number, titleNorm[d] as number, bodyW[d] as number, bodyNorm[d] as number, titleWeight);
          const score = idf * (saturate(tf, k1) + early * (earlyW[d] as number));
          scores[d] = (scores[d] as number) + score - (groupScore[d] as number);
          groupScore[d] = score;
        }
      }
    }
  }
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i] as number;
    const c = counts[d] as number;
    if (c > 0 && titleGroups[d] === c) scores[d] = (scores[d] as number) + RANK.allInTitle * (titleBonus[d] as number);
    // A word only as another form or a completion: exact matches lead (forms.ts).
    if (exactGroups[d] !== c) scores[d] = (scores[d] as number) * RANK.inexactFactor;
  }
  return scores;
}
