import type { Document } from 'flexsearch';
import { createFlexDocument, exportFlex, FLEX_CONFIG } from '../core/flex.ts';
import { upperBound } from '../core/bounds.ts';
import { parseIsoDate } from '../core/dates.ts';
import { facetKey, tokenize } from '../core/text.ts';
import type { StoredArticle } from '../core/types.ts';
import { encodePart, sha256Hex } from '../core/format/codec.ts';
import { docChunkName, flexPartName, FORMAT_NAME, FORMAT_VERSION, type Manifest, type PartInfo, type PartRole } from '../core/format/format.ts';
import type { DocsPart, FacetColumn, FlexPart, MetaPart, VocabPart } from '../core/format/parts.ts';

export interface BundleOptions {
  docChunkSize?: number;
  /** Target raw size of one FlexSearch part; several parts load in parallel. */
  flexPartBytes?: number;
  /** Postings per FlexSearch shard (default 150,000): smaller shards, less to load per query. */
  postingsPerShard?: number;
  flexsearchVersion?: string;
  now?: () => Date;
}

export interface Bundle {
  manifest: Manifest;
  /** Part name → stored bytes, `manifest.json` included. */
  files: Map<string, Uint8Array>;
}

/** Compares dates, then ids, so doc numbers (and thus builds) are deterministic. */
function byDateThenId(a: StoredArticle, b: StoredArticle): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Turns validated articles into a bundle. Pure: the caller decides where the bytes go.
 * Articles get dense doc numbers in date order, which makes date sorting free and a date range a
 * contiguous range of doc numbers.
 */
export async function buildBundle(input: readonly StoredArticle[], opts: BundleOptions = {}): Promise<Bundle> {
  const docChunkSize = opts.docChunkSize ?? 64;
  const articles = [...input].sort(byDateThenId);

  // Pass 1: document frequencies, which fix the vocabulary and the shard boundaries.
  const df = new Map<string, number>();
  const titleLens: number[] = [];
  const bodyLens: number[] = [];
  for (const a of articles) {
    const ti = tokenize(a.title);
    const bo = tokenize(a.body);
    titleLens.push(ti.length);
    bodyLens.push(bo.length);
    for (const t of new Set([...ti, ...bo])) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const terms = [...df.keys()].sort();
  const dfs = terms.map((t) => df.get(t) as number);
  const shardStarts = shardBoundaries(dfs, opts.postingsPerShard ?? 150_000);

  // Pass 2: each article goes to every shard that holds one of its terms, with only those terms,
  // in their original order (FlexSearch scores by position).
  const shardOf = new Map<string, number>();
  terms.forEach((t, i) => shardOf.set(t, upperBound(shardStarts, i) - 1));
  const shards = shardStarts.map(() => createFlexDocument());
  for (let n = 0; n < articles.length; n++) {
    const a = articles[n] as StoredArticle;
    const title = split(tokenize(a.title), shardOf, shards.length);
    const body = split(tokenize(a.body), shardOf, shards.length);
    for (let s = 0; s < shards.length; s++) {
      const ti = title[s];
      const bo = body[s];
      if (ti || bo) (shards[s] as Document).add({ id: n, title: ti?.join(' ') ?? '', body: bo?.join(' ') ?? '' });
    }
  }

  const files = new Map<string, Uint8Array>();
  const parts: PartInfo[] = [];
  const put = (name: string, role: PartRole, value: unknown, shard?: number) => {
    const bytes = encodePart(value);
    files.set(name, bytes);
    parts.push({ name, role, bytes: bytes.byteLength, sha256: sha256Hex(bytes), encoding: 'gzip', ...(shard === undefined ? {} : { shard }) });
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
  };
  put('meta.json.gz', 'meta', meta);

  const vocab: VocabPart = { terms, df: dfs, shardStarts };
  put('vocab.json.gz', 'vocab', vocab);

  for (let sh = 0; sh < shards.length; sh++) {
    const flexParts = splitBySize(await exportFlex(shards[sh] as Document), opts.flexPartBytes ?? 1 << 20);
    flexParts.forEach((entries, i) => put(flexPartName(sh, i), 'flex', entries, sh));
  }

  for (let start = 0, c = 0; start < articles.length; start += docChunkSize, c++) {
    const chunk: DocsPart = { start, bodies: articles.slice(start, start + docChunkSize).map((a) => a.body) };
    put(docChunkName(c), 'docs', chunk);
  }

  const first = articles[0];
  const last = articles[articles.length - 1];
  const manifest: Manifest = {
    format: FORMAT_NAME,
    formatVersion: FORMAT_VERSION,
    indexVersion: sha256Hex(new TextEncoder().encode(parts.map((p) => p.sha256).join(','))).slice(0, 16),
    builtAt: (opts.now ?? (() => new Date()))().toISOString(),
    articleCount: articles.length,
    docChunkSize,
    flexsearch: { version: opts.flexsearchVersion ?? 'unknown', config: FLEX_CONFIG },
    dateRange: first && last ? { from: first.date, to: last.date } : null,
    parts,
  };
  files.set('manifest.json', new TextEncoder().encode(JSON.stringify(manifest, null, 2)));
  return { manifest, files };
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
  const capitals = (s: string) => s.replace(/[^\p{Lu}]/gu, '').length;
  for (const [key, m] of spellings) {
    const best = [...m].sort((a, b) => b[1] - a[1] || capitals(b[0]) - capitals(a[0]) || (a[0] < b[0] ? -1 : 1))[0] as [string, number];
    display.set(key, best[0]);
  }
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

/**
 * Splits the sorted vocabulary into contiguous ranges holding about `target` postings each, so a
 * query loads only the shards of its terms, and a prefix's expansions (neighbours in sort order)
 * usually sit in one shard. Returns the index of the first term of each shard.
 */
function shardBoundaries(dfs: number[], target: number): number[] {
  const starts = [0];
  let sum = 0;
  for (let i = 0; i < dfs.length; i++) {
    if (sum >= target) {
      starts.push(i);
      sum = 0;
    }
    sum += dfs[i] as number;
  }
  return starts;
}

function split(tokens: string[], shardOf: Map<string, number>, count: number): Array<string[] | undefined> {
  const out = new Array<string[] | undefined>(count);
  for (const t of tokens) {
    const s = shardOf.get(t) as number;
    (out[s] ??= []).push(t);
  }
  return out;
}

function splitBySize(entries: FlexPart, target: number): FlexPart[] {
  const out: FlexPart[] = [];
  let cur: FlexPart = [];
  let size = 0;
  for (const e of entries) {
    if (cur.length && size + e[1].length > target) {
      out.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(e);
    size += e[1].length;
  }
  if (cur.length || out.length === 0) out.push(cur);
  return out;
}
