import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { QuerySyntaxError } from '../core/errors.ts';
import { QUERY_LIMITS } from '../core/http/limits.ts';
import { parseSearchParams, rawQueryFromString } from '../core/http/params.ts';
import { termGroup } from '../core/search/match.ts';
import { formatQuery, parseSearchQuery, type QueryNode } from '../core/search/query/parse.ts';
import type { SearchIndex } from '../core/search/search-index.ts';
import { search } from '../core/search/search.ts';
import { parseQuery, tokenize, wordSpans } from '../core/text.ts';
import type { StoredArticle } from '../core/types.ts';
import { article, memoryIndex } from './helpers/memory-index.ts';

/**
 * The query language of `q`: the parser (shapes, round trips, error positions, limits) and the proof
 * that matching is exact. Generated boolean, phrase, field and prefix queries over generated corpora
 * are answered by `search` and by a brute-force model that tokenizes every article with core/text.ts
 * and evaluates the generated query naively; total, every facet count and the hit set must agree.
 * FUZZ_SEED=<n> replays or explores another run.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20_250_301);
const CORPORA = 25;
const QUERIES_PER_CORPUS = 420;

/** The tree without positions and source words: what a query means. */
function shape(n: QueryNode | null): unknown {
  if (n === null) return null;
  switch (n.kind) {
    case 'match':
      return { f: n.field, t: n.terms.map((t) => (t.prefix ? `${t.term}*` : t.term)) };
    case 'not':
      return { not: shape(n.child) };
    default:
      return { [n.kind]: n.children.map(shape) };
  }
}
const parsed = (q: string) => shape(parseSearchQuery(q).root);
const w = (t: string, f: string | null = null) => ({ f, t: t.split(' ') });

function syntaxError(q: string): QuerySyntaxError {
  try {
    parseSearchQuery(q);
  } catch (e) {
    if (e instanceof QuerySyntaxError) return e;
    throw e;
  }
  throw new Error(`no error for ${JSON.stringify(q)}`);
}

describe('parsing q', () => {
  it('reads words, phrases, OR, NOT, -, groups, fields and prefixes', () => {
    expect(parsed('oil gas ')).toEqual({ and: [w('oil'), w('gas')] });
    expect(parsed('oil gas')).toEqual({ and: [w('oil'), w('gas*')] });
    expect(parsed('oil OR gas ')).toEqual({ or: [w('oil'), w('gas')] });
    expect(parsed('oil AND gas ')).toEqual(parsed('oil gas '));
    // OR binds tighter than AND: oil (gas OR coal)
    expect(parsed('oil gas OR coal ')).toEqual({ and: [w('oil'), { or: [w('gas'), w('coal')] }] });
    expect(parsed('(oil gas) OR coal ')).toEqual({ or: [{ and: [w('oil'), w('gas')] }, w('coal')] });
    expect(parsed('oil -opec')).toEqual({ and: [w('oil'), { not: w('opec') }] });
    expect(parsed('oil NOT opec')).toEqual(parsed('oil -opec'));
    expect(parsed('oil -"opec quota"')).toEqual({ and: [w('oil'), { not: w('opec quota') }] });
    expect(parsed('-(oil OR gas)')).toEqual({ not: { or: [w('oil'), w('gas')] } });
    expect(parsed('"Supreme Court"')).toEqual(w('supreme court'));
    expect(parsed('title:"oil prices" body:opec ')).toEqual({ and: [w('oil prices', 'title'), w('opec', 'body')] });
    expect(parsed('Title:(oil OR body:gas) ')).toEqual({ or: [w('oil', 'title'), w('gas', 'body')] });
    expect(parsed('pri* oil ')).toEqual({ and: [w('pri*'), w('oil')] });
    expect(parsed('"oil pri*"')).toEqual(w('oil pri*'));
    // Lower-case operators are words; "-" inside a word and a lone "-" are punctuation.
    expect(parsed('oil or gas not coal and ')).toEqual({ and: ['oil', 'or', 'gas', 'not', 'coal', 'and'].map((x) => w(x)) });
    expect(parsed('e-mail - x ')).toEqual({ and: [w('e mail'), w('x')] });
    // Punctuation only: no terms, no condition.
    expect(parsed('!!! ... ')).toBeNull();
    expect(parsed('oil OR !!! ')).toEqual(w('oil'));
    expect(parsed('')).toBeNull();
  });

  it('matches a word the analyzer splits as a phrase of its parts', () => {
    expect(parsed('U.S. trade ')).toEqual({ and: [w('u s'), w('trade')] });
    const cjk = parseSearchQuery('习近平 ').root;
    expect(cjk?.kind).toBe('match');
    expect(cjk?.kind === 'match' && cjk.terms.map((t) => t.term)).toEqual(tokenize('习近平'));
  });

  it('completes the last bare word as a prefix while typing, as plain queries did', () => {
    expect(parsed('oil pri')).toEqual({ and: [w('oil'), w('pri*')] });
    expect(parsed('title:pri')).toEqual(w('pri*', 'title'));
    // Not after a space, in quotes, negated, or when the word ends in punctuation.
    for (const q of ['oil pri ', '"oil pri"', 'oil -pri', 'oil NOT pri', 'oil pri.', '(oil pri)']) {
      const leaves: string[] = [];
      const walk = (n: QueryNode | null): void => {
        if (n === null) return;
        if (n.kind === 'match') leaves.push(...n.terms.filter((t) => t.prefix).map((t) => t.term));
        else if (n.kind === 'not') walk(n.child);
        else n.children.forEach(walk);
      };
      walk(parseSearchQuery(q).root);
      expect(leaves, q).toEqual([]);
    }
    // A plain query means what parseQuery always said it meant.
    for (const q of ['putin abb', 'putin abbas ', 'a b c', 'Zoë', 'oil, gas']) {
      const { terms, prefix } = parseQuery(q);
      const expected = [...terms.map((t) => w(t)), ...(prefix === null ? [] : [w(`${prefix}*`)])];
      expect(parsed(q), q).toEqual(expected.length === 1 ? expected[0] : { and: expected });
    }
  });

  it.each([
    ['"oil prices', 1, /unclosed quote/],
    ['oil "prices', 5, /unclosed quote/],
    ['(oil gas', 1, /unclosed parenthesis/],
    ['oil (gas (coal)', 5, /unclosed parenthesis/],
    ['oil)', 4, /"\)" with no "\("/],
    ['OR oil', 1, /"OR" needs a term on each side/],
    ['oil OR', 5, /"OR" needs a term on each side/],
    ['oil OR OR gas', 5, /"OR" needs a term on each side/],
    ['(OR gas)', 2, /"OR" needs a term/],
    ['oil (gas OR)', 10, /"OR" needs a term/],
    ['AND oil', 1, /"AND" needs a term/],
    ['oil AND', 5, /"AND" needs a term/],
    ['oil NOT', 5, /"NOT" needs a term after it/],
    ['NOT OR oil', 1, /"NOT" needs a term after it/],
    ['oil () gas', 5, /empty group/],
    ['oil "" gas', 5, /empty phrase/],
    ['é€😀 "x', 5, /unclosed quote/], // positions count characters, not UTF-16 units
  ])('rejects %j at position %i', (q, position, message) => {
    const e = syntaxError(q);
    expect(e.position).toBe(position);
    expect(e.message).toMatch(message);
    expect(e.message.endsWith(`at position ${position}`)).toBe(true);
    expect([e.status, e.code, e.field]).toEqual([400, 'bad_query', 'q']);
  });

  it('enforces the documented limits, naming the position', () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
    expect(() => parseSearchQuery(`${words(QUERY_LIMITS.maxTerms)} `)).not.toThrow();
    const many = syntaxError(`${words(QUERY_LIMITS.maxTerms + 1)} `);
    expect(many.message).toMatch(`more than ${QUERY_LIMITS.maxTerms} terms`);
    expect(many.position).toBe(words(QUERY_LIMITS.maxTerms).length + 2);
    // A phrase's words and negated words count too.
    expect(syntaxError(`-"${words(QUERY_LIMITS.maxTerms + 1)}"`).message).toMatch('terms');

    const prefixes = (n: number) => Array.from({ length: n }, (_, i) => `p${i}*`).join(' ');
    expect(() => parseSearchQuery(prefixes(QUERY_LIMITS.maxPrefixes))).not.toThrow();
    expect(syntaxError(prefixes(QUERY_LIMITS.maxPrefixes + 1)).message).toMatch(`more than ${QUERY_LIMITS.maxPrefixes} prefix terms`);

    const ors = (n: number) => Array.from({ length: n }, (_, i) => `o${i}`).join(' OR ');
    expect(() => parseSearchQuery(ors(QUERY_LIMITS.maxOrBranches))).not.toThrow();
    const orErr = syntaxError(ors(QUERY_LIMITS.maxOrBranches + 1));
    expect(orErr.message).toMatch(`more than ${QUERY_LIMITS.maxOrBranches} alternatives`);
    expect(orErr.position).toBe(ors(QUERY_LIMITS.maxOrBranches).length + 2);
    // Counted over the whole query.
    const half = QUERY_LIMITS.maxOrBranches / 2;
    expect(() => parseSearchQuery(`(${ors(half)}) (${ors(half)})`)).not.toThrow();
    expect(syntaxError(`(${ors(half)}) (${ors(half + 1)})`).message).toMatch('alternatives');

    const nest = (n: number) => `${'('.repeat(n)}oil${')'.repeat(n)}`;
    expect(() => parseSearchQuery(nest(QUERY_LIMITS.maxDepth))).not.toThrow();
    const deep = syntaxError(nest(QUERY_LIMITS.maxDepth + 1));
    expect(deep.message).toMatch(`deeper than ${QUERY_LIMITS.maxDepth}`);
    expect(deep.position).toBe(QUERY_LIMITS.maxDepth + 1);
  });

  it('answers hostile input quickly, with a syntax error or a tree', () => {
    const inputs = ['('.repeat(500), ')'.repeat(500), '"'.repeat(500), '"'.repeat(499), '-'.repeat(500), '*'.repeat(500), 'title:'.repeat(83), 'a OR '.repeat(100), 'NOT '.repeat(125), '-(a '.repeat(125), `${'a'.repeat(499)}*`, ' '.repeat(500)];
    for (const q of inputs) {
      const t0 = performance.now();
      try {
        parseSearchQuery(q);
      } catch (e) {
        expect(e, q.slice(0, 20)).toBeInstanceOf(QuerySyntaxError);
      }
      expect(performance.now() - t0, q.slice(0, 20)).toBeLessThan(100);
    }
  });

  it('round-trips: any q parses to a tree whose canonical text parses to the same tree', () => {
    const atoms = fc.constantFrom('oil', 'Gas', 'prices', 'é', 'U.S.', 'e-mail', '习近平', 'or', 'OR', 'AND', 'NOT', '-', '-oil', '"', '(', ')', '*', 'pri*', 'title:', 'body:', 'title:oil', ':', ' ', '  ', '!!');
    const query = fc.oneof(
      fc.tuple(fc.array(atoms, { maxLength: 12 }), fc.constantFrom(' ', '')).map(([a, sep]) => a.join(sep)),
      fc.string({ maxLength: 40 }),
    );
    let ok = 0;
    fc.assert(
      fc.property(query, (q) => {
        let root: QueryNode | null;
        try {
          root = parseSearchQuery(q).root;
        } catch (e) {
          expect(e).toBeInstanceOf(QuerySyntaxError);
          return;
        }
        ok++;
        const canonical = formatQuery(root);
        expect(shape(parseSearchQuery(canonical).root), `${q} → ${canonical}`).toEqual(shape(root));
        expect(formatQuery(parseSearchQuery(canonical).root)).toBe(canonical);
      }),
      { numRuns: 3000, seed: SEED },
    );
    expect(ok).toBeGreaterThan(500);
  });
});

// ---------------------------------------------------------------------------------------------
// Exactness against brute force

/** Words of the generated corpora: shared prefixes, other forms, operators as words, accents, CJK. */
const VOCAB = ['oil', 'oils', 'oiled', 'gas', 'gasoline', 'price', 'prices', 'priced', 'pricing', 'rise', 'rises', 'rose', 'opec', 'court', 'courts', 'supreme', 'new', 'york', 'or', 'and', 'not', 'title', 'body', 'bank', 'banks', 'rate', 'café', 'zoë', 'u', 's', 'x', '习近平', '上海', 'crude'];
const PEOPLE = ['Ann Lee', 'Bo Chen', 'Cy Dunn', 'Di Eze'];
const PLACES = ['Lisbon', 'Osaka', 'Quito', 'Perth', 'Oslo'];

type Rand = () => number;
function prng(seed: number): Rand {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}
const pickOf = <T,>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

/** How a word may be written in a text: capitalized, upper case, with punctuation glued on. */
function written(r: Rand, word: string): string {
  const x = r();
  const w = x < 0.2 ? word[0]!.toUpperCase() + word.slice(1) : x < 0.25 ? word.toUpperCase() : word;
  const y = r();
  return y < 0.1 ? `${w},` : y < 0.15 ? `${w}.` : y < 0.18 ? `(${w})` : w;
}

function corpusFor(seed: number): StoredArticle[] {
  const r = prng(seed);
  const n = 25 + Math.floor(r() * 20);
  const out: StoredArticle[] = [];
  const ascii = VOCAB.filter((v) => /^[a-z]+$/.test(v));
  const text = (len: number, words = VOCAB) => {
    const ws: string[] = [];
    for (let i = 0; i < len; i++) {
      const x = r();
      // Glued pairs ("oil-gas", "U.S.") are one word to a query and two tokens to the index.
      ws.push(x < 0.05 ? `${pickOf(r, words)}-${pickOf(r, words)}` : x < 0.08 ? 'U.S.' : written(r, pickOf(r, words.slice(0, 12 + Math.floor(r() * (words.length - 12))))));
    }
    return ws.join(' ');
  };
  for (let i = 0; i < n; i++) {
    out.push(
      article({
        id: `g${seed}-${i}`,
        date: `2020-0${1 + Math.floor(r() * 6)}-1${Math.floor(r() * 10)}`,
        title: text(2 + Math.floor(r() * 5)),
        // Some long ASCII bodies, which phrase checks search without tokenizing them whole.
        body: r() < 0.2 ? text(80 + Math.floor(r() * 80), ascii) : text(3 + Math.floor(r() * 30)),
        people: PEOPLE.filter(() => r() < 0.3),
        locations: PLACES.filter(() => r() < 0.3),
      }),
    );
  }
  // Every vocabulary word is known, so no query is answered for a spelling correction instead.
  out.push(article({ id: `g${seed}-dictionary`, date: '2020-01-01', title: 'Dictionary', body: VOCAB.join(' ; ') }));
  return out;
}

/** A generated query: the tree the model evaluates, written out as text for `search`. */
type Gen =
  | { kind: 'word'; w: string; star: boolean; field: string | null }
  | { kind: 'phrase'; ws: Array<{ w: string; star: boolean }>; field: string | null }
  | { kind: 'and'; cs: Gen[]; explicit: boolean }
  | { kind: 'or'; cs: Gen[] }
  | { kind: 'not'; c: Gen; style: '-' | 'NOT' }
  | { kind: 'group'; c: Gen; field: string | null };

interface Written {
  q: string;
  /** The word that completes as a prefix (last, bare, positive, nothing after it), if any. */
  typing: Gen | null;
  terms: number;
  prefixes: number;
  ors: number;
  depth: number;
}

function endsInWord(s: string): boolean {
  const spans = wordSpans(s);
  return spans.length > 0 && spans[spans.length - 1]!.end === s.length;
}

function write(g: Gen, trailingSpace: boolean): Written {
  const st = { terms: 0, prefixes: 0, ors: 0, depth: 0, last: null as Gen | null };
  const words = (s: string) => tokenize(s).length;
  const rec = (n: Gen, neg: boolean, depth: number): string => {
    st.depth = Math.max(st.depth, depth);
    switch (n.kind) {
      case 'word':
        st.terms += words(n.w);
        if (n.star) st.prefixes++;
        st.last = neg || n.star ? null : n;
        return `${n.field ? `${n.field}:` : ''}${n.w}${n.star ? '*' : ''}`;
      case 'phrase':
        st.terms += n.ws.reduce((a, x) => a + words(x.w), 0);
        st.prefixes += n.ws.filter((x) => x.star).length;
        st.last = null;
        return `${n.field ? `${n.field}:` : ''}"${n.ws.map((x) => `${x.w}${x.star ? '*' : ''}`).join(' ')}"`;
      case 'and':
        return n.cs.map((c) => rec(c, neg, depth)).join(n.explicit ? ' AND ' : ' ');
      case 'or':
        st.ors += n.cs.length;
        return n.cs.map((c) => (c.kind === 'and' ? paren(c, neg, depth) : rec(c, neg, depth))).join(' OR ');
      case 'not': {
        const c = n.c;
        const operand = c.kind === 'word' || c.kind === 'phrase' || c.kind === 'group' || (n.style === 'NOT' && c.kind === 'not') ? rec(c, true, depth) : paren(c, true, depth);
        return n.style === '-' ? `-${operand}` : `NOT ${operand}`;
      }
      case 'group':
        return `${n.field ? `${n.field}:` : ''}${paren(n.c, neg, depth)}`;
    }
  };
  const paren = (n: Gen, neg: boolean, depth: number): string => {
    const s = `(${rec(n, neg, depth + 1)})`;
    st.last = null;
    return s;
  };
  const q = rec(g, false, 0) + (trailingSpace ? ' ' : '');
  const last = st.last;
  const typing = !trailingSpace && last !== null && last.kind === 'word' && endsInWord(last.w) ? last : null;
  return { q, typing, terms: st.terms, prefixes: st.prefixes + 1, ors: st.ors, depth: st.depth };
}

interface Model {
  docs: Array<{ title: string[]; body: string[]; a: StoredArticle }>;
  index: SearchIndex;
  groups: Map<string, Set<string>>;
}

/** The index terms a query term stands for: the analyzer's (a prefix's completions, a word's forms). */
function termSet(m: Model, term: string, prefix: boolean): Set<string> {
  const key = `${prefix ? '*' : '='}${term}`;
  let s = m.groups.get(key);
  if (!s) {
    s = new Set(termGroup(m.index, term, prefix).map((g) => g.term));
    m.groups.set(key, s);
  }
  return s;
}

/** A typed word's terms, through text.ts: its tokens, the last a prefix when asked and possible. */
function modelTerms(word: string, prefix: boolean): Array<{ term: string; prefix: boolean }> {
  const terms = tokenize(word).map((term) => ({ term, prefix: false }));
  if (prefix && terms.length > 0 && endsInWord(word)) terms[terms.length - 1] = { term: parseQuery(word).prefix as string, prefix: true };
  return terms;
}

/** Brute force: does doc `i` satisfy `n`? null: no condition (a part without terms). */
function holds(m: Model, n: Gen, i: number, field: string | null, typing: Gen | null): boolean | null {
  const doc = m.docs[i]!;
  const seq = (terms: Array<{ term: string; prefix: boolean }>, f: string | null) => {
    if (terms.length === 0) return null;
    const sets = terms.map((t) => termSet(m, t.term, t.prefix));
    const fields = f === null ? [doc.title, doc.body] : f.toLowerCase() === 'title' ? [doc.title] : [doc.body];
    return fields.some((toks) => {
      for (let p = 0; p + sets.length <= toks.length; p++) if (sets.every((s, j) => s.has(toks[p + j]!))) return true;
      return false;
    });
  };
  switch (n.kind) {
    case 'word':
      return seq(modelTerms(n.w, n.star || n === typing), n.field ?? field);
    case 'phrase':
      return seq(
        n.ws.flatMap((x) => modelTerms(x.w, x.star)),
        n.field ?? field,
      );
    case 'group':
      return holds(m, n.c, i, n.field ?? field, typing);
    case 'not': {
      const v = holds(m, n.c, i, field, typing);
      return v === null ? null : !v;
    }
    case 'and':
    case 'or': {
      const vs = n.cs.map((c) => holds(m, c, i, field, typing)).filter((v) => v !== null);
      if (vs.length === 0) return null;
      return n.kind === 'and' ? vs.every(Boolean) : vs.some(Boolean);
    }
  }
}

function facetCounts(values: string[][], limit: number): Array<{ value: string; count: number }> {
  const c = new Map<string, number>();
  for (const vs of values) for (const v of vs) c.set(v, (c.get(v) ?? 0) + 1);
  return [...c]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit)
    .map(([value, count]) => ({ value, count }));
}

function genArb(corpus: StoredArticle[]): fc.Arbitrary<Gen> {
  // Words as a reader types them: vocabulary words in any case, glued pairs, a partial word with a
  // star, and now and then punctuation only. Phrases often come from the corpus, so they match.
  const vocabWord = fc.constantFrom(...VOCAB).chain((v) => fc.constantFrom(v, v, v[0]!.toUpperCase() + v.slice(1), v.toUpperCase() === 'OR' || v.toUpperCase() === 'AND' || v.toUpperCase() === 'NOT' ? v : v.toUpperCase()));
  const field = fc.constantFrom(null, null, null, null, 'title', 'body', 'Title');
  const surface = fc.oneof(
    { weight: 8, arbitrary: vocabWord.map((w) => ({ w, star: false })) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...VOCAB), fc.constantFrom(...VOCAB)).map(([a, b]) => ({ w: `${a}-${b}`, star: false })) },
    { weight: 1, arbitrary: fc.constant({ w: 'U.S.', star: false }) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...VOCAB.filter((v) => /^[a-z]{3,}$/.test(v))), fc.integer({ min: 1, max: 4 })).map(([v, n]) => ({ w: v.slice(0, n), star: true })) },
    { weight: 1, arbitrary: fc.constant({ w: '!!', star: false }) },
  );
  const spans = corpus.flatMap((a) => {
    // The words as written, without the punctuation glued around them ("U.S." keeps its dots).
    const ws = `${a.title} ${a.body}`
      .split(/\s+/)
      .map((x) => x.replace(/[,()]/g, '').replace(/^([^.]*)\.$/, '$1'))
      .filter(Boolean);
    return ws.slice(0, -2).map((_, i) => ws.slice(i, i + 2 + (i % 2)));
  });
  const phraseWords = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...spans).map((ws) => ws.map((x) => ({ w: x, star: false }))) },
    { weight: 2, arbitrary: fc.array(surface, { minLength: 1, maxLength: 3 }) },
  );
  const leaf = fc.oneof(
    { weight: 5, arbitrary: fc.tuple(surface, field).map(([s, f]): Gen => ({ kind: 'word', w: s.w, star: s.star, field: f })) },
    { weight: 2, arbitrary: fc.tuple(phraseWords, field).map(([ws, f]): Gen => ({ kind: 'phrase', ws, field: f })) },
  );
  const { node } = fc.letrec<{ node: Gen; and: Gen; or: Gen; not: Gen; group: Gen }>((tie) => ({
    node: fc.oneof({ maxDepth: 4, depthIdentifier: 'q' }, { weight: 6, arbitrary: leaf }, tie('and'), tie('or'), tie('not'), tie('group')),
    and: fc.record({ kind: fc.constant('and' as const), cs: fc.array(tie('node'), { minLength: 2, maxLength: 3 }), explicit: fc.boolean() }),
    or: fc.record({ kind: fc.constant('or' as const), cs: fc.array(tie('node'), { minLength: 2, maxLength: 3 }) }),
    not: fc.record({ kind: fc.constant('not' as const), c: tie('node'), style: fc.constantFrom('-' as const, 'NOT' as const) }),
    group: fc.record({ kind: fc.constant('group' as const), c: tie('node'), field }),
  }));
  return node;
}

let checked = 0;
afterAll(() => {
  console.log(`query-language: ${checked} generated queries checked against brute force on ${CORPORA} generated corpora (seed ${SEED})`);
});

describe('exactness of the query language against brute force', () => {
  it(`answers ${CORPORA * QUERIES_PER_CORPUS} generated queries exactly: total, facets and hits`, async () => {
    for (let c = 0; c < CORPORA; c++) {
      const corpus = corpusFor(SEED + c);
      const { index } = await memoryIndex(corpus, { docChunkSize: 8, termShards: 4, segmentSize: [1000, 7, 25][c % 3] });
      const order = new Map(corpus.map((a) => [a.id, a]));
      const model: Model = {
        index,
        groups: new Map(),
        docs: index.ids.map((id) => {
          const a = order.get(id) as StoredArticle;
          return { a, title: tokenize(a.title), body: tokenize(a.body) };
        }),
      };
      const filters = fc.record({
        person: fc.option(fc.constantFrom(...PEOPLE), { freq: 4 }),
        from: fc.option(fc.constantFrom('2020-02-01', '2020-03-15'), { freq: 5 }),
        trailing: fc.boolean(),
        // Stage 2 orders, it never changes what matches: most runs skip it (sort by date).
        sort: fc.constantFrom('relevance', 'date', 'date', 'date_asc'),
      });
      const arb = fc.tuple(genArb(corpus), filters).map(([g, f]) => ({ g, f, w: write(g, f.trailing) }));
      const fits = ({ w }: { w: Written }) =>
        w.terms <= QUERY_LIMITS.maxTerms && w.prefixes <= QUERY_LIMITS.maxPrefixes && w.ors <= QUERY_LIMITS.maxOrBranches && w.depth < QUERY_LIMITS.maxDepth;
      await fc.assert(
        fc.asyncProperty(arb.filter(fits), async ({ g, f, w }) => {
          const qs = `q=${encodeURIComponent(w.q)}&sort=${f.sort}&limit=100&facetLimit=100${f.person ? `&person=${encodeURIComponent(f.person)}` : ''}${f.from ? `&from=${f.from}` : ''}`;
          const res = await search(index, parseSearchParams(rawQueryFromString(qs)));
          checked++;
          const hits = model.docs
            .map((d, i) => ({ d, i }))
            .filter(({ d, i }) => {
              if (f.person && !d.a.people.includes(f.person)) return false;
              if (f.from && d.a.date < f.from) return false;
              return holds(model, g, i, null, w.typing) ?? true;
            })
            .map(({ d }) => d.a);
          const what = `q=${JSON.stringify(w.q)} ${qs}`;
          expect(res.corrected, what).toBeUndefined();
          expect(res.total, what).toBe(hits.length);
          expect(new Set(res.hits.map((h) => h.id)), what).toEqual(new Set(hits.map((a) => a.id)));
          expect(res.facets.person, what).toEqual(facetCounts(hits.map((a) => a.people), 100));
          expect(res.facets.location, what).toEqual(facetCounts(hits.map((a) => a.locations), 100));
          expect(res.facets.about, what).toEqual(facetCounts(hits.map((a) => a.about), 100));
          const months = facetCounts(hits.map((a) => [a.date.slice(0, 7)]), 100).sort((a, b) => (a.value < b.value ? -1 : 1));
          expect(res.facets.date, what).toEqual(months);
        }),
        { numRuns: QUERIES_PER_CORPUS, seed: SEED + c },
      );
    }
    expect(checked).toBeGreaterThanOrEqual(10_000);
  }, 120_000);
});
