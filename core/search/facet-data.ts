/** A facet column: doc n has values[refs[offsets[n]] … refs[offsets[n+1]-1]]. */
export interface FacetColumnLike {
  values: string[];
  offsets: ArrayLike<number>;
  refs: ArrayLike<number>;
}
import { facetKey } from '../text.ts';

/** One facet (person or location) ready for filtering and counting. */
export class FacetData {
  readonly values: string[];
  readonly offsets: Uint32Array;
  readonly refs: Uint32Array;
  /** Sorted doc numbers per value. */
  readonly postings: Uint32Array[];
  /** Case-insensitive lookup, so `person=vladimir putin` finds "Vladimir Putin". */
  private readonly byKey = new Map<string, number>();
  /** Reused counters for `top`; safe because counting never awaits. */
  private readonly counts: Uint32Array;
  /** Position of each value in alphabetical order, for tie-breaking. */
  private readonly alphaRank: Uint32Array;

  constructor(col: FacetColumnLike) {
    this.values = col.values;
    this.offsets = col.offsets instanceof Uint32Array ? col.offsets : Uint32Array.from(col.offsets);
    this.refs = col.refs instanceof Uint32Array ? col.refs : Uint32Array.from(col.refs);
    this.counts = new Uint32Array(col.values.length);
    this.alphaRank = new Uint32Array(col.values.length);
    col.values
      .map((v, i) => [v, i] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .forEach(([, i], pos) => (this.alphaRank[i] = pos));
    const sizes = new Uint32Array(col.values.length);
    for (const r of this.refs) sizes[r] = (sizes[r] as number) + 1;
    this.postings = Array.from(sizes, (n) => new Uint32Array(n));
    const fill = new Uint32Array(col.values.length);
    const docs = this.offsets.length - 1;
    for (let d = 0; d < docs; d++) {
      for (let i = this.offsets[d] as number; i < (this.offsets[d + 1] as number); i++) {
        const r = this.refs[i] as number;
        (this.postings[r] as Uint32Array)[fill[r] as number] = d;
        fill[r] = (fill[r] as number) + 1;
      }
    }
    col.values.forEach((v, i) => {
      const key = facetKey(v);
      if (!this.byKey.has(key)) this.byKey.set(key, i);
    });
  }

  lookup(value: string): number | undefined {
    return this.byKey.get(facetKey(value));
  }

  valuesOf(doc: number): string[] {
    const out: string[] = [];
    for (let i = this.offsets[doc] as number; i < (this.offsets[doc + 1] as number); i++) {
      out.push(this.values[this.refs[i] as number] as string);
    }
    return out;
  }

  has(doc: number, value: number): boolean {
    for (let i = this.offsets[doc] as number; i < (this.offsets[doc + 1] as number); i++) {
      if (this.refs[i] === value) return true;
    }
    return false;
  }

  /** Top `limit` values over `docs`, by count then name. */
  top(docs: ArrayLike<number>, limit: number): Array<{ value: string; count: number }> {
    if (limit === 0) return [];
    const counts = this.counts;
    const touched: number[] = [];
    const { offsets, refs } = this;
    for (let k = 0; k < docs.length; k++) {
      const d = docs[k] as number;
      const end = offsets[d + 1] as number;
      for (let i = offsets[d] as number; i < end; i++) {
        const r = refs[i] as number;
        const c = counts[r] as number;
        if (c === 0) touched.push(r);
        counts[r] = c + 1;
      }
    }
    // Bounded selection instead of sorting every touched value: a large result set touches
    // thousands of names, and only `limit` of them are shown. Ties break by name via a
    // precomputed alphabetical rank, so no string comparisons happen here.
    const best: number[] = [];
    const rank = this.alphaRank;
    const before = (a: number, b: number) => (counts[a] as number) > (counts[b] as number) || (counts[a] === counts[b] && (rank[a] as number) < (rank[b] as number));
    for (const r of touched) {
      if (best.length === limit && !before(r, best[limit - 1] as number)) continue;
      let i = best.length === limit ? limit - 1 : best.length;
      while (i > 0 && before(r, best[i - 1] as number)) {
        best[i] = best[i - 1] as number;
        i--;
      }
      best[i] = r;
    }
    const out = best.map((r) => ({ value: this.values[r] as string, count: counts[r] as number }));
    for (const r of touched) counts[r] = 0;
    return out;
  }
}
