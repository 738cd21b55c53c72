import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { QUERY_LIMITS } from '../../core/http/limits.ts';
import { parseSearchParams, rawQueryFromString } from '../../core/http/params.ts';
import { loadIndex } from '../../core/search/load-index.ts';
import { termGroup } from '../../core/search/match.ts';
import type { SearchIndex } from '../../core/search/search-index.ts';
import { search } from '../../core/search/search.ts';
import { parseQuery, tokenize, wordSpans } from '../../core/text.ts';
import type { SearchResponse } from '../../core/types.ts';
import { folderReader } from '../../storage/local-folder.ts';
import { corpusIndexDir } from './corpus-index.ts';

/**
 * The query language on the real corpus (Reuters-21578 + Wikinews + the seed): generated boolean,
 * phrase, field and prefix queries from the archive's own words, answered by `search` and by a
 * brute-force scan of every article tokenized with core/text.ts; totals and every facet must agree.
 * And the bugs the language fixed: `oil -opec` returned stories about OPEC, `oil OR gas` required
 * the word "or", and a phrase matched its words in any order.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20_250_302);
const QUERIES = 300;

let index: SearchIndex;
const run = (qs: string): Promise<SearchResponse> => search(index, parseSearchParams(rawQueryFromString(qs)));

/** The brute force: every article's tokens, and which docs hold each token in each field. */
let titles: string[][];
let bodies: string[][];
const inTitle = new Map<string, number[]>();
const inBody = new Map<string, number[]>();

beforeAll(async () => {
  index = await loadIndex(folderReader((await corpusIndexDir()).dir));
  const all = Array.from({ length: index.size }, (_, d) => d);
  const texts = await index.docs.bodies(all);
  titles = all.map((d) => tokenize(index.titles[d] as string));
  bodies = texts.map((b) => tokenize(b));
  for (const [field, toks] of [[inTitle, titles], [inBody, bodies]] as const) {
    toks.forEach((ts, d) => {
      for (const t of new Set(ts)) {
        const l = field.get(t);
        if (l) l.push(d);
        else field.set(t, [d]);
      }
    });
  }
});

type Field = 'title' | 'body' | null;
type Gen =
  | { kind: 'word'; w: string; star: boolean; field: Field }
  | { kind: 'phrase'; ws: string[]; field: Field }
  | { kind: 'and'; cs: Gen[] }
  | { kind: 'or'; cs: Gen[] }
  | { kind: 'not'; c: Gen };

function endsInWord(s: string): boolean {
  const spans = wordSpans(s);
  return spans.length > 0 && spans[spans.length - 1]!.end === s.length;
}

/** The query as text, and the word that completes as a prefix (the last one, bare and positive). */
function write(g: Gen, trailingSpace: boolean): { q: string; typing: Gen | null; size: number; ors: number; prefixes: number } {
  let last: Gen | null = null;
  let size = 0;
  let ors = 0;
  let prefixes = 1;
  const rec = (n: Gen, neg: boolean): string => {
    switch (n.kind) {
      case 'word':
        size += 1;
        if (n.star) prefixes++;
        last = neg || n.star ? null : n;
        return `${n.field ? `${n.field}:` : ''}${n.w}${n.star ? '*' : ''}`;
      case 'phrase':
        size += n.ws.length;
        last = null;
        return `${n.field ? `${n.field}:` : ''}"${n.ws.join(' ')}"`;
      case 'and':
        return n.cs.map((c) => rec(c, neg)).join(' ');
      case 'or':
        ors += n.cs.length;
        return n.cs.map((c) => (c.kind === 'and' ? paren(c, neg) : rec(c, neg))).join(' OR ');
      case 'not':
        return n.c.kind === 'word' || n.c.kind === 'phrase' ? `-${rec(n.c, true)}` : `-${paren(n.c, true)}`;
    }
  };
  const paren = (n: Gen, neg: boolean) => {
    const s = `(${rec(n, neg)})`;
    last = null;
    return s;
  };
  const q = rec(g, false) + (trailingSpace ? ' ' : '');
  const l = last as Gen | null;
  return { q, typing: !trailingSpace && l !== null && l.kind === 'word' && endsInWord(l.w) ? l : null, size, ors, prefixes };
}

const groups = new Map<string, string[]>();
/** The index terms a query term stands for: the analyzer's (its forms, a prefix's completions). */
function terms(term: string, prefix: boolean): string[] {
  const key = `${prefix ? '*' : '='}${term}`;
  let g = groups.get(key);
  if (!g) groups.set(key, (g = termGroup(index, term, prefix).map((x) => x.term)));
  return g;
}

/** Docs (a Set) that satisfy `n`, or null for no condition; `all` is every doc. */
function docsOf(n: Gen, typing: Gen | null, all: Set<number>): Set<number> | null {
  const leaf = (ts: Array<{ term: string; prefix: boolean }>, field: Field): Set<number> | null => {
    if (ts.length === 0) return null;
    const sets = ts.map((t) => new Set(terms(t.term, t.prefix)));
    const fields = field === null ? (['title', 'body'] as const) : [field];
    const out = new Set<number>();
    // Candidates: docs with a term of the first word in one of the fields; then a plain scan.
    for (const f of fields) {
      const toks = f === 'title' ? titles : bodies;
      for (const t of sets[0] as Set<string>) {
        for (const d of (f === 'title' ? inTitle : inBody).get(t) ?? []) {
          if (out.has(d)) continue;
          const tk = toks[d] as string[];
          for (let p = 0; p + sets.length <= tk.length; p++) {
            if (sets.every((s, j) => s.has(tk[p + j] as string))) {
              out.add(d);
              break;
            }
          }
        }
      }
    }
    return out;
  };
  const wordTerms = (w: string, prefix: boolean) => {
    const ts = tokenize(w).map((term) => ({ term, prefix: false }));
    if (prefix && ts.length > 0 && endsInWord(w)) ts[ts.length - 1] = { term: parseQuery(w).prefix as string, prefix: true };
    return ts;
  };
  switch (n.kind) {
    case 'word':
      return leaf(wordTerms(n.w, n.star || n === typing), n.field);
    case 'phrase':
      return leaf(
        n.ws.flatMap((w) => wordTerms(w, false)),
        n.field,
      );
    case 'not': {
      const s = docsOf(n.c, typing, all);
      return s === null ? null : new Set([...all].filter((d) => !s.has(d)));
    }
    case 'and':
    case 'or': {
      const parts = n.cs.map((c) => docsOf(c, typing, all)).filter((s): s is Set<number> => s !== null);
      if (parts.length === 0) return null;
      if (n.kind === 'and') return parts.reduce((a, b) => new Set([...a].filter((d) => b.has(d))));
      return parts.reduce((a, b) => new Set([...a, ...b]));
    }
  }
}

function facet(docs: number[], valuesOf: (d: number) => string[]): Array<{ value: string; count: number }> {
  const c = new Map<string, number>();
  for (const d of docs) for (const v of valuesOf(d)) c.set(v, (c.get(v) ?? 0) + 1);
  return [...c]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, 100)
    .map(([value, count]) => ({ value, count }));
}

/** Checks a response against the brute-force doc set: total and every facet. */
function expectExact(res: SearchResponse, docs: number[], what: string): void {
  expect(res.total, what).toBe(docs.length);
  expect(res.facets.person, what).toEqual(facet(docs, (d) => index.people.valuesOf(d)));
  expect(res.facets.location, what).toEqual(facet(docs, (d) => index.locations.valuesOf(d)));
  expect(res.facets.about, what).toEqual(facet(docs, (d) => index.about.valuesOf(d)));
  const months = facet(docs, (d) => [index.date(d).slice(0, 7)]).sort((a, b) => (a.value < b.value ? -1 : 1));
  expect(res.facets.date, what).toEqual(months);
}

describe('the query language on Reuters', () => {
  it('fixes `oil -opec`: no hit mentions OPEC', async () => {
    const res = await run('q=oil%20-opec&facetLimit=100');
    const oil = new Set(terms('oil', false));
    const opec = new Set(terms('opec', false));
    const expected = titles
      .map((_, d) => d)
      .filter((d) => [...titles[d]!, ...bodies[d]!].some((t) => oil.has(t)) && ![...titles[d]!, ...bodies[d]!].some((t) => opec.has(t)));
    expectExact(res, expected, 'oil -opec');
    const withOpec = await run('q=oil%20opec%20');
    const plainOil = await run('q=oil%20');
    expect(res.total + withOpec.total).toBe(plainOil.total);
    console.log(`Reuters: "oil " ${plainOil.total}, "oil -opec" ${res.total}, "oil opec " ${withOpec.total}`);
    for (let page = 1; (page - 1) * 100 < res.total; page++) {
      for (const h of (await run(`q=oil%20-opec&sort=date&limit=100&page=${page}`)).hits) {
        const d = index.docOf(h.id) as number;
        expect([...titles[d]!, ...bodies[d]!].some((t) => opec.has(t)), h.id).toBe(false);
        expect(h.snippet.toLowerCase()).not.toContain('<mark>opec');
      }
    }
  });

  it('fixes `oil OR gas`: at least as many as either word, and more than both', async () => {
    const or = await run('q=oil%20OR%20gas');
    const and = await run('q=oil%20gas');
    const oil = await run('q=oil%20');
    const gas = await run('q=gas');
    expect(or.total).toBeGreaterThanOrEqual(and.total);
    expect(or.total).toBe(oil.total + gas.total - and.total);
    // Lower-case "or" is still a word: it narrows.
    expect((await run('q=oil%20or%20gas')).total).toBeLessThanOrEqual(and.total);
    console.log(`Reuters: "oil gas" ${and.total}, "oil OR gas" ${or.total}`);
  });

  it('fixes phrases: `"oil prices"` is not `"prices oil"`, and every hit has the words adjacent, in order', async () => {
    const a = await run('q=%22oil%20prices%22&facetLimit=100');
    const b = await run('q=%22prices%20oil%22&facetLimit=100');
    const words = await run('q=oil%20prices%20');
    expect(a.total).not.toBe(b.total);
    expect(a.total).toBeLessThan(words.total);
    const oil = new Set(terms('oil', false));
    const prices = new Set(terms('prices', false));
    const adjacent = (toks: string[], x: Set<string>, y: Set<string>) => toks.some((t, i) => x.has(t) && y.has(toks[i + 1] as string));
    const docs = (x: Set<string>, y: Set<string>) => titles.map((_, d) => d).filter((d) => adjacent(titles[d]!, x, y) || adjacent(bodies[d]!, x, y));
    expectExact(a, docs(oil, prices), '"oil prices"');
    expectExact(b, docs(prices, oil), '"prices oil"');
    for (let page = 1; (page - 1) * 100 < a.total; page++) {
      for (const h of (await run(`q=%22oil%20prices%22&sort=date&limit=100&page=${page}`)).hits) {
        const d = index.docOf(h.id) as number;
        expect(adjacent(titles[d]!, oil, prices) || adjacent(bodies[d]!, oil, prices), h.id).toBe(true);
      }
    }
    console.log(`Reuters: "oil prices " ${words.total}, "\\"oil prices\\"" ${a.total}, "\\"prices oil\\"" ${b.total}`);
  });

  it(`answers ${QUERIES} generated queries from the archive's words like a brute-force scan`, async () => {
    const r = fc.sample(fc.integer({ min: 0, max: index.size - 1 }), { numRuns: 400, seed: SEED });
    // Words from titles and bodies of random stories, and phrases taken from their bodies.
    const vocab = [...new Set(r.flatMap((d) => titles[d]!.filter((t) => /^[a-z]{3,}$/.test(t))))];
    const spans = r.map((d) => {
      const b = bodies[d]!;
      const i = Math.floor((d * 7919) % Math.max(1, b.length - 3));
      return b.slice(i, i + 2 + (d % 2));
    }).filter((s) => s.length >= 2);
    const field = fc.constantFrom<Field>(null, null, null, 'title', 'body');
    const word = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...vocab), field).map(([w, f]): Gen => ({ kind: 'word', w, star: false, field: f })) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...vocab), fc.integer({ min: 2, max: 4 }), field).map(([w, n, f]): Gen => ({ kind: 'word', w: w.slice(0, n), star: true, field: f })) },
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...spans), field).map(([ws, f]): Gen => ({ kind: 'phrase', ws, field: f })) },
    );
    const { node } = fc.letrec<{ node: Gen }>((tie) => ({
      node: fc.oneof(
        { maxDepth: 3, depthIdentifier: 'q' },
        { weight: 4, arbitrary: word },
        fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((cs): Gen => ({ kind: 'and', cs })),
        fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((cs): Gen => ({ kind: 'or', cs })),
        tie('node').map((c): Gen => ({ kind: 'not', c })),
      ),
    }));
    const all = new Set(titles.map((_, d) => d));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(node, fc.boolean(), fc.constantFrom('relevance', 'date')).filter(([g, t]) => {
          const w = write(g, t);
          return w.size <= QUERY_LIMITS.maxTerms && w.ors <= QUERY_LIMITS.maxOrBranches && w.prefixes <= QUERY_LIMITS.maxPrefixes;
        }),
        async ([g, trailing, sort]) => {
          const { q, typing } = write(g, trailing);
          const res = await run(`q=${encodeURIComponent(q)}&sort=${sort}&limit=1&facetLimit=100`);
          if (res.corrected) return; // a misspelling-free query is never corrected; guard anyway
          const docs = docsOf(g, typing, all);
          expectExact(res, docs === null ? [...all] : [...docs].sort((a, b) => a - b), q);
          n++;
        },
      ),
      { numRuns: QUERIES, seed: SEED },
    );
    console.log(`query-language (Reuters): ${n} generated queries equal to brute force (seed ${SEED})`);
    expect(n).toBeGreaterThanOrEqual(QUERIES * 0.95);
  });
});
