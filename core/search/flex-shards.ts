import type { Document } from 'flexsearch';
import { upperBound } from '../bounds.ts';
import { decodePart } from '../format/codec.ts';
import type { Manifest, PartInfo } from '../format/format.ts';
import type { FlexPart } from '../format/parts.ts';
import { importFlex } from '../flex.ts';
import type { PartReader } from '../format/part-reader.ts';

/**
 * The FlexSearch index, split by term into shards that load on first use: a cold start reads only
 * the shards of the first query's terms. Loading is shared by concurrent queries; a failed load is
 * forgotten so the next query retries it.
 */
export class FlexShards {
  private readonly docs: Array<Document | undefined>;
  private readonly pending = new Map<number, Promise<void>>();
  private readonly partsByShard: PartInfo[][];

  constructor(
    manifest: Manifest,
    private readonly read: PartReader,
    private readonly shardStarts: number[],
  ) {
    this.docs = new Array<Document | undefined>(shardStarts.length);
    this.partsByShard = shardStarts.map(() => []);
    for (const p of manifest.parts) if (p.role === 'flex') this.partsByShard[p.shard ?? 0]?.push(p);
    for (const list of this.partsByShard) list.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  get count(): number {
    return this.shardStarts.length;
  }

  /** Shard holding the vocabulary term with this index. */
  shardOf(termIndex: number): number {
    return upperBound(this.shardStarts, termIndex) - 1;
  }

  get loaded(): number {
    return this.docs.filter(Boolean).length;
  }

  async load(shards: Iterable<number>): Promise<void> {
    const waits: Array<Promise<void>> = [];
    for (const s of new Set(shards)) if (!this.docs[s]) waits.push(this.loadOne(s));
    await Promise.all(waits);
  }

  /** A loaded shard. Callers `load` first; asking for another one is a bug. */
  get(shard: number): Document {
    const d = this.docs[shard];
    if (!d) throw new Error(`shard ${shard} is not loaded`);
    return d;
  }

  private loadOne(s: number): Promise<void> {
    let p = this.pending.get(s);
    if (!p) {
      const parts = this.partsByShard[s] ?? [];
      p = Promise.all(parts.map(async (info) => decodePart<FlexPart>(info, await this.read(info.name)))).then((lists) => {
        this.docs[s] = importFlex(lists.flat());
        this.pending.delete(s);
      });
      p.catch(() => this.pending.delete(s));
      this.pending.set(s, p);
    }
    return p;
  }
}
