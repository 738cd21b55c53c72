import { decodePart } from '../format/codec.ts';
import type { Manifest, PartInfo } from '../format/format.ts';
import type { FlexPart } from '../format/parts.ts';
import { termShard } from '../format/shards.ts';
import { FLEX_CONFIG, fieldMaps, importFlex, type FieldMaps, type Slots } from '../flex.ts';
import type { PartReader } from '../format/part-reader.ts';
import type { PartCache } from './part-cache.ts';
import type { Layout } from './segment-layout.ts';

/** FlexSearch's hits for one term: per field, doc numbers in its rank order. */
export type FieldHits = ReadonlyArray<{ field: string; result: readonly number[] }>;

/** One term shard, loaded in every segment that has it: what a query holds while it runs. */
export type LoadedShard = ReadonlyArray<{ seg: number; maps: FieldMaps }>;

/**
 * The FlexSearch term shards of every segment, loaded on first use into the shared byte-budgeted
 * cache (a cold start reads only the shards of the first query's terms), and a term's postings
 * merged across segments into doc numbers. The merge goes slot by slot (FlexSearch's rank slots:
 * position of the word in the document), so a term's hits come in the order one FlexSearch index
 * of all the live articles would give.
 */
export class FlexShards {
  private readonly partsBySegShard: Array<Map<number, PartInfo[]>>;

  constructor(
    private readonly manifest: Manifest,
    private readonly read: PartReader,
    private readonly cache: PartCache,
    private readonly layout: Layout,
    private readonly terms: readonly string[],
  ) {
    const segIndex = new Map(manifest.segments.map((s, i) => [s.id, i]));
    this.partsBySegShard = manifest.segments.map(() => new Map<number, PartInfo[]>());
    for (const p of manifest.parts) {
      if (p.role !== 'flex' || p.segment === undefined) continue;
      const m = this.partsBySegShard[segIndex.get(p.segment) as number] as Map<number, PartInfo[]>;
      const list = m.get(p.shard ?? 0) ?? [];
      list.push(p);
      m.set(p.shard ?? 0, list);
    }
    for (const m of this.partsBySegShard) for (const list of m.values()) list.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  get count(): number {
    return this.manifest.termShards;
  }

  /** Shard holding the vocabulary term with this index. */
  shardOf(termIndex: number): number {
    return termShard(this.terms[termIndex] as string, this.manifest.termShards);
  }

  /** (Segment, shard) pairs in the cache. */
  get loaded(): number {
    return this.cache.keys().filter((k) => k.startsWith('flex:')).length;
  }

  /** Loads these shards in every segment that has them (those with live docs); resolves to them, held for the query. */
  async load(shards: Iterable<number>): Promise<Map<number, LoadedShard>> {
    const out = new Map<number, LoadedShard>();
    await Promise.all(
      [...new Set(shards)].map(async (shard) => {
        const segs = this.manifest.segments.flatMap((s, seg) => (this.partsBySegShard[seg]?.has(shard) && s.articleCount > s.deleted.length ? [seg] : []));
        const maps = await Promise.all(segs.map((seg) => this.loadOne(seg, shard)));
        out.set(shard, segs.map((seg, i) => ({ seg, maps: maps[i] as FieldMaps })));
      }),
    );
    return out;
  }

  /** The term's hits across segments, as doc numbers. */
  hits(shard: LoadedShard, term: string): FieldHits {
    const out: Array<{ field: string; result: number[] }> = [];
    FLEX_CONFIG.fields.forEach((field, f) => {
      const lists: Array<{ slots: Slots; toGlobal: Int32Array }> = [];
      for (const { seg, maps } of shard) {
        const slots = maps[f]?.get(term);
        if (slots) lists.push({ slots, toGlobal: this.layout.toGlobal[seg] as Int32Array });
      }
      if (lists.length === 0) return;
      const result: number[] = [];
      const slotCount = Math.max(...lists.map((l) => l.slots.length));
      for (let s = 0; s < slotCount; s++) {
        const start = result.length;
        let from = 0;
        for (const { slots, toGlobal } of lists) {
          const ids = slots[s];
          if (!ids) continue;
          from++;
          for (let i = 0; i < ids.length; i++) {
            const g = toGlobal[ids[i] as number] as number;
            if (g >= 0) result.push(g);
          }
        }
        // Within a slot FlexSearch keeps insertion (doc) order; segments that overlap in dates interleave.
        if (from > 1 && !this.layout.ordered) sortTail(result, start);
      }
      if (result.length) out.push({ field, result });
    });
    return out;
  }

  private loadOne(seg: number, shard: number): Promise<FieldMaps> {
    const id = this.manifest.segments[seg]?.id as string;
    return this.cache.get(`flex:${id}:${shard}`, async () => {
      const parts = this.partsBySegShard[seg]?.get(shard) ?? [];
      const lists = await Promise.all(parts.map(async (info) => decodePart<FlexPart>(info, await this.read(info.name))));
      const entries = lists.flat();
      // In memory a posting is a small integer in an array (~4-8 bytes) where the JSON has ~5 characters.
      const bytes = entries.reduce((n, e) => n + e[0].length + e[1].length, 0) * 2;
      return { value: fieldMaps(importFlex(entries)), bytes };
    });
  }
}

function sortTail(a: number[], start: number): void {
  const tail = Uint32Array.from(a.slice(start)).sort();
  for (let i = 0; i < tail.length; i++) a[start + i] = tail[i] as number;
}
