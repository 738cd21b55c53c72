import { tokenize } from '../../core/text.ts';
import type { EvalDoc, Labels } from './corpus.ts';
import { CATEGORY_QUERIES, placeQuery, TYPED_TOPICS } from './topics.ts';
import { prng, shuffled } from '../../tools/random.ts';
import { contentWords } from './words.ts';

/**
 * The query sets. Known-item sets (`title`, `body`) have one target article (plus its duplicates);
 * topical sets (`category`, `place`, `typed`) have every article Reuters labelled with the topic.
 * `typed` is evaluated as typed into a search box, without a trailing space: the last word is still
 * being typed, and a prefix of other words ("gold" of golden, Goldsil).
 */
export const SETS = ['title', 'body', 'category', 'place', 'typed'] as const;
export type SetName = (typeof SETS)[number];
export const KNOWN_ITEM: ReadonlySet<SetName> = new Set(['title', 'body']);

export interface EvalQuery {
  set: SetName;
  /** Lower-case query words, in order. */
  words: string[];
  /** Known-item: the target article's id. Topical: the label ("coffee", "west-germany"). */
  key: string;
  /** Ids judged relevant. */
  relevant: ReadonlySet<string>;
  /** As typed: the last word may be incomplete (engines that can, match it as a prefix). */
  typed?: boolean;
}

export interface QueryOptions {
  sample: number;
  seed: number;
  /** Topical sets: only labels on at least this many indexed Reuters articles. */
  minLabelled: number;
}

const MIN_BODY_WORDS = 30;

export function generateQueries(docs: readonly EvalDoc[], labels: ReadonlyMap<string, Labels>, o: QueryOptions): EvalQuery[] {
  const reuters = docs.filter((d) => labels.has(d.id));
  return [...titleQueries(docs, reuters, o), ...bodyQueries(docs, reuters, o), ...topicalQueries(reuters, labels, o), ...typedQueries(docs, reuters, labels, o)];
}

/** A last word is a common prefix when longer words starting with it are in at least this many articles. */
export const MIN_COMPLETION_DF = 10;

/**
 * The `typed` set: topic names of one or two words as a reader types them, judged by Reuters' topic
 * labels (not by any engine's matching): single words that name a topic or commodity ("gold",
 * "coffee", "oil"), and two-word topic names whose last word is a common prefix ("natural gas", with
 * gasoline; "crude oil", with oilseeds). Only queries whose last word has completions in at least
 * `MIN_COMPLETION_DF` articles, and topics with at least `minLabelled` articles.
 */
function typedQueries(all: readonly EvalDoc[], reuters: readonly EvalDoc[], labels: ReadonlyMap<string, Labels>, o: QueryOptions): EvalQuery[] {
  const byCategory = new Map<string, Set<string>>();
  for (const d of reuters) for (const c of (labels.get(d.id) as Labels).categories) (byCategory.get(c) ?? byCategory.set(c, new Set()).get(c))?.add(d.id);
  // Document frequency of every word, for "is the last word a common prefix".
  const df = new Map<string, number>();
  for (const d of all) for (const w of new Set(tokenize(`${d.title} ${d.body}`))) df.set(w, (df.get(w) ?? 0) + 1);
  const words = [...df.keys()].sort();
  const completionDf = (prefix: string) => {
    let sum = 0;
    let lo = 0;
    let hi = words.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((words[mid] as string) < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < words.length && (words[i] as string).startsWith(prefix); i++) if (words[i] !== prefix) sum += df.get(words[i] as string) as number;
    return sum;
  };
  const out: EvalQuery[] = [];
  for (const [q, codes] of Object.entries(TYPED_TOPICS)) {
    const relevant = new Set(codes.flatMap((c) => [...(byCategory.get(c) ?? [])]));
    const w = tokenize(q);
    if (relevant.size < o.minLabelled || w.length === 0 || completionDf(w[w.length - 1] as string) < MIN_COMPLETION_DF) continue;
    out.push({ set: 'typed', words: w, key: codes.join('+'), relevant, typed: true });
  }
  return out;
}

/** Ids grouped by a key, so "any article with the same title (or body) counts". */
function groupBy(docs: readonly EvalDoc[], key: (d: EvalDoc) => string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of docs) {
    const k = key(d);
    const list = out.get(k);
    if (list) list.push(d.id);
    else out.set(k, [d.id]);
  }
  return out;
}

const titleKey = (d: EvalDoc) => tokenize(d.title).join(' ');
const bodyKey = (d: EvalDoc) => tokenize(d.body).join(' ');

/** Up to 4 distinct content words of the title, a random subset kept in title order; titles with < 2 are skipped. */
function titleQueries(all: readonly EvalDoc[], pool: readonly EvalDoc[], o: QueryOptions): EvalQuery[] {
  const rand = prng(o.seed);
  const sameTitle = groupBy(all, titleKey);
  const out: EvalQuery[] = [];
  for (const d of shuffled(rand, pool)) {
    if (out.length >= o.sample) break;
    const words = [...new Set(contentWords(d.title))];
    if (words.length < 2) continue;
    const keep = new Set(shuffled(rand, [...words.keys()]).slice(0, 4));
    out.push({
      set: 'title',
      words: words.filter((_, i) => keep.has(i)),
      key: d.id,
      relevant: new Set(sameTitle.get(titleKey(d))),
    });
  }
  return out;
}

/**
 * 3 to 5 consecutive content words (distinct) starting in the middle third of the body. Bodies with
 * fewer than 30 content words are skipped. Duplicates of the article (same body) count as hits.
 */
function bodyQueries(all: readonly EvalDoc[], pool: readonly EvalDoc[], o: QueryOptions): EvalQuery[] {
  const rand = prng(o.seed ^ 0x9e3779b9);
  const sameBody = groupBy(all, bodyKey);
  const out: EvalQuery[] = [];
  for (const d of shuffled(rand, pool)) {
    if (out.length >= o.sample) break;
    const words = contentWords(d.body);
    const n = words.length;
    if (n < MIN_BODY_WORDS) continue;
    const k = 3 + Math.floor(rand() * 3);
    const start = Math.floor(n / 3 + rand() * (n / 3 - k));
    const picked = [...new Set(words.slice(start, start + k))];
    if (picked.length < 3) continue;
    out.push({ set: 'body', words: picked, key: d.id, relevant: new Set(sameBody.get(bodyKey(d))) });
  }
  return out;
}

/** One query per category / place with enough labelled articles, in descending order of size. */
function topicalQueries(reuters: readonly EvalDoc[], labels: ReadonlyMap<string, Labels>, o: QueryOptions): EvalQuery[] {
  const byCategory = new Map<string, Set<string>>();
  const byPlace = new Map<string, Set<string>>();
  const add = (m: Map<string, Set<string>>, k: string, id: string) => (m.get(k) ?? m.set(k, new Set()).get(k))?.add(id);
  for (const d of reuters) {
    const l = labels.get(d.id) as Labels;
    for (const c of l.categories) add(byCategory, c, d.id);
    for (const p of l.places) add(byPlace, p, d.id);
  }
  const out: EvalQuery[] = [];
  const emit = (set: SetName, m: Map<string, Set<string>>, words: (k: string) => string | undefined) => {
    for (const [k, ids] of [...m].sort((a, b) => b[1].size - a[1].size || (a[0] < b[0] ? -1 : 1))) {
      const q = words(k);
      if (ids.size < o.minLabelled || q === undefined) continue;
      out.push({ set, words: tokenize(q), key: k, relevant: ids });
    }
  };
  emit('category', byCategory, (k) => CATEGORY_QUERIES[k]);
  emit('place', byPlace, placeQuery);
  return out;
}

/** Categories with enough articles but no query words in CATEGORY_QUERIES (reported, not silently dropped). */
export function unmappedCategories(reuters: readonly EvalDoc[], labels: ReadonlyMap<string, Labels>, minLabelled: number): string[] {
  const counts = new Map<string, number>();
  for (const d of reuters) for (const c of labels.get(d.id)?.categories ?? []) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts].filter(([c, n]) => n >= minLabelled && CATEGORY_QUERIES[c] === undefined).map(([c]) => c);
}
