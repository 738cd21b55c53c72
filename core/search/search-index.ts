import type { Manifest } from '../format/format.ts';
import type { StemClasses, VocabPart } from '../format/parts.ts';
import { formatDay, monthOf } from '../dates.ts';
import type { StoredArticle } from '../types.ts';
import type { DocStore } from './doc-store.ts';
import type { TokenStore } from './token-store.ts';
import { lowerBoundString, upperBound } from '../bounds.ts';
import { FacetData } from './facet-data.ts';
import { lengthNorms, RANK } from './scoring.ts';
import { stemOf } from '../text.ts';
import type { PostingsStore } from './postings-store.ts';
import { IdTable } from './id-table.ts';
import type { PartCache } from './part-cache.ts';
import type { Columns, Layout } from './segment-layout.ts';

/** Stem classes as stored (`StemClasses`) → sorted stems, and the terms of stems[i] at refs[offsets[i]] … refs[offsets[i + 1] − 1]. */
function decodeStems(c: StemClasses, terms: readonly string[]) {
  const keys: string[] = [];
  const offsets = [0];
  const refs: number[] = [];
  let last = 0;
  c.sizes.forEach((size, i) => {
    for (let j = 0; j < size; j++) refs.push((last += c.refs[refs.length] as number));
    offsets.push(refs.length);
    const first = terms[refs[offsets[i] as number] as number] as string;
    const stem = c.stems[i] as number | [number, string];
    keys.push(typeof stem === 'number' ? first.slice(0, stem) : first.slice(0, stem[0]) + stem[1]);
  });
  return { lang: c.lang, keys, offsets, refs };
}

/**
 * A loaded index: the live articles of all its segments as one doc-number space (dense 0..N−1, in
 * date, then id, order: `segment-layout.ts`), with the index-wide vocabulary for ranking statistics,
 * column arrays for everything every query needs, and postings (read by byte range), stored text (`docs`:
 * snippets, `article`) and token ids (`tokens`: re-ranking, phrases) loaded on demand into one
 * byte-budgeted cache. Immutable once built, so one instance serves concurrent
 * requests and a reload swaps the whole object at once.
 */
export class SearchIndex {
  readonly size: number;
  readonly ids: string[];
  readonly titles: string[];
  readonly urls: Array<string | null>;
  readonly days: Int32Array;
  /** Month of each doc as an index into `monthLabels`. */
  readonly monthOfDoc: Uint16Array;
  readonly monthLabels: string[];
  readonly people: FacetData;
  readonly locations: FacetData;
  readonly about: FacetData;
  readonly terms: string[];
  readonly df: Uint32Array;
  /** BM25 length normalization per doc (`lengthNorm` in scoring.ts, b = `RANK.bTitle`, `RANK.bBody`), fixed at load. */
  readonly titleNorm: Float32Array;
  readonly bodyNorm: Float32Array;
  /** Built on first use (an article by id, a change): a cold start answering a search never needs it (~250 ms at 1M articles). */
  private docById: IdTable | null = null;
  private readonly stems: Array<{ lang: string; keys: string[]; offsets: number[]; refs: number[] }>;
  private readonly shown: Map<number, string>;

  constructor(
    readonly manifest: Manifest,
    meta: Columns,
    vocab: VocabPart,
    readonly layout: Layout,
    readonly postings: PostingsStore,
    readonly docs: DocStore,
    readonly tokens: TokenStore,
    readonly cache: PartCache,
    readonly loadMs: number,
  ) {
    this.size = meta.ids.length;
    this.ids = meta.ids;
    this.titles = meta.titles;
    this.urls = meta.urls;
    this.days = meta.days;
    this.people = new FacetData(meta.people);
    this.locations = new FacetData(meta.locations);
    this.about = new FacetData(meta.about);
    this.terms = vocab.terms;
    this.df = Uint32Array.from(vocab.df);
    this.stems = vocab.stems.map((c) => decodeStems(c, vocab.terms));
    this.shown = new Map(vocab.shown.refs.map((r, i) => [r, vocab.shown.forms[i] as string]));
    this.titleNorm = lengthNorms(meta.titleLens, this.size, RANK.bTitle);
    this.bodyNorm = lengthNorms(meta.bodyLens, this.size, RANK.bBody);
    this.monthLabels = [];
    this.monthOfDoc = new Uint16Array(this.size);
    let lastDay = Number.NaN;
    for (let n = 0; n < this.size; n++) {
      const day = this.days[n] as number;
      if (day !== lastDay) {
        const label = monthOf(day);
        if (this.monthLabels[this.monthLabels.length - 1] !== label) this.monthLabels.push(label);
        lastDay = day;
      }
      this.monthOfDoc[n] = this.monthLabels.length - 1;
    }
  }

  docOf(id: string): number | undefined {
    this.docById ??= new IdTable(this.ids);
    return this.docById.get(id);
  }

  date(doc: number): string {
    return formatDay(this.days[doc] as number);
  }

  /** First doc number whose day is >= `day` (binary search; days are non-decreasing). */
  lowerBoundDay(day: number): number {
    return upperBound(this.days, day - 1);
  }

  /** Index range [start, end) of vocabulary terms starting with `prefix`. */
  termRange(prefix: string): [number, number] {
    return [lowerBoundString(this.terms, prefix), lowerBoundString(this.terms, prefix + '\uffff')];
  }

  /** Index of `term` in the vocabulary, or -1. */
  termIndex(term: string): number {
    const [s, e] = this.termRange(term);
    return s < e && this.terms[s] === term ? s : -1;
  }

  /**
   * Vocabulary indices of the terms sharing a stem with the folded word `word` in any language of the
   * index ("elections" → election, elections, elected, …), the word itself included if it has one;
   * empty when the word has no other forms in the archive.
   */
  stemClass(word: string): number[] {
    let out: number[] = [];
    for (const c of this.stems) {
      const key = stemOf(word, c.lang);
      const i = lowerBoundString(c.keys, key);
      let refs: number[];
      if (c.keys[i] === key) refs = c.refs.slice(c.offsets[i], c.offsets[i + 1]);
      else {
        // A stem whose only term is the stem itself is not stored (the build leaves such classes out):
        // "rates" must still find an archive that only says "rate". Which languages a term occurs in
        // is not kept, so this holds for the index's own language only (French "lisbonn" → "lisbon"
        // must not pull in the English word).
        if (c.lang !== this.manifest.analyzer.language) continue;
        const t = this.termIndex(key);
        if (t < 0 || stemOf(key, c.lang) !== key) continue;
        refs = [t];
      }
      out = out.length ? [...new Set([...out, ...refs])] : refs;
    }
    return out;
  }

  /** How the term with this vocabulary index is written (`shown` in the vocab part, else the term). */
  spelling(termIndex: number): string {
    return this.shown.get(termIndex) ?? (this.terms[termIndex] as string);
  }

  docFrequency(term: string): number {
    const i = this.termIndex(term);
    return i < 0 ? 0 : (this.df[i] as number);
  }

  async article(id: string): Promise<StoredArticle | undefined> {
    const n = this.docOf(id);
    if (n === undefined) return undefined;
    const [body] = await this.docs.bodies([n]);
    return {
      id,
      date: this.date(n),
      title: this.titles[n] as string,
      body: body as string,
      url: this.urls[n] ?? null,
      people: this.people.valuesOf(n),
      locations: this.locations.valuesOf(n),
      about: this.about.valuesOf(n),
    };
  }
}
