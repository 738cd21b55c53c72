import { IndexFormatError } from '../errors.ts';
import { FLEX_CONFIG } from '../flex.ts';
import type { Manifest, PartInfo } from '../format/format.ts';
import { readRange, type PartReader } from '../format/part-reader.ts';
import { sha256Hex } from '../format/codec.ts';
import { blockOf, decodePositions, decodeTermSlots, Directory, parseHot, slotsLength, type PostingsHot, type TermLocation, type TermPositions, type TermSlots } from '../format/postings.ts';
import type { PartCache } from './part-cache.ts';
import type { Layout } from './segment-layout.ts';

/** FlexSearch's hits for one term: per field, doc numbers in its rank order. */
export type FieldHits = ReadonlyArray<{ field: string; result: readonly number[] }>;

/**
 * A segment's term ids for the terms and prefixes one query asked about (`PostingsStore.lookup`):
 * `id` is −1 for a term the segment lacks; `range` is [first, end) of the ids starting with a prefix.
 */
export interface TermLookup {
  /** Terms in the segment (ids run from 0 to count − 1). */
  count: number;
  id(term: string): number;
  range(prefix: string): readonly [number, number];
}

/** One term's postings in every segment that has it: what a query holds while it runs. */
export type LoadedTerm = ReadonlyArray<{ seg: number; slots: TermSlots }>;

/**
 * Reads two term locations with one request when the gap between them is at most this many bytes
 * (a prefix's completions and a word's forms sit close together in sorted order): fewer S3 GETs
 * for a few wasted bytes.
 */
const COALESCE_GAP = 16 * 1024;

/**
 * The postings of every segment (`postings` parts, format 6), read by byte range on first use into
 * the shared byte-budgeted cache: per segment its small `hot` directory, the directory block a term
 * falls in, and the term's own postings, so a cold start reads only what the first query's terms
 * need. `hits` merges a term's postings across segments slot by slot (FlexSearch's rank slots:
 * position of the word in the document), so a term's hits come in the order one FlexSearch index of
 * all the live articles would give.
 */
export class PostingsStore {
  private readonly partOf: Array<PartInfo | undefined>;

  constructor(
    private readonly manifest: Manifest,
    private readonly read: PartReader,
    private readonly cache: PartCache,
    private readonly layout: Layout,
  ) {
    const bySegment = new Map(manifest.parts.filter((p) => p.role === 'postings' && p.segment !== undefined).map((p) => [p.segment as string, p]));
    this.partOf = manifest.segments.map((s) => bySegment.get(s.id));
  }

  /** Terms whose postings are in the cache (over all segments). */
  get loaded(): number {
    return this.cache.keys().filter((k) => k.startsWith('post:')).length;
  }

  /** Loads these terms' postings in every segment with live rows; resolves to them, held for the query. */
  async load(terms: Iterable<string>): Promise<Map<string, LoadedTerm>> {
    const want = [...new Set(terms)];
    const out = new Map<string, Array<{ seg: number; slots: TermSlots }>>(want.map((t) => [t, []]));
    if (want.length === 0) return out;
    const segs = this.manifest.segments.flatMap((s, seg) => (this.partOf[seg] && s.articleCount > s.deleted.length ? [seg] : []));
    const perSeg = await Promise.all(segs.map((seg) => this.loadSegment(seg, want)));
    segs.forEach((seg, i) => {
      for (const [term, slots] of perSeg[i] as Map<string, TermSlots>) out.get(term)?.push({ seg, slots });
    });
    return out;
  }

  /** The term's hits across segments, as doc numbers. */
  hits(loaded: LoadedTerm): FieldHits {
    const out: Array<{ field: string; result: number[] }> = [];
    FLEX_CONFIG.fields.forEach((field, f) => {
      const lists: Array<{ ids: Uint32Array; ends: Uint32Array; toGlobal: Int32Array }> = [];
      for (const { seg, slots } of loaded) {
        const l = slots[f];
        if (l) lists.push({ ids: l.ids, ends: l.ends, toGlobal: this.layout.toGlobal[seg] as Int32Array });
      }
      if (lists.length === 0) return;
      const result: number[] = [];
      const slotCount = Math.max(...lists.map((l) => l.ends.length));
      for (let s = 0; s < slotCount; s++) {
        const start = result.length;
        let from = 0;
        for (const { ids, ends, toGlobal } of lists) {
          if (s >= ends.length) continue;
          const a = s === 0 ? 0 : (ends[s - 1] as number);
          const b = ends[s] as number;
          if (a === b) continue;
          from++;
          for (let i = a; i < b; i++) {
            const g = toGlobal[ids[i] as number] as number;
            if (g >= 0) result.push(g);
          }
        }
        // Within a slot ids ascend (rows are added in order); segments that overlap in dates interleave.
        if (from > 1 && !this.layout.ordered) sortTail(result, start);
      }
      if (result.length) out.push({ field, result });
    });
    return out;
  }

  /** The terms of `want` that segment `seg` has, with their postings. */
  private async loadSegment(seg: number, want: readonly string[]): Promise<Map<string, TermSlots>> {
    const id = (this.manifest.segments[seg] as Manifest['segments'][number]).id;
    const found = new Map<string, TermSlots>();
    const missing: string[] = [];
    for (const term of want) {
      const held = this.cache.peek<TermSlots>(`post:${id}:${term}`);
      if (!held) missing.push(term);
      else {
        // A term the segment lacks is held as [] (so it is not looked up again).
        const slots = await held;
        if (slots.length > 0) found.set(term, slots);
      }
    }
    if (missing.length === 0) return found;
    const located = await this.locate(seg, missing);
    const isLocated = new Set(located.map((l) => l.term));
    for (const t of missing) if (!isLocated.has(t)) this.cache.put(`post:${id}:${t}`, [] as TermSlots, 64 + 2 * t.length);
    located.sort((a, b) => a.loc.offset - b.loc.offset);
    const runs: Array<typeof located> = [];
    for (const l of located) {
      const run = runs[runs.length - 1];
      const last = run?.[run.length - 1];
      if (run && last && l.loc.offset - (last.loc.offset + slotsLength(last.loc)) <= COALESCE_GAP) run.push(l);
      else runs.push([l]);
    }
    const info = this.partOf[seg] as PartInfo;
    const rows = (this.manifest.segments[seg] as Manifest['segments'][number]).articleCount;
    await Promise.all(
      runs.map(async (run) => {
        const first = (run[0] as (typeof run)[number]).loc.offset;
        const lastLoc = (run[run.length - 1] as (typeof run)[number]).loc;
        const bytes = await readRange(this.read, info.name, info.bytes, { offset: first, length: lastLoc.offset + slotsLength(lastLoc) - first });
        for (const { term, loc } of run) {
          const slots = decodeTermSlots(bytes.subarray(loc.offset - first, loc.offset - first + slotsLength(loc)), loc, rows, info.name);
          found.set(term, slots);
          const held = slots.reduce((n, l) => n + (l ? 4 * (l.ids.length + l.ends.length) + 64 : 0), 64 + 2 * term.length);
          this.cache.put(`post:${id}:${term}`, slots, held);
        }
      }),
    );
    return found;
  }

  /**
   * Body positions of these terms in the rows of each segment (those a phrase query's candidates
   * are in): read only for phrases, each term's run of bytes right after its slots.
   */
  async positions(segs: readonly number[], terms: readonly string[]): Promise<Map<number, Map<string, TermPositions>>> {
    const out = new Map<number, Map<string, TermPositions>>();
    await Promise.all(
      [...new Set(segs)].map(async (seg) => {
        const info = this.partOf[seg];
        const m = new Map<string, TermPositions>();
        out.set(seg, m);
        if (!info) return;
        const segment = this.manifest.segments[seg] as Manifest['segments'][number];
        const located = await this.locate(seg, [...new Set(terms)]);
        await Promise.all(
          located.map(async ({ term, loc }) => {
            if (loc.positions === 0) return;
            const p = await this.cache.get(`pos:${info.name}:${term}`, async () => {
              const bytes = await readRange(this.read, info.name, info.bytes, { offset: loc.offset + slotsLength(loc), length: loc.positions });
              const value = decodePositions(bytes, loc, segment.articleCount, info.name);
              return { value, bytes: 4 * (value.rows.length + value.ends.length + value.pos.length) + 64 };
            });
            m.set(term, p);
          }),
        );
      }),
    );
    return out;
  }

  /**
   * Segment `seg`'s ids (places in its sorted terms, which its `tokens` ids index) for these terms,
   * and for each prefix the ids of its terms that start with it: from the directory the postings
   * are read through, so re-ranking needs no list of the segment's terms.
   */
  async lookup(seg: number, terms: readonly string[], prefixes: readonly string[]): Promise<TermLookup> {
    const hot = await this.hot(seg);
    const ids = new Map<string, number>();
    const ranges = new Map<string, [number, number]>();
    const idOf = async (term: string): Promise<{ id: number; found: boolean }> => {
      const b = blockOf(hot, term);
      if (b < 0) return { id: 0, found: false };
      const dir = await this.block(seg, hot, b);
      const i = dir.lowerBound(term);
      return { id: b * hot.blockTerms + i, found: i < dir.size && dir.locate(term) !== null };
    };
    await Promise.all([
      ...terms.map(async (t) => {
        const { id, found } = await idOf(t);
        if (found) ids.set(t, id);
      }),
      ...prefixes.map(async (p) => {
        // Terms starting with p sort from p up to (not including) p followed by the highest code unit.
        const [lo, hi] = await Promise.all([idOf(p), idOf(`${p}\uffff`)]);
        ranges.set(p, [lo.id, hi.id]);
      }),
    ]);
    return {
      count: hot.terms,
      id: (t) => ids.get(t) ?? -1,
      range: (p) => ranges.get(p) ?? [0, 0],
    };
  }

  /** Where each of `terms` that segment `seg` has is in its postings part (through `hot` and the blocks). */
  private async locate(seg: number, terms: readonly string[]): Promise<Array<{ term: string; loc: TermLocation }>> {
    const hot = await this.hot(seg);
    const byBlock = new Map<number, string[]>();
    for (const term of terms) {
      const b = blockOf(hot, term);
      if (b < 0) continue;
      const list = byBlock.get(b) ?? [];
      list.push(term);
      byBlock.set(b, list);
    }
    const located: Array<{ term: string; loc: TermLocation }> = [];
    await Promise.all(
      [...byBlock].map(async ([b, list]) => {
        const dir = await this.block(seg, hot, b);
        for (const term of list) {
          const loc = dir.locate(term);
          if (loc) located.push({ term, loc });
        }
      }),
    );
    return located;
  }

  private hot(seg: number): Promise<PostingsHot> {
    const info = this.partOf[seg] as PartInfo;
    return this.cache.get(`hot:${info.name}`, async () => {
      const h = info.hot as NonNullable<PartInfo['hot']>;
      const bytes = await readRange(this.read, info.name, info.bytes, h);
      if (sha256Hex(bytes) !== h.sha256) throw new IndexFormatError(`part ${info.name} failed its SHA-256 check (directory)`);
      const hot = parseHot(bytes, info.name);
      if (hot.fields !== FLEX_CONFIG.fields.length || (hot.at[hot.at.length - 1] as number) !== h.offset) throw new IndexFormatError(`postings part ${info.name} has an invalid directory`);
      return { value: hot, bytes: bytes.byteLength * 6 + 64 * hot.first.length };
    });
  }

  private block(seg: number, hot: PostingsHot, b: number): Promise<Directory> {
    const info = this.partOf[seg] as PartInfo;
    return this.cache.get(`dir:${info.name}:${b}`, async () => {
      const offset = hot.at[b] as number;
      const bytes = await readRange(this.read, info.name, info.bytes, { offset, length: (hot.at[b + 1] as number) - offset });
      const dir = Directory.parse(bytes, hot.fields, info.name);
      return { value: dir, bytes: dir.bytes };
    });
  }
}

function sortTail(a: number[], start: number): void {
  const tail = Uint32Array.from(a.slice(start)).sort();
  for (let i = 0; i < tail.length; i++) a[start + i] = tail[i] as number;
}
