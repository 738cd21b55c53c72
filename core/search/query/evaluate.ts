import { lowerBound } from '../../bounds.ts';
import { tokenize } from '../../text.ts';
import { intersectGroups, scoreDocs, termGroup, TermPostings, type GroupTerm } from '../match.ts';
import type { SearchIndex } from '../search-index.ts';
import type { TermPositions } from '../../format/postings.ts';
import { forEachMatch, type MatchNode, type ParsedSearchQuery, type QueryNode, type QueryTerm } from './parse.ts';
import { difference, EMPTY, intersect, range, setOf, unionAll } from './sets.ts';

/**
 * Runs a parsed query against the index: the exact set of matching docs and their stage-1 scores.
 *
 * Matching is set algebra on sorted doc-number arrays built from FlexSearch's postings, one term at
 * a time with the whole corpus as its limit (`TermPostings`): a word is the union of its terms (the
 * analyzer's forms, a prefix's completions), AND intersects, OR unites, NOT subtracts. A phrase (or a
 * word the analyzer splits) takes the docs holding all of its words in one field, then checks each
 * candidate's title (its text, in memory) or body (its terms' positions in the `postings` part) for
 * the words adjacent and in order, as the indexer's tokenizer read them (`Phrase`): exact, at the
 * cost of reading the phrase's terms' positions in the candidates' segments. A query of plain words (every word required, no field, phrase or negation) skips the set algebra and
 * intersects with per-doc counters, as matching always did.
 *
 * Scores come from `scoreDocs` (match.ts) over the positive words only (`positiveTerms`): words under
 * a negation never score, a phrase's words score as words.
 */

export interface QueryMatches {
  /** Matching doc numbers (ascending, except for plain queries, where the order is the counters'). */
  docs: Uint32Array;
  /** Stage-1 score by doc number, valid for `docs` until the next scoring call; null without positive words. */
  scores: Float64Array | null;
}

const keyOf = (t: QueryTerm) => (t.prefix ? '*' : '=') + t.term;

/**
 * The words that score and are highlighted: every term not under a negation, once, in the order typed.
 * An exact term also typed as a prefix counts once, as the prefix (as a plain query always did).
 */
export function positiveTerms(query: ParsedSearchQuery): QueryTerm[] {
  const seen = new Set<string>();
  const out: QueryTerm[] = [];
  forEachMatch(query.root, (leaf, negated) => {
    if (negated) return;
    for (const t of leaf.terms) {
      const k = keyOf(t);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(t);
      }
    }
  });
  return out.filter((t) => t.prefix || !seen.has(`*${t.term}`));
}

/**
 * The positive words as stage 2 and snippets take them: exact terms, and one prefix (the last typed;
 * stage 2 weighs one). Other prefixes (`a* b*`) are listed apart: snippets mark their completions,
 * stage 2 leaves them to stage 1.
 */
export function rankingTerms(query: ParsedSearchQuery): { terms: string[]; prefix: string | null; otherPrefixes: string[] } {
  const pos = positiveTerms(query);
  const prefixes = pos.filter((t) => t.prefix).map((t) => t.term);
  return { terms: pos.filter((t) => !t.prefix).map((t) => t.term), prefix: prefixes.pop() ?? null, otherPrefixes: prefixes };
}

/** The terms of a conjunction of plain words (no field, phrase or negation), or null. */
function plainTerms(root: QueryNode): QueryTerm[] | null {
  const items = root.kind === 'and' ? root.children : [root];
  const out: QueryTerm[] = [];
  for (const n of items) {
    if (n.kind !== 'match' || n.field !== null || n.terms.length !== 1) return null;
    out.push(n.terms[0] as QueryTerm);
  }
  return out;
}

/**
 * The docs of `query` (its root must not be null) and their scores. `within`, when it gives a set,
 * restricts the answer to those docs (sorted: the filters), so phrases are only checked there; plain
 * queries do not ask for it (the caller filters anyway).
 */
export async function matchQuery(index: SearchIndex, query: ParsedSearchQuery, within: () => Uint32Array | null = () => null): Promise<QueryMatches> {
  const root = query.root as QueryNode;
  const run = new QueryRun(index);
  // A word typed both whole and as the prefix being typed ("pri pri") counts once, as the prefix
  // (as ranking takes it: `positiveTerms`).
  const plainAll = plainTerms(root);
  const plain = plainAll && plainAll.filter((t) => t.prefix || !plainAll.some((u) => u.prefix && u.term === t.term));
  const groupsOf = (terms: QueryTerm[]) => [...new Map(terms.map((t) => [keyOf(t), run.group(t)])).values()];
  let docs: Uint32Array;
  if (plain) {
    const groups = groupsOf(plain);
    // A word the index does not have: nothing matches, and no shard needs loading.
    if (groups.some((g) => g.length === 0)) return { docs: EMPTY, scores: null };
    await run.postings.load(groups);
    docs = intersectGroups(index, groups, run.postings);
  } else {
    const all: QueryTerm[] = [];
    forEachMatch(root, (leaf) => all.push(...leaf.terms));
    await run.postings.load(groupsOf(all));
    docs = await new Evaluator(index, run).evaluate(root, within());
  }
  const scoring = groupsOf(positiveTerms(query)).filter((g) => g.length > 0);
  return { docs, scores: scoring.length > 0 ? scoreDocs(index, scoring, docs, run.postings) : null };
}

/** Per query: each term's vocabulary terms (the analyzer's), and their postings. */
class QueryRun {
  readonly postings: TermPostings;
  private readonly groups = new Map<string, GroupTerm[]>();

  constructor(readonly index: SearchIndex) {
    this.postings = new TermPostings(index);
  }

  group(t: QueryTerm): GroupTerm[] {
    const k = keyOf(t);
    let g = this.groups.get(k);
    if (!g) {
      g = termGroup(this.index, t.term, t.prefix);
      this.groups.set(k, g);
    }
    return g;
  }
}

/** A set of docs, or (neg) every doc but those: NOT stays symbolic until something bounds it. */
interface Docs {
  docs: Uint32Array;
  neg: boolean;
}

/** How soon an AND evaluates a child: cheap positive words first, negations last (they only subtract). */
function cost(n: QueryNode): number {
  if (n.kind === 'match') return n.terms.length === 1 ? 0 : 1;
  return n.kind === 'not' ? 3 : 2;
}

class Evaluator {
  private readonly elements = new Map<string, Uint32Array>();

  constructor(
    private readonly index: SearchIndex,
    private readonly run: QueryRun,
  ) {}

  async evaluate(root: QueryNode, within: Uint32Array | null): Promise<Uint32Array> {
    const r = await this.node(root, within);
    if (r.neg) return difference(within ?? range(0, this.index.size), r.docs);
    return within ? intersect(r.docs, within) : r.docs;
  }

  /** The docs of `n`, exact within `within` (null: everywhere); outside it the answer may be wrong. */
  private async node(n: QueryNode, within: Uint32Array | null): Promise<Docs> {
    switch (n.kind) {
      case 'match':
        return { docs: await this.leaf(n, within), neg: false };
      case 'not': {
        const r = await this.node(n.child, within);
        return { docs: r.docs, neg: !r.neg };
      }
      case 'or': {
        const pos: Uint32Array[] = [];
        let negs: Uint32Array | null = null;
        for (const c of n.children) {
          const r = await this.node(c, within);
          if (!r.neg) pos.push(r.docs);
          else negs = negs === null ? r.docs : intersect(negs, r.docs);
        }
        const p = unionAll(pos, this.index.size);
        // a ∪ ¬b ∪ ¬c = ¬((b ∩ c) ∖ a)
        return negs === null ? { docs: p, neg: false } : { docs: difference(negs, p), neg: true };
      }
      case 'and': {
        const children = [...n.children].sort((a, b) => cost(a) - cost(b));
        let acc: Uint32Array | null = null;
        const negs: Uint32Array[] = [];
        for (const c of children) {
          // Later children only matter within what the earlier ones left.
          const r = await this.node(c, acc ?? within);
          if (r.neg) {
            if (acc) acc = difference(acc, r.docs);
            else negs.push(r.docs);
          } else {
            acc = acc ? intersect(acc, r.docs) : within ? intersect(r.docs, within) : r.docs;
            if (negs.length > 0) acc = difference(acc, unionAll(negs.splice(0), this.index.size));
          }
          if (acc && acc.length === 0) return { docs: EMPTY, neg: false };
        }
        // ¬a ∩ ¬b = ¬(a ∪ b)
        return acc ? { docs: acc, neg: false } : { docs: unionAll(negs, this.index.size), neg: true };
      }
    }
  }

  /** Docs with `t` (any of its vocabulary terms) in `field` (null: title or body). */
  private element(t: QueryTerm, field: MatchNode['field']): Uint32Array {
    const k = `${field ?? ''}${keyOf(t)}`;
    let docs = this.elements.get(k);
    if (!docs) {
      const { postings } = this.run;
      docs = unionAll(
        this.run.group(t).map((g) => postings.docs(g, field)),
        this.index.size,
      );
      this.elements.set(k, docs);
    }
    return docs;
  }

  private async leaf(leaf: MatchNode, within: Uint32Array | null): Promise<Uint32Array> {
    if (leaf.terms.length === 1) return this.element(leaf.terms[0] as QueryTerm, leaf.field);
    // A phrase lies within one field: its candidates per field hold all of its words in that field.
    const inTitle = leaf.field === 'body' ? EMPTY : this.candidates(leaf, 'title', within);
    const inBody = leaf.field === 'title' ? EMPTY : this.candidates(leaf, 'body', within);
    if (inTitle.length === 0 && inBody.length === 0) return EMPTY;
    return this.verifyPhrase(leaf, inTitle, inBody);
  }

  /** Docs holding every word of the phrase in `field` (smallest set first), within `within`. */
  private candidates(leaf: MatchNode, field: 'title' | 'body', within: Uint32Array | null): Uint32Array {
    const sets = leaf.terms.map((t) => this.element(t, field)).sort((a, b) => a.length - b.length);
    let out = within ? intersect(sets[0] as Uint32Array, within) : (sets[0] as Uint32Array);
    for (let i = 1; i < sets.length && out.length > 0; i++) out = intersect(out, sets[i] as Uint32Array);
    return out;
  }

  /**
   * The candidates whose title (`inTitle`) or body (`inBody`) holds the phrase's terms adjacent and
   * in order, each position matching one of its word's vocabulary terms, as the indexer's tokenizer
   * read them: bodies from the terms' body positions in the `postings` part (read by byte range for
   * the candidates' segments only; no text is read or analyzed), titles from their text, which is in
   * memory.
   */
  private async verifyPhrase(leaf: MatchNode, inTitle: Uint32Array, inBody: Uint32Array): Promise<Uint32Array> {
    const phrase = new Phrase(leaf.terms.map((t) => new Set(this.run.group(t).map((g) => g.term))));
    const hits: number[] = [];
    for (const d of inTitle) if (phrase.inText(this.index.titles[d] as string)) hits.push(d);
    if (inBody.length > 0) {
      const { segOf, rowOf } = this.index.layout;
      const segs = new Set<number>();
      for (const d of inBody) segs.add(segOf[d] as number);
      const positions = await this.index.postings.positions([...segs], [...new Set(phrase.sets.flatMap((set) => [...set]))]);
      for (const d of inBody) {
        if (phrase.inBody(positions.get(segOf[d] as number), rowOf[d] as number)) hits.push(d);
      }
    }
    return setOf([hits], this.index.size);
  }
}

/**
 * A phrase as sets of index terms, one per position, and how to find it in a body (from its terms'
 * positions) or in a title's text.
 */
export class Phrase {
  constructor(readonly sets: ReadonlyArray<ReadonlySet<string>>) {}

  /** Whether row `row` of a segment (whose terms' positions are `positions`) has the phrase in its body. */
  inBody(positions: ReadonlyMap<string, TermPositions> | undefined, row: number): boolean {
    if (!positions) return false;
    // Per phrase position, the body positions of any of its terms in this row.
    const at: Array<Set<number>> = [];
    let first: number[] = [];
    for (let j = 0; j < this.sets.length; j++) {
      const here = new Set<number>();
      for (const term of this.sets[j] as ReadonlySet<string>) {
        const tp = positions.get(term);
        if (!tp) continue;
        const i = lowerBound(tp.rows, row);
        if (tp.rows[i] !== row) continue;
        for (let k = i === 0 ? 0 : (tp.ends[i - 1] as number); k < (tp.ends[i] as number); k++) here.add(tp.pos[k] as number);
      }
      if (here.size === 0) return false;
      if (j === 0) first = [...here];
      at.push(here);
    }
    outer: for (const p of first) {
      for (let j = 1; j < at.length; j++) if (!(at[j] as Set<number>).has(p + j)) continue outer;
      return true;
    }
    return false;
  }

  /** Whether `text` holds the phrase, as the indexer's tokenizer reads it. */
  inText(text: string): boolean {
    return hasSequence(tokenize(text), this.sets);
  }
}

/** Whether some tokens[i … i + k − 1] match sets[0 … k − 1] position by position. */
export function hasSequence(tokens: readonly string[], sets: ReadonlyArray<ReadonlySet<string>>): boolean {
  const k = sets.length;
  const first = sets[0] as ReadonlySet<string>;
  outer: for (let i = 0; i + k <= tokens.length; i++) {
    if (!first.has(tokens[i] as string)) continue;
    for (let j = 1; j < k; j++) if (!(sets[j] as ReadonlySet<string>).has(tokens[i + j] as string)) continue outer;
    return true;
  }
  return false;
}
