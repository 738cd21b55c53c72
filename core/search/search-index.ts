import type { Manifest } from '../format/format.ts';
import type { MetaPart, VocabPart } from '../format/parts.ts';
import { formatDay, monthOf } from '../dates.ts';
import type { StoredArticle } from '../types.ts';
import type { DocStore } from './doc-store.ts';
import { lowerBoundString, upperBound } from '../bounds.ts';
import { FacetData } from './facet-data.ts';
import { lengthNorms, RANK } from './scoring.ts';
import type { FlexShards } from './flex-shards.ts';

/**
 * A loaded index: FlexSearch for text (term shards loaded on demand), plus column arrays for
 * everything else. Doc numbers are dense
 * (0..N-1) and in date order. Immutable once built, so one instance serves concurrent requests and
 * a reload swaps the whole object at once.
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
  private readonly docById: Map<string, number>;

  constructor(
    readonly manifest: Manifest,
    meta: MetaPart,
    vocab: VocabPart,
    readonly flex: FlexShards,
    readonly docs: DocStore,
    readonly loadMs: number,
  ) {
    this.size = meta.ids.length;
    this.ids = meta.ids;
    this.titles = meta.titles;
    this.urls = meta.urls;
    this.days = Int32Array.from(meta.days);
    this.people = new FacetData(meta.people);
    this.locations = new FacetData(meta.locations);
    this.about = new FacetData(meta.about);
    this.terms = vocab.terms;
    this.df = Uint32Array.from(vocab.df);
    this.docById = new Map(meta.ids.map((id, n) => [id, n]));
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
