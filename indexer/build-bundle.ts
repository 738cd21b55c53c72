import type { Document } from 'flexsearch';
import { createFlexDocument, exportFlex, FLEX_CONFIG } from '../core/flex.ts';
import { upperBound } from '../core/bounds.ts';
import { parseIsoDate } from '../core/dates.ts';
import { DEFAULT_LANGUAGE, facetKey, foldWord, normalizeLanguage, stemmerName, stemOf, tokenize, wordSpans } from '../core/text.ts';
import type { StoredArticle } from '../core/types.ts';
import { encodePart, sha256Hex } from '../core/format/codec.ts';
import { docChunkName, flexPartName, FORMAT_NAME, FORMAT_VERSION, type Manifest, type PartInfo, type PartRole } from '../core/format/format.ts';
import type { DocsPart, FacetColumn, FlexPart, MetaPart, StemClasses, VocabPart } from '../core/format/parts.ts';

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

export interface BundleOptions {
  docChunkSize?: number;
  /** Target raw size of one FlexSearch part; several parts load in parallel. */
  flexPartBytes?: number;
  /** Postings per FlexSearch shard (default 150,000): smaller shards, less to load per query. */
  postingsPerShard?: number;
  flexsearchVersion?: string;
  /**
   * The analyzer's language for articles without a `lang` of their own (`--language`; default `en`):
   * it picks the stemmer. `none` (or a language without a stemmer) only folds words.
   */
  language?: string;
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

  const language = normalizeLanguage(opts.language ?? DEFAULT_LANGUAGE);
  if (language === null) throw new Error(`not a language: ${JSON.stringify(opts.language)} (use an ISO 639-1 code such as en, de, ru, or none)`);

  // Pass 1: document frequencies, which fix the vocabulary and the shard boundaries; the words of
  // each language (for stem classes) and how words are written where that differs from the folded form.
  const df = new Map<string, number>();
  const titleLens: number[] = [];
  const bodyLens: number[] = [];
  const wordsByLang = new Map<string, Set<string>>();
  const spellings = new Map<string, Map<string, number>>();
  for (const a of articles) {
    const lang = (a.lang !== undefined ? normalizeLanguage(a.lang) : null) ?? language;
    let langWords = wordsByLang.get(lang);
    if (!langWords) wordsByLang.set(lang, (langWords = new Set()));
    const seen = new Set<string>();
    for (const [text, lens] of [[a.title, titleLens], [a.body, bodyLens]] as const) {
      if (ASCII.test(text)) {
        // An ASCII word's lower case is its folded form: nothing to learn about spellings.
        const tokens = tokenize(text);
        lens.push(tokens.length);
        for (const t of tokens) seen.add(t);
        continue;
      }
      const spans = wordSpans(text);
      lens.push(spans.length);
      for (const { start, end, term } of spans) {
        seen.add(term);
        // Written otherwise than folded ("Café", "музей")? Count the lower-cased spelling.
        const lower = text.slice(start, end).toLowerCase();
        if (lower !== term) {
          const m = spellings.get(term) ?? new Map<string, number>();
          m.set(lower, (m.get(lower) ?? 0) + 1);
          spellings.set(term, m);
        }
      }
    }
    for (const t of seen) {
      df.set(t, (df.get(t) ?? 0) + 1);
      langWords.add(t);
    }
  }
  const terms = [...df.keys()].sort();
  const dfs = terms.map((t) => df.get(t) as number);
  const shardStarts = shardBoundaries(dfs, opts.postingsPerShard ?? 150_000);

  // Pass 2: each article goes to every shard that holds one of its terms, with only those terms,
  // in their original order (FlexSearch scores by position).
  const shardOf = new Map<string, number>();
  terms.forEach((t, i) => shardOf.set(t, upperBound(shardStarts, i) - 1));
  const shards = shardStarts.map(() => createFlexDocument());
  // Occurrences of the terms with other spellings, for the most common spelling.
  const occurrences = new Map<string, number>();
  const count = (tokens: string[]) => {
    if (spellings.size > 0) for (const t of tokens) if (spellings.has(t)) occurrences.set(t, (occurrences.get(t) ?? 0) + 1);
    return tokens;
  };
  for (let n = 0; n < articles.length; n++) {
    const a = articles[n] as StoredArticle;
    const title = split(count(tokenize(a.title)), shardOf, shards.length);
    const body = split(count(tokenize(a.body)), shardOf, shards.length);
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

  const termIndex = new Map(terms.map((t, i) => [t, i]));
  const vocab: VocabPart = {
    terms,
    df: dfs,
    shardStarts,
    shown: shownSpellings(terms, spellings, occurrences),
    stems: [...wordsByLang].sort((a, b) => (a[0] < b[0] ? -1 : 1)).flatMap(([lang, words]) => stemClasses(lang, words, terms, termIndex)),
  };
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
    analyzer: {
      language,
      languages: [...new Set([...wordsByLang.keys(), language])].sort(),
      stemmers: Object.fromEntries([...new Set([...wordsByLang.keys(), language])].sort().flatMap((l) => (stemmerName(l) ? [[l, stemmerName(l) as string]] : []))),
    },
    dateRange: first && last ? { from: first.date, to: last.date } : null,
    parts,
  };
  files.set('manifest.json', new TextEncoder().encode(JSON.stringify(manifest, null, 2)));
  return { manifest, files };
}

/**
 * The spelling to show for each term written otherwise than folded: its most common lower-cased
 * surface form, if that is not the folded term itself ("музей", "hôpital"; "cafe" stays when most
 * articles write it so).
 */
function shownSpellings(terms: string[], spellings: Map<string, Map<string, number>>, occurrences: Map<string, number>): VocabPart['shown'] {
  const refs: number[] = [];
  const forms: string[] = [];
  terms.forEach((t, i) => {
    const m = spellings.get(t);
    if (!m) return;
    let plain = occurrences.get(t) ?? 0;
    for (const n of m.values()) plain -= n;
    const best = [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] as [string, number];
    if (best[1] > plain && foldWord(best[0]) === t) {
      refs.push(i);
      forms.push(best[0]);
    }
  });
  return { refs, forms };
}

/**
 * Terms by stem in one language, for matching other forms of a query word. A stem whose only term is
 * the stem itself is left out (the exact term finds it); one whose only term differs ("elect" →
 * elections) is kept, so a query for a form the archive never uses still finds the others.
 */
function stemClasses(lang: string, words: Set<string>, terms: string[], termIndex: Map<string, number>): StemClasses[] {
  const byStem = new Map<string, number[]>();
  for (const w of words) {
    const key = stemOf(w, lang);
    const list = byStem.get(key);
    if (list) list.push(termIndex.get(w) as number);
    else byStem.set(key, [termIndex.get(w) as number]);
  }
  const sizes: number[] = [];
  const refs: number[] = [];
  const stems: StemClasses['stems'] = [];
  let last = 0;
  for (const key of [...byStem.keys()].sort()) {
    const list = (byStem.get(key) as number[]).sort((a, b) => a - b);
    if (list.length === 1 && termIndex.get(key) === list[0]) continue;
    sizes.push(list.length);
    for (const r of list) {
      refs.push(r - last);
      last = r;
    }
    const first = terms[list[0] as number] as string;
    let p = 0;
    while (p < key.length && key[p] === first[p]) p++;
    stems.push(p === key.length ? p : [p, key.slice(p)]);
  }
  return sizes.length ? [{ lang, sizes, refs, stems }] : [];
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
