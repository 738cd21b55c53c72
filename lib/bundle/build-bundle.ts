import { createFlexDocument, exportFlex, FLEX_CONFIG } from '../flex.ts';
import { parseIsoDate } from '../dates.ts';
import { facetKey, tokenize } from '../text.ts';
import type { StoredArticle } from '../types.ts';
import { encodePart, sha256Hex } from './codec.ts';
import { docChunkName, FORMAT_NAME, FORMAT_VERSION, type Manifest, type PartInfo, type PartRole } from './format.ts';
import type { DocsPart, FacetColumn, FlexPart, MetaPart, VocabPart } from './parts.ts';

export interface BundleOptions {
  docChunkSize?: number;
  /** Target raw size of one FlexSearch part; several parts load in parallel. */
  flexPartBytes?: number;
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
  const docChunkSize = opts.docChunkSize ?? 200;
  const articles = [...input].sort(byDateThenId);
  const flex = createFlexDocument();
  const df = new Map<string, number>();
  for (let n = 0; n < articles.length; n++) {
    const a = articles[n] as StoredArticle;
    const titleTerms = tokenize(a.title);
    const bodyTerms = tokenize(a.body);
    flex.add({ id: n, title: titleTerms.join(' '), body: bodyTerms.join(' ') });
    for (const t of new Set([...titleTerms, ...bodyTerms])) df.set(t, (df.get(t) ?? 0) + 1);
  }

  const files = new Map<string, Uint8Array>();
  const parts: PartInfo[] = [];
  const put = (name: string, role: PartRole, value: unknown) => {
    const bytes = encodePart(value);
    files.set(name, bytes);
    parts.push({ name, role, bytes: bytes.byteLength, sha256: sha256Hex(bytes), encoding: 'gzip' });
  };

  const meta: MetaPart = {
    ids: articles.map((a) => a.id),
    titles: articles.map((a) => a.title),
    urls: articles.map((a) => a.url),
    days: articles.map((a) => parseIsoDate(a.date) as number),
    people: facetColumn(articles.map((a) => a.people)),
    locations: facetColumn(articles.map((a) => a.locations)),
  };
  put('meta.json.gz', 'meta', meta);

  const terms = [...df.keys()].sort();
  const vocab: VocabPart = { terms, df: terms.map((t) => df.get(t) as number) };
  put('vocab.json.gz', 'vocab', vocab);

  const flexParts = splitBySize(await exportFlex(flex), opts.flexPartBytes ?? 1 << 20);
  flexParts.forEach((entries, i) => put(`flex-${String(i).padStart(3, '0')}.json.gz`, 'flex', entries));

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
