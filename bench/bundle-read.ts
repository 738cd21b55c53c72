import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Manifest } from '../core/format/format.ts';
import type { DocsPart, FacetColumn, MetaPart, VocabPart } from '../core/format/parts.ts';

/**
 * Reads a built bundle folder directly (no SearchIndex): its sizes for the report, its meta and
 * vocabulary for generating queries, and its articles (with our extracted facets) for the peers,
 * so every engine indexes exactly the same text and filters on exactly the same values.
 */
export async function readManifest(dir: string): Promise<{ manifest: Manifest; bytes: number }> {
  const raw = await readFile(join(dir, 'manifest.json'));
  return { manifest: JSON.parse(raw.toString('utf8')) as Manifest, bytes: raw.byteLength };
}

export async function readPart<T>(dir: string, name: string): Promise<T> {
  return JSON.parse(gunzipSync(await readFile(join(dir, name))).toString('utf8')) as T;
}

export interface BundleSizes {
  /** Bytes as written (gzip parts + manifest.json). */
  stored: number;
  /** Uncompressed sum of the parts + manifest.json (a binary `postings` part counts as stored). */
  raw: number;
  parts: number;
  /** Stored bytes per role (postings, meta, vocab, docs, …) plus `manifest`. */
  byRole: Record<string, number>;
}

export async function bundleSizes(dir: string): Promise<BundleSizes> {
  const { manifest, bytes } = await readManifest(dir);
  let raw = bytes;
  const byRole: Record<string, number> = { manifest: bytes };
  for (const p of manifest.parts) {
    raw += p.encoding === 'gzip' ? gunzipSync(await readFile(join(dir, p.name))).byteLength : p.bytes;
    byRole[p.role] = (byRole[p.role] ?? 0) + p.bytes;
  }
  const stored = manifest.parts.reduce((n, p) => n + p.bytes, bytes);
  return { stored, raw, parts: manifest.parts.length, byRole };
}

export interface BenchArticle {
  /** Our doc number (date order). */
  n: number;
  id: string;
  title: string;
  body: string;
  url: string | null;
  /** UTC day number. */
  day: number;
  people: string[];
  locations: string[];
  about: string[];
}

export function facetValues(col: FacetColumn, doc: number): string[] {
  const out: string[] = [];
  for (let i = col.offsets[doc] as number; i < (col.offsets[doc + 1] as number); i++) out.push(col.values[col.refs[i] as number] as string);
  return out;
}

/**
 * The segments of a bundle in doc-number order (oldest first), each with its parts and its first doc
 * number; a bundle without `segments` (format ≤ 4) is one segment holding every part.
 */
function segmentsOf(manifest: Manifest): Array<{ id: string | null; first: number; parts: Manifest['parts'] }> {
  const segments = (manifest as Partial<Manifest>).segments;
  if (!segments?.length) return [{ id: null, first: 0, parts: manifest.parts }];
  let first = 0;
  return segments.map((seg) => {
    const out = { id: seg.id, first, parts: manifest.parts.filter((p) => p.segment === seg.id) };
    first += seg.articleCount;
    return out;
  });
}

/** One facet column over all segments (values renumbered), as if the bundle had one meta part. */
function concatColumns(cols: FacetColumn[]): FacetColumn {
  const out: FacetColumn = { values: [], offsets: [0], refs: [] };
  const index = new Map<string, number>();
  for (const col of cols) {
    for (let d = 0; d + 1 < col.offsets.length; d++) {
      for (let i = col.offsets[d] as number; i < (col.offsets[d + 1] as number); i++) {
        const v = col.values[col.refs[i] as number] as string;
        let ref = index.get(v);
        if (ref === undefined) index.set(v, (ref = out.values.push(v) - 1));
        out.refs.push(ref);
      }
      out.offsets.push(out.refs.length);
    }
  }
  return out;
}

/**
 * The bundle's meta (every segment's, concatenated in doc-number order, so doc n is row n of the
 * result; rows a segment marks deleted stay, which a fresh build has none of) and its vocabulary.
 */
export async function readMeta(dir: string): Promise<{ meta: MetaPart; vocab: VocabPart; manifest: Manifest }> {
  const { manifest } = await readManifest(dir);
  const vocabName = manifest.parts.find((p) => p.role === 'vocab')?.name as string;
  const metas: MetaPart[] = [];
  for (const seg of segmentsOf(manifest)) {
    const name = seg.parts.find((p) => p.role === 'meta')?.name;
    if (name) metas.push(await readPart<MetaPart>(dir, name));
  }
  const meta: MetaPart =
    metas.length === 1
      ? (metas[0] as MetaPart)
      : {
          ids: metas.flatMap((m) => m.ids),
          titles: metas.flatMap((m) => m.titles),
          urls: metas.flatMap((m) => m.urls),
          days: metas.flatMap((m) => m.days),
          people: concatColumns(metas.map((m) => m.people)),
          locations: concatColumns(metas.map((m) => m.locations)),
          about: concatColumns(metas.map((m) => m.about)),
          ...(metas.every((m) => m.titleLens && m.bodyLens)
            ? { titleLens: metas.flatMap((m) => m.titleLens as number[]), bodyLens: metas.flatMap((m) => m.bodyLens as number[]) }
            : {}),
        };
  return { manifest, meta, vocab: await readPart<VocabPart>(dir, vocabName) };
}

/** Every article of the bundle, bodies included. */
export async function readArticles(dir: string): Promise<BenchArticle[]> {
  const { manifest, meta } = await readMeta(dir);
  const out: BenchArticle[] = meta.ids.map((id, n) => ({
    n,
    id,
    title: meta.titles[n] as string,
    body: '',
    url: meta.urls[n] ?? null,
    day: meta.days[n] as number,
    people: facetValues(meta.people, n),
    locations: facetValues(meta.locations, n),
    about: facetValues(meta.about, n),
  }));
  for (const seg of segmentsOf(manifest)) {
    for (const p of seg.parts.filter((x) => x.role === 'docs')) {
      const chunk = await readPart<DocsPart>(dir, p.name);
      chunk.bodies.forEach((b, i) => ((out[seg.first + chunk.start + i] as BenchArticle).body = b));
    }
  }
  return out;
}
