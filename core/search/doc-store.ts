import { decodePart } from '../format/codec.ts';
import { docChunkName, type Manifest, type PartInfo } from '../format/format.ts';
import type { DocsPart } from '../format/parts.ts';
import type { PartReader } from '../format/part-reader.ts';


/**
 * Article bodies, fetched chunk by chunk only when a hit is shown (the idea of Pagefind's fragments),
 * checked against the manifest and kept in a bounded cache. Concurrent requests for one chunk share
 * one fetch.
 */
export class DocStore {
  private readonly cache = new Map<number, Promise<string[]>>();
  private readonly parts: Map<string, PartInfo>;

  constructor(
    private readonly manifest: Manifest,
    private readonly read: PartReader,
    // Sized for re-ranking: the top 50 of many queries stay warm (1024 × 64 articles covers 65k).
    private readonly maxChunks = 1024,
  ) {
    this.parts = new Map(manifest.parts.map((p) => [p.name, p]));
  }

  async bodies(docs: readonly number[]): Promise<string[]> {
    const size = this.manifest.docChunkSize;
    const chunks = await Promise.all(docs.map((d) => this.chunk(Math.floor(d / size))));
    return docs.map((d, i) => (chunks[i] as string[])[d % size] as string);
  }

  private chunk(c: number): Promise<string[]> {
    const hit = this.cache.get(c);
    if (hit) {
      // Re-insert to keep Map order as least-recently-used first.
      this.cache.delete(c);
      this.cache.set(c, hit);
      return hit;
    }
    const name = docChunkName(c);
    const info = this.parts.get(name);
    const p = info
      ? this.read(name).then((bytes) => decodePart<DocsPart>(info, bytes).bodies)
      : Promise.reject(new Error(`manifest has no part ${name}`));
    // A failed fetch must not be cached: the next request retries.
    p.catch(() => this.cache.delete(c));
    this.cache.set(c, p);
    if (this.cache.size > this.maxChunks) this.cache.delete(this.cache.keys().next().value as number);
    return p;
  }
}
