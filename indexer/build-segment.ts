import type { Document } from 'flexsearch';
import { createFlexDocument, fieldMaps, FLEX_CONFIG } from '../core/flex.ts';
import { parseIsoDate } from '../core/dates.ts';
import { facetKey, normalizeLanguage, preferredSpelling } from '../core/text.ts';
import type { StoredArticle } from '../core/types.ts';
import { encodePart, sha256Hex } from '../core/format/codec.ts';
import { docChunkName, POSTINGS_PART_NAME, segmentPartName, tokenChunkName, type PartInfo, type PartRole, type SegmentInfo } from '../core/format/format.ts';
import type { DocsPart, FacetColumn, MetaPart, TokensPart } from '../core/format/parts.ts';
import { encodePostings } from '../core/format/postings.ts';
import { encodeTokenIds } from '../core/format/token-ids.ts';
import { termShard } from '../core/format/shards.ts';
import { TermStats } from './term-stats.ts';
import { bodyPositions } from './body-positions.ts';

export interface SegmentOptions {
  /** Term shards of the index (`Manifest.termShards`). */
  termShards: number;
  /** Articles per `docs` chunk. */
  docChunkSize: number;
  /** The analyzer's language for articles without a `lang` (normalized). */
  language: string;
  /** When the segment's articles were added (`SegmentInfo.addedAt`); default now. */
  addedAt?: string;
}

export interface BuiltSegment {
  info: SegmentInfo;
  /** Part → stored bytes (names already carry the segment id). */
  parts: Array<{ info: PartInfo; bytes: Uint8Array }>;
  stats: TermStats;
}

/** Compares dates, then ids: the order of rows in a segment and of doc numbers in an index. */
export function byDateThenId(a: StoredArticle, b: StoredArticle): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * One immutable segment from articles (sorted here by date, then id): its columns (`meta`), term
 * statistics (`terms`), FlexSearch's postings of its terms (`postings`, built per term shard), stored text (`docs`) and the same text as
 * token ids into its terms (`tokens`). Pure: the caller
 * decides where the bytes go. The segment id is the hash of its parts' hashes, so the same articles
 * always make the same segment.
 */
export async function buildSegment(input: readonly StoredArticle[], opts: SegmentOptions): Promise<BuiltSegment> {
  if (input.length === 0) throw new Error('a segment needs at least one article');
  const articles = [...input].sort(byDateThenId);
  const stats = new TermStats();
  const shards = Array.from({ length: opts.termShards }, (): Document | null => null);
  const titleLens: number[] = [];
  const bodyLens: number[] = [];
  const tokenized: Array<{ titleTokens: string[]; bodyTokens: string[] }> = [];
  for (const a of articles) {
    const lang = (a.lang !== undefined ? normalizeLanguage(a.lang) : null) ?? opts.language;
    const t = stats.addArticle(a.title, a.body, lang);
    titleLens.push(t.titleTokens.length);
    bodyLens.push(t.bodyTokens.length);
    tokenized.push(t);
  }
  // Token ids index the segment's sorted terms: `TermStats.toPart` sorts the same keys (checked below).
  const termIds = new Map([...stats.df.keys()].sort().map((t, i) => [t, i]));
  const idsOf = (tokens: string[]) => encodeTokenIds(tokens.map((t) => termIds.get(t) as number));
  const titleIds: string[] = [];
  const bodyIds: string[] = [];
  // Each article goes to every shard that holds one of its terms, with only those terms, in their
  // original order (FlexSearch ranks by position).
  for (let n = 0; n < articles.length; n++) {
    const { titleTokens, bodyTokens } = tokenized[n] as { titleTokens: string[]; bodyTokens: string[] };
    titleIds.push(idsOf(titleTokens));
    bodyIds.push(idsOf(bodyTokens));
    stats.countOccurrences(titleTokens);
    stats.countOccurrences(bodyTokens);
    const title = split(titleTokens, opts.termShards);
    const body = split(bodyTokens, opts.termShards);
    for (let s = 0; s < opts.termShards; s++) {
      const ti = title[s];
      const bo = body[s];
      if (ti || bo) (shards[s] ??= createFlexDocument()).add({ id: n, title: ti?.join(' ') ?? '', body: bo?.join(' ') ?? '' });
    }
    tokenized[n] = { titleTokens: [], bodyTokens: [] };
  }

  const parts: Array<{ info: PartInfo; bytes: Uint8Array }> = [];
  const put = (name: string, role: PartRole, value: unknown) => {
    const bytes = encodePart(value);
    parts.push({ info: { name, role, bytes: bytes.byteLength, sha256: sha256Hex(bytes), encoding: 'gzip' }, bytes });
  };
  const meta: MetaPart = {
    ids: articles.map((a) => a.id),
    titles: articles.map((a) => a.title),
    urls: articles.map((a) => a.url),
    days: articles.map((a) => parseIsoDate(a.date) as number),
    people: facetColumn(articles.map((a) => a.people)),
    locations: facetColumn(articles.map((a) => a.locations)),
    about: facetColumn(articles.map((a) => a.about)),
    titleLens,
    bodyLens,
    langs: articles.map((a) => a.lang ?? ''),
  };
  put('meta.json.gz', 'meta', meta);
  const terms = stats.toPart();
  if (terms.terms.length !== termIds.size || terms.terms.some((t, i) => termIds.get(t) !== i)) throw new Error('token ids do not index the segment terms');
  put('terms.json.gz', 'terms', terms);
  // FlexSearch's term maps (its `reg`, every id for updates, is never needed) become one binary
  // postings part: a term lives in exactly one shard, so the shards' maps join without conflict.
  const maps = shards.map((doc) => (doc ? fieldMaps(doc) : null));
  const fieldsOf = (term: string) => (maps[termShard(term, opts.termShards)] ?? []).map((m) => m.get(term));
  const postings = encodePostings(terms.terms, FLEX_CONFIG.fields.length, fieldsOf, bodyPositions(bodyIds, terms.terms.length));
  shards.fill(null);
  parts.push({
    info: {
      name: POSTINGS_PART_NAME, role: 'postings', bytes: postings.bytes.byteLength, sha256: sha256Hex(postings.bytes), encoding: 'binary',
      hot: { ...postings.hot, sha256: sha256Hex(postings.bytes.subarray(postings.hot.offset, postings.hot.offset + postings.hot.length)) },
    },
    bytes: postings.bytes,
  });
  for (let start = 0, c = 0; start < articles.length; start += opts.docChunkSize, c++) {
    const chunk: DocsPart = { start, bodies: articles.slice(start, start + opts.docChunkSize).map((a) => a.body) };
    put(docChunkName(c), 'docs', chunk);
  }
  for (let start = 0, c = 0; start < articles.length; start += opts.docChunkSize, c++) {
    const end = start + opts.docChunkSize;
    const chunk: TokensPart = { start, titles: titleIds.slice(start, end), bodies: bodyIds.slice(start, end) };
    put(tokenChunkName(c), 'tokens', chunk);
  }
  const id = sha256Hex(new TextEncoder().encode(parts.map((p) => p.info.sha256).join(','))).slice(0, 16);
  for (const p of parts) {
    p.info.name = segmentPartName(id, p.info.name);
    p.info.segment = id;
  }
  const info: SegmentInfo = {
    id,
    articleCount: articles.length,
    dateRange: { from: (articles[0] as StoredArticle).date, to: (articles[articles.length - 1] as StoredArticle).date },
    docChunkSize: opts.docChunkSize,
    deleted: [],
    addedAt: opts.addedAt ?? new Date().toISOString(),
  };
  return { info, parts, stats };
}

/**
 * Column of facet values. Values that differ only in case or spacing ("reagan" from a label,
 * "Reagan" from the text) are one value, shown in its most frequent spelling (ties: the one with
 * more capitals), so a case-insensitive filter can never be ambiguous.
 */
function facetColumn(perDoc: string[][]): FacetColumn {
  const spellings = new Map<string, Map<string, number>>();
  for (const list of perDoc) {
    for (const v of list) {
      const key = facetKey(v);
      const m = spellings.get(key) ?? new Map<string, number>();
      m.set(v, (m.get(v) ?? 0) + 1);
      spellings.set(key, m);
    }
  }
  const display = new Map<string, string>();
  for (const [key, m] of spellings) display.set(key, preferredSpelling(m));
  const index = new Map<string, number>();
  const values: string[] = [];
  const offsets = [0];
  const refs: number[] = [];
  for (const list of perDoc) {
    const seen = new Set<number>();
    for (const v of list) {
      const key = facetKey(v);
      let i = index.get(key);
      if (i === undefined) {
        i = values.length;
        values.push(display.get(key) as string);
        index.set(key, i);
      }
      if (!seen.has(i)) refs.push(i);
      seen.add(i);
    }
    offsets.push(refs.length);
  }
  return { values, offsets, refs };
}

function split(tokens: string[], count: number): Array<string[] | undefined> {
  const out = new Array<string[] | undefined>(count);
  for (const t of tokens) (out[termShard(t, count)] ??= []).push(t);
  return out;
}
