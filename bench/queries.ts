import { formatDay } from '../core/dates.ts';
import { facetValues, readMeta } from './bundle-read.ts';
import { pick, prng, shuffled } from '../tools/random.ts';

/**
 * The query mix, generated from the bundle with a seeded PRNG: the same bundle gives the same
 * queries on every run and machine. Words come from article titles (so every query has hits, and
 * popular title words come up more often), persons and locations from the facet values of those
 * articles (so common values come up more often, as in real use).
 *
 * Complete words are sent with a trailing space, which our API reads as "this word is finished"
 * (exact match); only the `prefix` class ends in a partial word, which we expand as a prefix.
 */
export const QUERY_CLASSES = ['plain', 'prefix', 'two-word', 'person', 'location', 'date-range', 'sort-date', 'page-5'] as const;
export type QueryClass = (typeof QUERY_CLASSES)[number];

export interface BenchQuery {
  cls: QueryClass;
  /** Words that must match exactly (folded, lower case). */
  terms: string[];
  /** Trailing partial word, matched as a prefix. */
  prefix: string | null;
  person: string | null;
  location: string | null;
  /** Inclusive UTC day numbers, and the same as `YYYY-MM-DD`. */
  fromDay: number | null;
  toDay: number | null;
  sort: 'relevance' | 'date';
  page: number;
  /** Hits per page (the API default). */
  limit: number;
  /** The raw query string our API receives. */
  qs: string;
}

const STOP = new Set(
  'the and for with from that this its are was were has have had not but into over under after says said will would new say sees set sets pct mln dlrs cts'.split(' '),
);
const PAGE5_MIN_DF = 60;

export async function generateQueries(bundleDir: string, perClass: number, seed = 0x5eed): Promise<BenchQuery[]> {
  const { meta, vocab } = await readMeta(bundleDir);
  const df = new Map<string, number>();
  vocab.terms.forEach((t, i) => df.set(t, vocab.df[i] as number));
  const n = meta.ids.length;
  const wordsOf = (doc: number): string[] => {
    const words = (meta.titles[doc] ?? '').toLowerCase().match(/[a-z]+/g) ?? [];
    return [...new Set(words)].filter((w) => w.length >= 3 && !STOP.has(w) && (df.get(w) ?? 0) >= 2);
  };
  const withPeople = [...Array(n).keys()].filter((d) => meta.people.offsets[d + 1]! > meta.people.offsets[d]!);
  const withPlaces = [...Array(n).keys()].filter((d) => meta.locations.offsets[d + 1]! > meta.locations.offsets[d]!);
  const all = [...Array(n).keys()];

  const out: BenchQuery[] = [];
  QUERY_CLASSES.forEach((cls, ci) => {
    const rand = prng(seed + ci * 7919);
    // A doc from `pool` whose title yields words passing `ok`; gives up after many tries.
    const draw = (pool: number[], ok: (w: string[]) => boolean): { doc: number; words: string[] } => {
      for (let tries = 0; tries < 5000; tries++) {
        const doc = pick(rand, pool);
        const words = wordsOf(doc);
        if (words.length > 0 && ok(words)) return { doc, words };
      }
      throw new Error(`could not generate a ${cls} query from this corpus`);
    };
    for (let i = 0; i < perClass; i++) {
      const q: BenchQuery = { cls, terms: [], prefix: null, person: null, location: null, fromDay: null, toDay: null, sort: 'relevance', page: 1, limit: 10, qs: '' };
      if (cls === 'prefix') {
        const { words } = draw(all, (w) => w.some((x) => x.length >= 5));
        const long = pick(rand, words.filter((x) => x.length >= 5));
        const others = words.filter((x) => x !== long);
        if (others.length > 0) q.terms = [pick(rand, others)];
        q.prefix = long.slice(0, 3 + Math.floor(rand() * 2));
      } else if (cls === 'two-word') {
        const { words } = draw(all, (w) => w.length >= 2);
        const [a, b] = shuffled(rand, words);
        q.terms = [a as string, b as string];
      } else if (cls === 'person' || cls === 'location') {
        const { doc, words } = draw(cls === 'person' ? withPeople : withPlaces, () => true);
        q.terms = [pick(rand, words)];
        const values = facetValues(cls === 'person' ? meta.people : meta.locations, doc);
        q[cls] = pick(rand, values);
      } else if (cls === 'date-range') {
        const { doc, words } = draw(all, () => true);
        q.terms = [pick(rand, words)];
        // A window of 1 to 61 days around the article's own day, so it always has a hit.
        q.fromDay = (meta.days[doc] as number) - Math.floor(rand() * 16);
        q.toDay = (meta.days[doc] as number) + Math.floor(rand() * 46);
      } else if (cls === 'page-5') {
        const { words } = draw(all, (w) => w.some((x) => (df.get(x) as number) >= PAGE5_MIN_DF));
        q.terms = [pick(rand, words.filter((x) => (df.get(x) as number) >= PAGE5_MIN_DF))];
        q.page = 5;
      } else {
        const { words } = draw(all, () => true);
        q.terms = [pick(rand, words)];
        if (cls === 'sort-date') q.sort = 'date';
      }
      q.qs = queryString(q);
      out.push(q);
    }
  });
  return out;
}

export function queryString(q: BenchQuery): string {
  const p = new URLSearchParams();
  p.set('q', q.terms.join(' ') + (q.prefix !== null ? (q.terms.length ? ' ' : '') + q.prefix : ' '));
  if (q.person) p.append('person', q.person);
  if (q.location) p.append('location', q.location);
  if (q.fromDay !== null) p.set('from', formatDay(q.fromDay));
  if (q.toDay !== null) p.set('to', formatDay(q.toDay));
  if (q.sort !== 'relevance') p.set('sort', q.sort);
  if (q.page !== 1) p.set('page', String(q.page));
  return p.toString();
}

/**
 * Search-box requests, measured for our API only (no peer has the same endpoints): `suggest` is
 * `GET /suggest` for the first 1 to 4 letters of a title word, person or place, as typed key by key;
 * `typo` is a search for a title word with one letter dropped, changed or swapped (a word the index
 * does not know), which runs the did-you-mean correction and answers the corrected query.
 */
export const BOX_CLASSES = ['suggest', 'typo'] as const;
export type BoxClass = (typeof BOX_CLASSES)[number];

export interface BoxQuery {
  cls: BoxClass;
  path: '/suggest' | '/search';
  qs: string;
}

export async function generateBoxQueries(bundleDir: string, perClass: number, seed = 0xb0c5): Promise<BoxQuery[]> {
  const { meta, vocab } = await readMeta(bundleDir);
  const known = new Set(vocab.terms);
  const n = meta.ids.length;
  const titleWords = (doc: number) => ((meta.titles[doc] ?? '').toLowerCase().match(/[a-z]+/g) ?? []).filter((w) => w.length >= 5 && known.has(w));
  const rand = prng(seed);
  const suggest: BoxQuery[] = [];
  const typos: BoxQuery[] = [];
  for (let tries = 0; suggest.length < perClass && tries < perClass * 100; tries++) {
    const doc = Math.floor(rand() * n);
    const names = [...facetValues(meta.people, doc), ...facetValues(meta.locations, doc)].flatMap((v) => v.toLowerCase().match(/[a-z]+/g) ?? []);
    const words = [...titleWords(doc), ...names];
    if (words.length === 0) continue;
    const word = pick(rand, words);
    suggest.push({ cls: 'suggest', path: '/suggest', qs: new URLSearchParams({ q: word.slice(0, 1 + Math.floor(rand() * 4)) }).toString() });
  }
  const alphabet = 'abcdefghijklmnopqrstuvwxyz';
  for (let tries = 0; typos.length < perClass && tries < perClass * 100; tries++) {
    const words = titleWords(Math.floor(rand() * n));
    if (words.length === 0) continue;
    const w = pick(rand, words);
    const i = 1 + Math.floor(rand() * (w.length - 2)); // never the first letter: people get that right
    const edit = Math.floor(rand() * 3);
    const typo =
      edit === 0 ? w.slice(0, i) + w.slice(i + 1)
      : edit === 1 ? w.slice(0, i) + pick(rand, [...alphabet].filter((c) => c !== w[i])) + w.slice(i + 1)
      : w.slice(0, i) + (w[i + 1] ?? '') + w[i] + w.slice(i + 2);
    if (known.has(typo)) continue;
    typos.push({ cls: 'typo', path: '/search', qs: new URLSearchParams({ q: `${typo} ` }).toString() });
  }
  if (suggest.length < perClass || typos.length < perClass) throw new Error('could not generate search-box queries from this corpus');
  return [...suggest, ...typos];
}

/**
 * Query-language classes, ours only (the peers have no such syntax, so they never get these; they
 * stay out of the "overall" mix the peers are compared on). Generated from titles like the plain
 * classes: `phrase` is two adjacent title words as a quoted phrase (`"oil prices"`); `boolean`
 * cycles through `a OR b` (two words of one title), `a -b` (b from another title) and
 * `(a OR b) -c`. Sent as `GET /search` with the same defaults (10 hits, snippets, facets).
 */
export const OPERATOR_CLASSES = ['phrase', 'boolean'] as const;
export type OperatorClass = (typeof OPERATOR_CLASSES)[number];

export interface OperatorQuery {
  cls: OperatorClass;
  path: '/search';
  /** The `q` parameter as sent. */
  q: string;
  qs: string;
}

export async function generateOperatorQueries(bundleDir: string, perClass: number, seed = 0x0b5e): Promise<OperatorQuery[]> {
  const { meta, vocab } = await readMeta(bundleDir);
  const df = new Map<string, number>();
  vocab.terms.forEach((t, i) => df.set(t, vocab.df[i] as number));
  const n = meta.ids.length;
  const rand = prng(seed);
  // Title tokens in order (letters and digits), for adjacency; words as the plain classes take them.
  const tokens = (doc: number): string[] => (meta.titles[doc] ?? '').toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const words = (doc: number): string[] =>
    [...new Set(tokens(doc))].filter((w) => /^[a-z]+$/.test(w) && w.length >= 3 && !STOP.has(w) && (df.get(w) ?? 0) >= 2);
  const make = (cls: OperatorClass, q: string): OperatorQuery => ({ cls, path: '/search', q, qs: new URLSearchParams({ q }).toString() });
  const phrases: OperatorQuery[] = [];
  for (let tries = 0; phrases.length < perClass && tries < perClass * 1000; tries++) {
    const t = tokens(Math.floor(rand() * n));
    // Adjacent pairs of letter words, both in the vocabulary, at least one not a stop word.
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i + 1 < t.length; i++) {
      const [a, b] = [t[i] as string, t[i + 1] as string];
      if (/^[a-z]{2,}$/.test(a) && /^[a-z]{2,}$/.test(b) && df.has(a) && df.has(b) && !(STOP.has(a) && STOP.has(b))) pairs.push([a, b]);
    }
    if (pairs.length === 0) continue;
    const [a, b] = pick(rand, pairs);
    phrases.push(make('phrase', `"${a} ${b}"`));
  }
  const booleans: OperatorQuery[] = [];
  for (let tries = 0; booleans.length < perClass && tries < perClass * 1000; tries++) {
    const w = words(Math.floor(rand() * n));
    const other = words(Math.floor(rand() * n));
    const form = booleans.length % 3;
    if (form === 0 || form === 2) {
      if (w.length < 2) continue;
      const [a, b] = shuffled(rand, w) as [string, string];
      if (form === 0) booleans.push(make('boolean', `${a} OR ${b} `));
      else {
        const c = other.find((x) => x !== a && x !== b);
        if (!c) continue;
        booleans.push(make('boolean', `(${a} OR ${b}) -${c}`));
      }
    } else {
      if (w.length < 1) continue;
      const a = pick(rand, w);
      const c = other.find((x) => x !== a);
      if (!c) continue;
      booleans.push(make('boolean', `${a} -${c}`));
    }
  }
  if (phrases.length < perClass || booleans.length < perClass) throw new Error('could not generate phrase/boolean queries from this corpus');
  return [...phrases, ...booleans];
}

/** All queries in one seeded, interleaved order, so every class runs under the same conditions. */
export function mixed<T>(queries: readonly T[], seed = 0xbe1c4): T[] {
  return shuffled(prng(seed), queries);
}
