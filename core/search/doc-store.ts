import { decodePart } from '../format/codec.ts';
import { docChunkName, segmentPartName, type Manifest, type PartInfo } from '../format/format.ts';
import type { DocsPart } from '../format/parts.ts';
import type { PartReader } from '../format/part-reader.ts';
import type { PartCache } from './part-cache.ts';
import type { Layout } from './segment-layout.ts';

/**
 * Article bodies, fetched chunk by chunk only when a hit is shown or re-ranked (the idea of
 * Pagefind's fragments), checked against the manifest and kept in the shared byte-budgeted cache.
 * Concurrent requests for one chunk share one fetch.
 */
export class DocStore {
  private readonly parts: Map<string, PartInfo>;

  constructor(
    private readonly manifest: Manifest,
    private readonly read: PartReader,
    private readonly cache: PartCache,
    private readonly layout: Layout,
  ) {
    this.parts = new Map(manifest.parts.map((p) => [p.name, p]));
  }

  async bodies(docs: readonly number[]): Promise<string[]> {
    const at = docs.map((d) => {
      const seg = this.manifest.segments[this.layout.segOf[d] as number];
      if (!seg) throw new Error(`doc ${d} is not in the index`);
      const row = this.layout.rowOf[d] as number;
      return { seg: seg.id, chunk: Math.floor(row / seg.docChunkSize), i: row % seg.docChunkSize };
    });
    const chunks = await Promise.all(at.map((a) => this.chunk(a.seg, a.chunk)));
    return at.map((a, k) => (chunks[k] as string[])[a.i] as string);
  }

  private chunk(seg: string, c: number): Promise<string[]> {
    const name = segmentPartName(seg, docChunkName(c));
    return this.cache.get(`docs:${name}`, async () => {
      const info = this.parts.get(name);
      if (!info) throw new Error(`manifest has no part ${name}`);
      const bodies = decodePart<DocsPart>(info, await this.read(name)).bodies;
      return { value: bodies, bytes: bodies.reduce((n, b) => n + b.length * 2, 0) + 64 };
    });
  }
}
