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
  /** Uncompressed sum of the parts + manifest.json. */
  raw: number;
  parts: number;
  /** Stored bytes per role (flex, meta, vocab, docs) plus `manifest`. */
  byRole: Record<string, number>;
}

export async function bundleSizes(dir: string): Promise<BundleSizes> {
  const { manifest, bytes } = await readManifest(dir);
  let raw = bytes;
  const byRole: Record<string, number> = { manifest: bytes };
  for (const p of manifest.parts) {
    raw += gunzipSync(await readFile(join(dir, p.name))).byteLength;
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

export async function readMeta(dir: string): Promise<{ meta: MetaPart; vocab: VocabPart; manifest: Manifest }> {
  const { manifest } = await readManifest(dir);
  const name = (role: string) => manifest.parts.find((p) => p.role === role)?.name as string;
  return { manifest, meta: await readPart<MetaPart>(dir, name('meta')), vocab: await readPart<VocabPart>(dir, name('vocab')) };
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
  for (const p of manifest.parts.filter((x) => x.role === 'docs')) {
    const chunk = await readPart<DocsPart>(dir, p.name);
    chunk.bodies.forEach((b, i) => ((out[chunk.start + i] as BenchArticle).body = b));
  }
  return out;
}
