import type { SegmentInfo } from '../format/format.ts';
import type { FacetColumn, MetaPart } from '../format/parts.ts';
import { facetKey, preferredSpelling } from '../text.ts';

export interface SegmentMeta {
  info: SegmentInfo;
  meta: MetaPart;
}

/**
 * How the live rows of all segments become one doc-number space: doc numbers are dense (0..N−1) and
 * in (date, id) order across segments, exactly as if every live article were in one segment. So the
 * search core keeps its invariants (a date range is a doc range, date order is doc order, ties break
 * by doc number) and answers the same in any segment layout.
 */
export interface Layout {
  size: number;
  /** Per segment: the doc number of each row, −1 for a deleted row. */
  toGlobal: Int32Array[];
  /** Per doc: its segment and row. */
  segOf: Uint16Array;
  rowOf: Uint32Array;
  /** True when every segment's docs follow the previous segment's: merged postings need no sort. */
  ordered: boolean;
}

const before = (a: SegmentMeta, ra: number, b: SegmentMeta, rb: number): boolean => {
  const da = a.meta.days[ra] as number;
  const db = b.meta.days[rb] as number;
  return da < db || (da === db && (a.meta.ids[ra] as string) < (b.meta.ids[rb] as string));
};

export function layoutSegments(segs: readonly SegmentMeta[]): Layout {
  const live = segs.map((s) => {
    const del = new Set(s.info.deleted);
    const rows: number[] = [];
    for (let r = 0; r < s.meta.ids.length; r++) if (!del.has(r)) rows.push(r);
    return rows;
  });
  const size = live.reduce((n, r) => n + r.length, 0);
  const toGlobal = segs.map((s) => new Int32Array(s.meta.ids.length).fill(-1));
  const segOf = new Uint16Array(size);
  const rowOf = new Uint32Array(size);
  // Segments are listed by date range, so usually each starts after the last ends: concatenate.
  let ordered = true;
  let prev: [SegmentMeta, number] | null = null;
  live.forEach((rows, i) => {
    if (rows.length === 0) return;
    const s = segs[i] as SegmentMeta;
    if (prev && !before(prev[0], prev[1], s, rows[0] as number)) ordered = false;
    prev = [s, rows[rows.length - 1] as number];
  });
  let g = 0;
  const place = (seg: number, row: number) => {
    (toGlobal[seg] as Int32Array)[row] = g;
    segOf[g] = seg;
    rowOf[g] = row;
    g++;
  };
  if (ordered) {
    live.forEach((rows, seg) => rows.forEach((row) => place(seg, row)));
  } else {
    // Overlapping date ranges (a late correction, an unsorted feed). Taken by their first row,
    // segments fall into runs that overlap among themselves and not with the next run: each run is a
    // k-way merge of its segments' rows (usually a few), the runs follow each other.
    const byFirst = live.flatMap((rows, seg) => (rows.length ? [seg] : []));
    byFirst.sort((a, b) => (before(segs[a] as SegmentMeta, (live[a] as number[])[0] as number, segs[b] as SegmentMeta, (live[b] as number[])[0] as number) ? -1 : 1));
    let run: number[] = [];
    let runLast: [SegmentMeta, number] | null = null;
    const flush = () => {
      mergeRows(segs, live, run, place);
      run = [];
      runLast = null;
    };
    byFirst.forEach((seg) => {
      const rows = live[seg] as number[];
      const s = segs[seg] as SegmentMeta;
      if (runLast && before(runLast[0], runLast[1], s, rows[0] as number)) flush();
      run.push(seg);
      const last = rows[rows.length - 1] as number;
      if (!runLast || before(runLast[0], runLast[1], s, last)) runLast = [s, last];
    });
    flush();
  }
  return { size, toGlobal, segOf, rowOf, ordered };
}

/**
 * Places the live rows of segments `run` in (date, id) order: a k-way merge that, once it knows the
 * segment with the first row and the one with the next head, places rows of the first while they
 * come before that head, so segments that only touch at their ends (an unsorted day at a boundary)
 * cost about one comparison a row.
 */
function mergeRows(segs: readonly SegmentMeta[], live: readonly number[][], run: readonly number[], place: (seg: number, row: number) => void): void {
  const pos = run.map(() => 0);
  const head = (k: number) => (live[run[k] as number] as number[])[pos[k] as number];
  const precedes = (k: number, j: number) => before(segs[run[k] as number] as SegmentMeta, head(k) as number, segs[run[j] as number] as SegmentMeta, head(j) as number);
  for (;;) {
    let best = -1;
    let second = -1;
    for (let k = 0; k < run.length; k++) {
      if (head(k) === undefined) continue;
      if (best < 0 || precedes(k, best)) {
        second = best;
        best = k;
      } else if (second < 0 || precedes(k, second)) second = k;
    }
    if (best < 0) return;
    do {
      place(run[best] as number, head(best) as number);
      pos[best] = (pos[best] as number) + 1;
    } while (head(best) !== undefined && (second < 0 || precedes(best, second)));
  }
}

/** Facet column over all docs, in doc order, as typed arrays. */
export interface MergedFacet {
  values: string[];
  offsets: Uint32Array;
  refs: Uint32Array;
}

/** The index-wide columns every query needs, in doc order. */
export interface Columns {
  ids: string[];
  titles: string[];
  urls: Array<string | null>;
  days: Int32Array;
  people: MergedFacet;
  locations: MergedFacet;
  about: MergedFacet;
  titleLens: Uint32Array | null;
  bodyLens: Uint32Array | null;
}

export function mergeColumns(segs: readonly SegmentMeta[], layout: Layout): Columns {
  const n = layout.size;
  const ids = new Array<string>(n);
  const titles = new Array<string>(n);
  const urls = new Array<string | null>(n);
  const days = new Int32Array(n);
  const hasLens = segs.every((s) => s.meta.titleLens && s.meta.bodyLens);
  const titleLens = hasLens ? new Uint32Array(n) : null;
  const bodyLens = hasLens ? new Uint32Array(n) : null;
  for (let g = 0; g < n; g++) {
    const m = (segs[layout.segOf[g] as number] as SegmentMeta).meta;
    const r = layout.rowOf[g] as number;
    ids[g] = m.ids[r] as string;
    titles[g] = m.titles[r] as string;
    urls[g] = m.urls[r] ?? null;
    days[g] = m.days[r] as number;
    if (titleLens && bodyLens) {
      titleLens[g] = (m.titleLens as number[])[r] as number;
      bodyLens[g] = (m.bodyLens as number[])[r] as number;
    }
  }
  const facet = (pick: (m: MetaPart) => FacetColumn) => mergeFacet(segs.map((s) => pick(s.meta)), layout);
  return { ids, titles, urls, days, people: facet((m) => m.people), locations: facet((m) => m.locations), about: facet((m) => m.about), titleLens, bodyLens };
}

/**
 * One facet over all segments: values that differ only in case or spacing are one value (as within a
 * segment), shown in the spelling most docs carry (each segment's own choice, weighed by its docs).
 */
function mergeFacet(cols: readonly FacetColumn[], layout: Layout): MergedFacet {
  const byKey = new Map<string, number>();
  const values: string[] = [];
  const spellings: Array<Map<string, number>> = [];
  // Most values recur in every segment: their keys are worked out once.
  const keyOf = new Map<string, string>();
  const maps = cols.map((col, s) => {
    const uses = new Uint32Array(col.values.length);
    const toGlobal = layout.toGlobal[s] as Int32Array;
    for (let row = 0; row + 1 < col.offsets.length; row++) {
      if ((toGlobal[row] as number) < 0) continue;
      for (let i = col.offsets[row] as number; i < (col.offsets[row + 1] as number); i++) { const r = col.refs[i] as number; uses[r] = (uses[r] as number) + 1; }
    }
    return col.values.map((v, i) => {
      let key = keyOf.get(v);
      if (key === undefined) keyOf.set(v, (key = facetKey(v)));
      let id = byKey.get(key);
      if (id === undefined) {
        id = values.length;
        byKey.set(key, id);
        values.push(v);
        spellings.push(new Map());
      }
      const m = spellings[id] as Map<string, number>;
      m.set(v, (m.get(v) ?? 0) + (uses[i] as number));
      return id;
    });
  });
  spellings.forEach((m, id) => {
    if (m.size > 1) values[id] = preferredSpelling(m);
  });
  const offsets = new Uint32Array(layout.size + 1);
  let total = 0;
  for (let g = 0; g < layout.size; g++) {
    const col = cols[layout.segOf[g] as number] as FacetColumn;
    const r = layout.rowOf[g] as number;
    total += (col.offsets[r + 1] as number) - (col.offsets[r] as number);
    offsets[g + 1] = total;
  }
  const refs = new Uint32Array(total);
  for (let g = 0; g < layout.size; g++) {
    const s = layout.segOf[g] as number;
    const col = cols[s] as FacetColumn;
    const map = maps[s] as number[];
    const r = layout.rowOf[g] as number;
    let k = offsets[g] as number;
    for (let i = col.offsets[r] as number; i < (col.offsets[r + 1] as number); i++) refs[k++] = map[col.refs[i] as number] as number;
  }
  return { values, offsets, refs };
}
