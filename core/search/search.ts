import { parseIsoDate } from '../dates.ts';
import { closestTerm } from './spell.ts';
import type { FacetValue, SearchAfter, SearchHit, SearchParams, SearchResponse } from '../types.ts';
import { BadRequestError } from '../errors.ts';
import { termGroup } from './match.ts';
import { parseSearchQuery } from './query/parse.ts';
import { matchQuery, rankingTerms } from './query/evaluate.ts';
import type { SearchIndex } from './search-index.ts';
import type { FacetData } from './facet-data.ts';
import { makeSnippet, Matcher } from './snippet.ts';
import { fullScore, RERANK_DEPTH, rerankQuery } from './rerank.ts';
import { topK } from './top-k.ts';
import type { DocTokens } from './token-store.ts';

/**
 * The search core: text matching, filters, facets over the whole filtered set, sorting, paging and
 * snippets. Pure apart from the lazy fetches: token ids for re-ranking and phrases, bodies for the
 * page shown.
 *
 * Filters are applied here on full candidate sets, never through FlexSearch's tag option, which
 * applies tags after its result limit and silently drops matches (upstream #524, #533, #551).
 */
export async function search(index: SearchIndex, params: SearchParams, now = () => performance.now()): Promise<SearchResponse> {
  const t0 = now();
  const res = await runSearch(index, params);
  if (res.total < 3 && params.q) {
    // Typo tolerance: unknown words are replaced by their closest vocabulary term. With no result
    // at all the corrected query is answered instead; with very few, it is only suggested.
    const corrected = correctQuery(index, params.q);
    if (corrected !== null) {
      const alt = await runSearch(index, { ...params, q: corrected });
      if (res.total === 0 && alt.total > 0 && params.correct !== false) {
        alt.didYouMean = corrected;
        alt.corrected = true;
        alt.tookMs = round(now() - t0);
        return alt;
      }
      if (alt.total >= Math.max(5, res.total * 10) || (res.total === 0 && alt.total > 0)) res.didYouMean = corrected;
    }
  }
  res.tookMs = round(now() - t0);
  return res;
}

/**
 * The query with each unknown word replaced by its closest known term, or null if none changes. Only
 * words are corrected (quoted, negated and field-scoped ones too), in place: operators, quotes,
 * parentheses and fields stay as typed. The answer ends with a space, so its last word is exact.
 */
export function correctQuery(index: SearchIndex, q: string): string | null {
  let out = q;
  let changed = false;
  // Right to left, so the offsets of the words not yet replaced stay valid.
  for (const w of parseSearchQuery(q).words.reverse()) {
    if (w.terms.length !== 1) continue;
    const { term, prefix } = w.terms[0] as { term: string; prefix: boolean };
    if (termGroup(index, term, prefix).length > 0) continue;
    const fix = closestTerm(index, term);
    if (fix === null) continue;
    out = out.slice(0, w.start) + fix + out.slice(w.end);
    changed = true;
  }
  return changed ? out.trim().split(/\s+/).join(' ') + ' ' : null;
}

async function runSearch(index: SearchIndex, params: SearchParams): Promise<SearchResponse> {
  // A malformed q is a QuerySyntaxError (400 bad_query); a q without terms is no text condition.
  const query = parseSearchQuery(params.q);
  const hasText = query.root !== null;
  // The words that score and are marked: the positive ones.
  const words = rankingTerms(query);

  // Date range → a contiguous doc range, because doc numbers are in date order.
  const lo = params.from ? index.lowerBoundDay(parseIsoDate(params.from) as number) : 0;
  const hi = params.to ? index.lowerBoundDay((parseIsoDate(params.to) as number) + 1) : index.size;

  // Every facet filter as (facet, value ids); an unknown value matches nothing.
  const requested: Array<[FacetData, string[]]> = [[index.people, params.person], [index.locations, params.location], [index.about, params.about]];
  const filters: FacetFilter[] = [];
  let unknownFilter = false;
  for (const [facet, values] of requested) {
    if (values.length === 0) continue;
    const ids = values.map((v) => facet.lookup(v));
    if (ids.some((id) => id === undefined)) unknownFilter = true;
    else filters.push({ facet, ids: ids as number[] });
  }

  let docs: Uint32Array;
  let scores: Float64Array | null = null;
  const boost = params.recency !== null && params.sort === 'relevance' ? recencyBoost(index, params.recency) : null;
  if (unknownFilter || lo >= hi) {
    docs = new Uint32Array(0);
  } else if (hasText) {
    // Phrases are checked only within the filters, when there are any.
    const filtered = filters.length > 0 || lo > 0 || hi < index.size;
    const m = await matchQuery(index, query, () => (filtered ? baseDocs(index, lo, hi, filters) : null));
    // Null for a purely negative query ("-opec": everything else): no scores, ordered by date.
    scores = m.scores;
    docs = filterDocs(m.docs, lo, hi, filters, index.size);
    // Boosted before stage 1 picks its head, so a recent story can enter the re-scored top.
    if (boost && scores) {
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i] as number;
        scores[d] = (scores[d] as number) * boost(d);
      }
    }
  } else {
    docs = baseDocs(index, lo, hi, filters);
  }

  const facets = {
    person: index.people.top(docs, params.facetLimit),
    location: index.locations.top(docs, params.facetLimit),
    about: index.about.top(docs, params.facetLimit),
    date: monthHistogram(index, docs),
  };

  // Paging: `page` is an offset into the order; a cursor resumes right after the sort key of the
  // last hit it names (search-after), so a deep page costs what the first one does.
  const after = params.cursor?.after ?? null;
  const offset = after ? 0 : (params.page - 1) * params.limit;
  const wanted = offset + params.limit;
  let ordered: number[];
  let scoreOf = (_d: number) => 0;
  /** Hits from the start of `ordered` to the end of the result set; the sort key of a hit. */
  let rest = docs.length;
  let keyOf = (d: number): SearchAfter => ({ kind: 'date', day: index.days[d] as number, doc: d });
  if (params.sort === 'relevance' && scores) {
    if (after?.kind === 'date' && docs.length > 0) throw cursorMismatch();
    // A cursor below the head continues in stage-1 order; picked before awaiting, like `stage1`.
    const tail = after?.kind === 'tail' ? relevanceAfter(index, docs, scores, after, params.limit) : null;
    // Stage 1 orders everything; stage 2 re-scores the best RERANK_DEPTH with their stored tokens.
    const top = orderDocs(index, docs, scores, 'relevance', after?.kind === 'head' ? RERANK_DEPTH + params.limit : Math.max(wanted, RERANK_DEPTH));
    // Copied before awaiting: the scratch score array is reused by the next query.
    const stage1 = new Map(top.map((d) => [d, scores[d] as number]));
    for (const d of tail?.first ?? []) stage1.set(d, scores[d] as number);
    const head = top.slice(0, RERANK_DEPTH);
    // Their token ids, not their text: bodies are read only for the page shown (snippets).
    const rq = rerankQuery(index, words.terms, words.prefix);
    const headTokens = await index.tokens.tokens(head, rq.wanted);
    const rescored = head
      .map((d, i) => ({ d, s: fullScore(index, d, headTokens[i] as DocTokens, rq) * (boost ? boost(d) : 1) }))
      .sort((a, b) => b.s - a.s || b.d - a.d);
    const floor = rescored.length ? (rescored[rescored.length - 1] as { s: number }).s : Infinity;
    const final = new Map<number, number>(rescored.map((x) => [x.d, x.s]));
    // Below the re-scored head, stage-1 scores are capped so scores never rise down the list.
    for (const d of [...top.slice(RERANK_DEPTH), ...(tail?.first ?? [])]) final.set(d, Math.min(stage1.get(d) as number, floor));
    ordered = [...rescored.map((x) => x.d), ...top.slice(RERANK_DEPTH)];
    scoreOf = (d) => final.get(d) ?? 0;
    const headScore = new Map(rescored.map((x) => [x.d, x.s]));
    keyOf = (d) => (headScore.has(d) ? { kind: 'head', score: headScore.get(d) as number, doc: d } : { kind: 'tail', score: stage1.get(d) as number, doc: d });
    if (after?.kind === 'head') {
      // The head is ordered by score, then doc, descending: resume at its first entry past the key.
      const i = rescored.findIndex((x) => x.s < after.score || (x.s === after.score && x.d < after.doc));
      const skip = i === -1 ? rescored.length : i;
      ordered = ordered.slice(skip);
      rest = docs.length - skip;
    } else if (tail) {
      ordered = tail.first;
      rest = tail.count;
    }
  } else {
    if (after && after.kind !== 'date' && docs.length > 0) throw cursorMismatch();
    const from = after?.kind === 'date' ? dateAfter(index, docs, after, params.sort === 'date_asc') : docs;
    ordered = orderDocs(index, from, scores, params.sort, wanted);
    rest = from.length;
  }
  const pageDocs = ordered.slice(offset, wanted);
  const more = rest - offset - pageDocs.length > 0;
  const pageScores = pageDocs.map((d) => round(scoreOf(d)));
  const bodies = await index.docs.bodies(pageDocs);
  // Each positive word with its other forms, and every completion of the prefix (and of any other
  // prefix, as words). Never a negated word.
  const marked = [...words.terms, ...words.otherPrefixes.flatMap((p) => termGroup(index, p, true).map((g) => g.term))];
  const matcher = Matcher.forQuery(index, marked, words.prefix);
  const hits: SearchHit[] = pageDocs.map((d, i) => ({
    id: index.ids[d] as string,
    title: index.titles[d] as string,
    date: index.date(d),
    url: index.urls[d] ?? null,
    people: index.people.valuesOf(d),
    locations: index.locations.valuesOf(d),
    about: index.about.valuesOf(d),
    score: pageScores[i] as number,
    snippet: makeSnippet(bodies[i] as string, matcher),
  }));

  const response: SearchResponse = {
    total: docs.length,
    page: params.page,
    limit: params.limit,
    sort: params.sort,
    hits,
    facets,
    tookMs: 0,
  };
  if (more && pageDocs.length > 0) NEXT.set(response, keyOf(pageDocs[pageDocs.length - 1] as number));
  return response;
}

/** Sort keys of the last hit of answers after which more hits follow (see `nextAfter`). */
const NEXT = new WeakMap<SearchResponse, SearchAfter>();

/**
 * The sort key of an answer's last hit when more hits follow it: what a cursor for the next page
 * holds (core/http/cursor.ts encodes it). Kept beside the answer, not in it: doc numbers and raw
 * scores are not part of the public response.
 */
export function nextAfter(res: SearchResponse): SearchAfter | undefined {
  return NEXT.get(res);
}

function cursorMismatch(): BadRequestError {
  return new BadRequestError('invalid_parameter', 'cursor does not fit this query; pass the nextCursor of an answer to the same query', 'cursor');
}

/** The docs after `key` in stage-1 relevance order (score, then doc, descending): the first `k`, and how many. */
function relevanceAfter(index: SearchIndex, docs: Uint32Array, scores: Float64Array, key: { score: number; doc: number }, k: number) {
  const rest = docs.filter((d) => {
    const s = scores[d] as number;
    return s < key.score || (s === key.score && d < key.doc);
  });
  return { first: orderDocs(index, rest, scores, 'relevance', k), count: rest.length };
}

/** The docs after `key` in date order (day, then doc; doc numbers are in date order). */
function dateAfter(index: SearchIndex, docs: Uint32Array, key: { day: number; doc: number }, asc: boolean): Uint32Array {
  return docs.filter((d) => {
    const day = index.days[d] as number;
    return asc ? day > key.day || (day === key.day && d > key.doc) : day < key.day || (day === key.day && d < key.doc);
  });
}

/**
 * Relevance multiplier for the optional recency boost: 1 for the newest article in the index, 0.75 one
 * half-life older, never below 0.5, so a much better match still wins. Age is counted from the newest
 * article rather than today, because an archive's "now" is its last story (Reuters-21578 ends in 1987).
 */
export function recencyBoost(index: SearchIndex, halfLifeDays: number): (doc: number) => number {
  const newest = index.size > 0 ? (index.days[index.size - 1] as number) : 0;
  return (doc) => 0.5 + 0.5 * 2 ** (-(newest - (index.days[doc] as number)) / halfLifeDays);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Documents must carry every value in `ids` of this facet. */
interface FacetFilter {
  facet: FacetData;
  ids: number[];
}

/** Without text: start from the rarest facet filter (or the date range) and check the rest per doc. */
function baseDocs(index: SearchIndex, lo: number, hi: number, filters: FacetFilter[]): Uint32Array {
  const lists = filters.flatMap((f) => f.ids.map((id) => f.facet.postings[id] as Uint32Array));
  if (lists.length === 0) {
    const all = new Uint32Array(hi - lo);
    for (let i = 0; i < all.length; i++) all[i] = lo + i;
    return all;
  }
  const smallest = lists.reduce((a, b) => (b.length < a.length ? b : a));
  return filterDocs(smallest, lo, hi, filters, index.size);
}

function filterDocs(docs: Uint32Array, lo: number, hi: number, filters: FacetFilter[], size: number): Uint32Array {
  if (lo === 0 && hi >= size && filters.length === 0) return docs;
  const out = new Uint32Array(docs.length);
  let k = 0;
  outer: for (let i = 0; i < docs.length; i++) {
    const d = docs[i] as number;
    if (d < lo || d >= hi) continue;
    for (const f of filters) for (const id of f.ids) if (!f.facet.has(d, id)) continue outer;
    out[k++] = d;
  }
  return out.subarray(0, k);
}

function monthHistogram(index: SearchIndex, docs: Uint32Array): FacetValue[] {
  const counts = new Uint32Array(index.monthLabels.length);
  for (let i = 0; i < docs.length; i++) {
    const m = index.monthOfDoc[docs[i] as number] as number;
    counts[m] = (counts[m] as number) + 1;
  }
  const out: FacetValue[] = [];
  counts.forEach((count, m) => {
    if (count > 0) out.push({ value: index.monthLabels[m] as string, count });
  });
  return out;
}

/** The first `wanted` docs in the requested order. Ties break by date (newest first), then doc number. */
function orderDocs(
  index: SearchIndex,
  docs: Uint32Array,
  scores: Float64Array | null,
  sort: SearchParams['sort'],
  wanted: number,
): number[] {
  if (sort === 'relevance' && scores) {
    return topK(docs, wanted, (a, b) => (scores[b] as number) - (scores[a] as number) || b - a);
  }
  // Doc numbers are in date order, so date sorts are numeric sorts of doc numbers. Filter-only
  // result sets are already ascending; text matches need one native typed-array sort.
  const asc = sort === 'date_asc';
  const sorted = isAscending(docs) ? docs : Uint32Array.from(docs).sort();
  const n = sorted.length;
  const take = Math.min(wanted, n);
  const out = new Array<number>(take);
  for (let i = 0; i < take; i++) out[i] = sorted[asc ? i : n - 1 - i] as number;
  return out;
}

function isAscending(docs: Uint32Array): boolean {
  for (let i = 1; i < docs.length; i++) if ((docs[i] as number) < (docs[i - 1] as number)) return false;
  return true;
}
