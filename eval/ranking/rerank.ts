import { planQuery, RANK, shardsOf } from '../../lib/search/match.ts';
import { RERANK_DEPTH, smallestWindow, STAGE2 } from '../../lib/search/rerank.ts';
import type { SearchIndex } from '../../lib/search/search-index.ts';
import { parseQuery, tokenize } from '../../lib/text.ts';
import type { EvalDoc } from './corpus.ts';
import { TOP_K, type RankEngine } from './engines/types.ts';

/**
 * Ranking prototypes over our own index, for the lead to port into lib/search/match.ts. Matching is
 * exactly ours (every word in the title or the body, FlexSearch asked one term at a time); only the
 * score changes. Two stages, each reported as an engine:
 *
 * 1. `bm25-lite` needs no article bodies at query time, only per-article token lengths (title: from
 *    the titles already in memory; body: one new `meta` column) and the corpus averages. BM25F over
 *    title and body (title tf from the title, body tf taken as 1), plus: a bonus when every word is in
 *    the title, a bonus for title words that come early, and FlexSearch's in-body order as a small
 *    "occurs early" bonus.
 * 2. `rerank` re-scores the best `depth` of stage 1 with their stored bodies: real body term
 *    frequencies (with their own, milder length normalization `bBodyTf`), a proximity bonus for the
 *    smallest window that holds every word, and a bonus for words in the lede (first 30 tokens).
 */

/** BM25F parameters. The title weighs like 3 body occurrences; both fields length-normalized. */
export interface RankParams {
  k1: number;
  titleWeight: number;
  bTitle: number;
  bBody: number;
  /** Body length normalization once real body counts are known (stage 2). */
  bBodyTf: number;
  /** Bonus × idf for a body word by how early it occurs (FlexSearch's order), stage 1 only. */
  early: number;
  /** Bonus × Σidf when every word is in the title. */
  allInTitle: number;
  /** Bonus × idf / (1 + position) for a word in the title. */
  titleEarly: number;
  /** Bonus × Σidf / (1 + window − words) for the smallest body window with every word, stage 2. */
  proximity: number;
  /** Bonus × idf for a word within the first `ledeTokens` tokens of the body (the lede), stage 2. */
  lede: number;
  ledeTokens: number;
  /** Stage 2's weight for stage 1's early-occurrence bonus. */
  early2: number;
  depth: number;
}

/** The product's own parameters (lib/search/match.ts and rerank.ts), so the prototype tunes from them. */
export const BM25: RankParams = { ...RANK, ...STAGE2, early2: RANK.early, depth: RERANK_DEPTH };

interface Term {
  term: string;
  idf: number;
}

/** Per matching doc: whether each word is in the body, and how early FlexSearch ranks it there (0 = first). */
interface Candidate {
  doc: number;
  inBody: boolean[];
  bodyRank: number[];
  score: number;
}

export interface DocLengths {
  title: Uint16Array;
  body: Uint32Array;
  avgTitle: number;
  avgBody: number;
}

/** Token counts per doc: what the build would store as two new `meta` columns. */
export function docLengths(docs: readonly EvalDoc[]): DocLengths {
  const title = Uint16Array.from(docs, (d) => tokenize(d.title).length);
  const body = Uint32Array.from(docs, (d) => tokenize(d.body).length);
  const avg = (a: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i] as number;
    return s / Math.max(1, a.length);
  };
  return { title, body, avgTitle: avg(title), avgBody: avg(body) };
}

/** AND matching (title or body per word), with per-field evidence kept for scoring. */
async function candidates(index: SearchIndex, words: readonly string[]): Promise<{ terms: Term[]; docs: Candidate[] }> {
  const groups = planQuery(index, parseQuery(words.join(' ') + ' '));
  await index.flex.load(shardsOf(groups));
  if (groups.length === 0 || groups.some((g) => g.length === 0)) return { terms: [], docs: [] };
  const n = index.size;
  const terms: Term[] = groups.map((g) => {
    const df = index.docFrequency((g[0] as { term: string }).term);
    return { term: (g[0] as { term: string }).term, idf: Math.log(1 + (n - df + 0.5) / (df + 0.5)) };
  });
  const byDoc = new Map<number, Candidate & { seen: number }>();
  groups.forEach((g, t) => {
    const { term, shard } = g[0] as { term: string; shard: number };
    const fields = index.flex.get(shard).search(term, { limit: n }) as unknown as Array<{ field: string; result: number[] }>;
    for (const { field, result } of fields) {
      result.forEach((d, r) => {
        let c = byDoc.get(d);
        if (!c) {
          if (t !== 0) return;
          c = { doc: d, inBody: terms.map(() => false), bodyRank: terms.map(() => 1), score: 0, seen: 0 };
          byDoc.set(d, c);
        }
        if (c.seen < t) return; // missed an earlier word
        c.seen = t + 1;
        if (field === 'body') {
          c.inBody[t] = true;
          c.bodyRank[t] = r / result.length;
        }
      });
    }
  });
  const docs = [...byDoc.values()].filter((c) => c.seen === terms.length);
  return { terms, docs };
}

/** Title term → [count, first position]. */
function titleCounts(index: SearchIndex, doc: number): Map<string, [number, number]> {
  const m = new Map<string, [number, number]>();
  tokenize(index.titles[doc] as string).forEach((t, pos) => {
    const e = m.get(t);
    if (e) e[0]++;
    else m.set(t, [1, pos]);
  });
  return m;
}

/** The scoring of both stages, for one parameter set. */
export function scorer(index: SearchIndex, len: DocLengths, p: RankParams) {
  const saturate = (tf: number) => (tf * (p.k1 + 1)) / (tf + p.k1);
  const titleNorm = (doc: number) => 1 - p.bTitle + (p.bTitle * (len.title[doc] as number)) / len.avgTitle;
  const bodyNorm = (bodyLen: number, b = p.bBody) => 1 - b + (b * bodyLen) / len.avgBody;
  /** Title bonuses: every word in the title, and each title word by how early it comes. */
  const titleBonus = (terms: Term[], tc: Map<string, [number, number]>) => {
    let idfSum = 0;
    let early = 0;
    let all = true;
    for (const t of terms) {
      const e = tc.get(t.term);
      if (!e) all = false;
      else early += (t.idf * p.titleEarly) / (1 + e[1]);
      idfSum += t.idf;
    }
    return early + (all ? p.allInTitle * idfSum : 0);
  };

  /** Stage 1: BM25F with body frequency 1, length-normalized fields, a small bonus for occurring early. */
  const lite = (terms: Term[], c: Candidate): number => {
    const tc = titleCounts(index, c.doc);
    const nt = titleNorm(c.doc);
    const nb = bodyNorm(len.body[c.doc] as number);
    let s = titleBonus(terms, tc);
    terms.forEach((t, i) => {
      const tf = (p.titleWeight * (tc.get(t.term)?.[0] ?? 0)) / nt + (c.inBody[i] ? 1 / nb : 0);
      s += t.idf * (saturate(tf) + (c.inBody[i] ? p.early * (1 - (c.bodyRank[i] as number)) : 0));
    });
    return s;
  };

  /** Stage 2: real body frequencies and a proximity bonus (smallest window holding every word). */
  const full = (terms: Term[], c: Candidate, body: string): number => {
    const doc = c.doc;
    const tc = titleCounts(index, doc);
    const tokens = tokenize(body);
    const bc = new Map<string, number>();
    const want = new Map(terms.map((t, i) => [t.term, i]));
    const positions: Array<[number, number]> = [];
    const inLede = new Set<number>();
    tokens.forEach((tok, pos) => {
      const i = want.get(tok);
      if (i === undefined) return;
      bc.set(tok, (bc.get(tok) ?? 0) + 1);
      positions.push([pos, i]);
      if (pos < p.ledeTokens) inLede.add(i);
    });
    const nt = titleNorm(doc);
    const nb = bodyNorm(tokens.length, p.bBodyTf);
    let s = titleBonus(terms, tc);
    let idfSum = 0;
    terms.forEach((t, i) => {
      const tf = (p.titleWeight * (tc.get(t.term)?.[0] ?? 0)) / nt + (bc.get(t.term) ?? 0) / nb;
      const early = c.inBody[i] ? p.early2 * (1 - (c.bodyRank[i] as number)) : 0;
      s += t.idf * (saturate(tf) + (inLede.has(i) ? p.lede : 0) + early);
      idfSum += t.idf;
    });
    if (terms.length > 1) {
      const w = smallestWindow(positions, terms.length);
      if (w !== null) s += (p.proximity * idfSum) / (1 + w - terms.length);
    }
    return s;
  };
  return { lite, full };
}

const byScore = (a: { score: number; doc: number }, b: { score: number; doc: number }) => b.score - a.score || b.doc - a.doc;

/** Top-10 ids of stage 1 only, and of stage 1 + stage 2. */
export function prototypes(index: SearchIndex, len: DocLengths, p: RankParams) {
  const { lite, full } = scorer(index, len, p);
  const stage1 = async (words: readonly string[]) => {
    const { terms, docs: cands } = await candidates(index, words);
    for (const c of cands) c.score = lite(terms, c);
    return { terms, ranked: cands.sort(byScore) };
  };
  return {
    lite: async (words: readonly string[]) => (await stage1(words)).ranked.slice(0, TOP_K).map((c) => index.ids[c.doc] as string),
    rerank: async (words: readonly string[]) => {
      const { terms, ranked } = await stage1(words);
      const head = ranked.slice(0, p.depth);
      const bodies = await index.docs.bodies(head.map((c) => c.doc));
      const rescored = head.map((c, i) => ({ doc: c.doc, score: full(terms, c, bodies[i] as string) }));
      return rescored.sort(byScore).slice(0, TOP_K).map((c) => index.ids[c.doc] as string);
    },
  };
}

export function rerankEngines(index: SearchIndex, docs: readonly EvalDoc[], p: RankParams = BM25): RankEngine[] {
  const run = prototypes(index, docLengths(docs), p);
  const params = `k1 ${p.k1}, title weight ${p.titleWeight}, b ${p.bTitle}/${p.bBody}, all-in-title bonus ${p.allInTitle}, title-early bonus ${p.titleEarly}`;
  return [
    {
      name: 'proto: bm25-lite',
      role: 'prototype',
      notes: `our matching; BM25F (${params}) with body tf = 1 and doc lengths, + early-occurrence bonus ${p.early}; no bodies at query time`,
      search: run.lite,
    },
    {
      name: `proto: rerank top ${p.depth}`,
      role: 'prototype',
      notes: `bm25-lite, then its top ${p.depth} re-scored with stored bodies: BM25F (${params}) with real body tf (body b ${p.bBodyTf}), proximity bonus ${p.proximity} × Σidf / (1 + window − words), lede bonus ${p.lede} (first ${p.ledeTokens} tokens), early bonus ${p.early2}`,
      search: run.rerank,
    },
  ];
}
