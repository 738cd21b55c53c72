import { IndexFormatError } from '../errors.ts';
import type { FLEX_CONFIG } from '../flex.ts';

/**
 * The bundle is a folder (or an S3 prefix) of parts plus `manifest.json`, which names every part
 * with its size and SHA-256. Bump FORMAT_VERSION on any change to what a part holds: readers refuse
 * other versions instead of guessing.
 */
export const FORMAT_NAME = 'news-search-index';
export const FORMAT_VERSION = 4;
export const MANIFEST_NAME = 'manifest.json';

/**
 * - `meta`: ids, titles, dates, urls, facet values (needed by every query);
 * - `vocab`: sorted terms with document frequencies and shard boundaries (prefix expansion, routing);
 * - `flex`: FlexSearch export entries of one term shard, loaded when a query needs that shard;
 * - `docs`: article bodies in chunks, loaded lazily for snippets and `/articles/{id}`.
 */
export type PartRole = 'flex' | 'meta' | 'vocab' | 'docs';

export interface PartInfo {
  name: string;
  role: PartRole;
  /** Stored (compressed) size in bytes. */
  bytes: number;
  sha256: string;
  encoding: 'gzip';
  /** For `flex` parts: the term shard they belong to. */
  shard?: number;
}

export interface Manifest {
  format: typeof FORMAT_NAME;
  formatVersion: number;
  /** Content hash of all parts: two builds of the same input have the same version. */
  indexVersion: string;
  builtAt: string;
  articleCount: number;
  /** Articles per `docs` chunk; doc number n lives in chunk floor(n / docChunkSize). */
  docChunkSize: number;
  flexsearch: { version: string; config: typeof FLEX_CONFIG };
  /** How text was analyzed (format 4): queries use the same analyzer. */
  analyzer: AnalyzerInfo;
  dateRange: { from: string; to: string } | null;
  parts: PartInfo[];
}

/**
 * The analyzer of an index (`core/text.ts`): folding and segmentation are fixed by the format version;
 * stemming depends on the languages of the articles.
 */
export interface AnalyzerInfo {
  /** The build's language (`--language`, default `en`), for articles without a `lang` of their own. */
  language: string;
  /** Every language the articles were analyzed in (their stem classes are in `vocab`), sorted. */
  languages: string[];
  /** The stemming algorithm per language in `languages` that has one. */
  stemmers: Record<string, string>;
}

export function parseManifest(bytes: Uint8Array): Manifest {
  let m: unknown;
  try {
    m = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new IndexFormatError('manifest.json is not valid JSON');
  }
  if (!m || typeof m !== 'object' || (m as Manifest).format !== FORMAT_NAME) {
    throw new IndexFormatError(`manifest.json is not a ${FORMAT_NAME} manifest`);
  }
  const man = m as Manifest;
  if (man.formatVersion !== FORMAT_VERSION) {
    throw new IndexFormatError(
      `index format version ${String(man.formatVersion)} is not supported (this build reads version ${FORMAT_VERSION}); rebuild the index with this version of news-search`,
    );
  }
  if (!Array.isArray(man.parts) || typeof man.articleCount !== 'number' || typeof man.docChunkSize !== 'number') {
    throw new IndexFormatError('manifest.json is missing parts, articleCount or docChunkSize');
  }
  if (!man.analyzer || typeof man.analyzer.language !== 'string' || !Array.isArray(man.analyzer.languages)) {
    throw new IndexFormatError('manifest.json is missing the analyzer');
  }
  for (const p of man.parts) {
    if (typeof p.name !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(p.name) || typeof p.sha256 !== 'string') {
      throw new IndexFormatError(`manifest.json lists an invalid part: ${JSON.stringify(p).slice(0, 100)}`);
    }
  }
  return man;
}

export function flexPartName(shard: number, part: number): string {
  return `flex-${String(shard).padStart(3, '0')}-${String(part).padStart(2, '0')}.json.gz`;
}

export function docChunkName(chunk: number): string {
  return `docs-${String(chunk).padStart(5, '0')}.json.gz`;
}
