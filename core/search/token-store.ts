import { decodePart } from '../format/codec.ts';
import { segmentPartName, tokenChunkName, type Manifest, type PartInfo } from '../format/format.ts';
import type { TokensPart } from '../format/parts.ts';
import { lowerBoundString } from '../bounds.ts';
import type { PostingsStore, TermLookup } from './postings-store.ts';
import type { PartReader } from '../format/part-reader.ts';
import { decodeTokenIds } from '../format/token-ids.ts';
import { IndexFormatError } from '../errors.ts';
import { tokenize } from '../text.ts';
import type { PartCache } from './part-cache.ts';
import type { Layout } from './segment-layout.ts';

/**
 * A doc's title and body as the analyzer's tokens (`TokensPart`): ids into its segment's sorted
 * terms, with the ids of the terms and prefixes the query asked about (`lookup`). Docs of one segment
 * share one lookup (the same object), so a reader works out what an id means once per query and
 * segment.
 */
export interface DocTokens {
  lookup: TermLookup;
  title: Uint32Array;
  body: Uint32Array;
}

/** The terms (and prefixes) whose ids a reader of `DocTokens` needs. */
export interface TermsWanted {
  terms: readonly string[];
  prefixes: readonly string[];
}

/** A decoded `tokens` chunk: row r's title is ids[off[2r] … off[2r+1]), its body ids[off[2r+1] … off[2r+2]). */
interface TokenChunk {
  ids: Uint32Array;
  off: Uint32Array;
  /** The largest id (−1 if none): checked against the segment's term count. */
  max: number;
}

/**
 * Articles as token ids, for re-ranking without reading or analyzing their text: `tokens` chunks
 * are fetched when first needed, checked against the manifest and kept decoded in the shared
 * byte-budgeted cache, like the doc store's bodies (4 bytes a token: Reuters ~600 B an article,
 * against ~1.7 kB for its body as a string). What an id means comes from the postings directory
 * (`PostingsStore.lookup`), for the query's terms only: no segment's term list is read. Concurrent
 * requests for one part share one fetch.
 */
export class TokenStore {
  private readonly parts: Map<string, PartInfo>;

  constructor(
    private readonly manifest: Manifest,
    private readonly read: PartReader,
    private readonly cache: PartCache,
    private readonly layout: Layout,
    private readonly postings: PostingsStore,
  ) {
    this.parts = new Map(manifest.parts.map((p) => [p.name, p]));
  }

  /** The tokens of each of `docs`, in order, with the ids of `wanted` in their segments. */
  async tokens(docs: readonly number[], wanted: TermsWanted): Promise<DocTokens[]> {
    const lookups = new Map<number, Promise<TermLookup>>();
    const loads = new Map<string, Promise<[TermLookup, TokenChunk]>>();
    const at = docs.map((d) => {
      const s = this.layout.segOf[d] as number;
      const seg = this.manifest.segments[s];
      if (!seg) throw new Error(`doc ${d} is not in the index`);
      const row = this.layout.rowOf[d] as number;
      const c = Math.floor(row / seg.docChunkSize);
      const key = `${s}:${c}`;
      let lookup = lookups.get(s);
      if (!lookup) lookups.set(s, (lookup = this.postings.lookup(s, wanted.terms, wanted.prefixes)));
      if (!loads.has(key)) loads.set(key, Promise.all([lookup, this.chunk(seg.id, c)]));
      return { key, i: row % seg.docChunkSize };
    });
    const keys = [...loads.keys()];
    const got = new Map((await Promise.all(loads.values())).map((v, j) => [keys[j] as string, v]));
    for (const [key, [lookup, chunk]] of got) {
      if (chunk.max >= lookup.count) throw new IndexFormatError(`token ids of segment ${this.manifest.segments[Number(key.split(':')[0])]?.id ?? '?'} exceed its ${lookup.count} terms`);
    }
    return at.map(({ key, i }) => {
      const [lookup, { ids, off }] = got.get(key) as [TermLookup, TokenChunk];
      return { lookup, title: ids.subarray(off[2 * i], off[2 * i + 1]), body: ids.subarray(off[2 * i + 1], off[2 * i + 2]) };
    });
  }

  private chunk(seg: string, c: number): Promise<TokenChunk> {
    const name = segmentPartName(seg, tokenChunkName(c));
    return this.cache.get(`tokens:${name}`, async () => {
      const info = this.parts.get(name);
      if (!info) throw new IndexFormatError(`manifest has no part ${name}: rebuild the index with this version of news-search`);
      const part = decodePart<TokensPart>(info, await this.read(name));
      const rows = part.titles.length;
      if (part.bodies.length !== rows) throw new IndexFormatError(`part ${name} holds ${rows} titles and ${part.bodies.length} bodies`);
      const off = new Uint32Array(2 * rows + 1);
      // An id takes at least one character: decode into room for as many, then keep what was used.
      let room = 0;
      for (let r = 0; r < rows; r++) room += (part.titles[r] as string).length + (part.bodies[r] as string).length;
      const buf = new Uint32Array(room);
      let n = 0;
      try {
        for (let r = 0; r < rows; r++) {
          off[2 * r] = n;
          n = decodeTokenIds(part.titles[r] as string, buf, n);
          off[2 * r + 1] = n;
          n = decodeTokenIds(part.bodies[r] as string, buf, n);
        }
      } catch (err) {
        throw new IndexFormatError(`part ${name} holds invalid token ids: ${(err as Error).message}`);
      }
      off[2 * rows] = n;
      const ids = n === room ? buf : buf.slice(0, n);
      let max = -1;
      for (let i = 0; i < n; i++) if ((ids[i] as number) > max) max = ids[i] as number;
      return { value: { ids, off, max }, bytes: ids.byteLength + off.byteLength + 64 };
    });
  }
}

/**
 * A title and body tokenized here, as the `tokens` part would hold them (ids into their own sorted
 * term list, looked up in it): for tests and tools that score or check text that is not in an index.
 */
export function tokensOf(title: string, body: string): DocTokens {
  const t = tokenize(title);
  const b = tokenize(body);
  const terms = [...new Set([...t, ...b])].sort();
  const id = new Map(terms.map((x, i) => [x, i]));
  const lookup: TermLookup = {
    count: terms.length,
    id: (term) => id.get(term) ?? -1,
    range: (p) => [lowerBoundString(terms, p), lowerBoundString(terms, `${p}\uffff`)],
  };
  return { lookup, title: Uint32Array.from(t, (x) => id.get(x) as number), body: Uint32Array.from(b, (x) => id.get(x) as number) };
}
