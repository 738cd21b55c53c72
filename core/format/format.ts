import { IndexFormatError } from '../errors.ts';
import type { FLEX_CONFIG } from '../flex.ts';

/**
 * An index version is `manifest.json` plus the parts it names, each with its size and SHA-256. The
 * articles live in immutable **segments** (a contiguous date range each, date order inside); the
 * manifest lists them and the few index-wide parts (the global vocabulary). A segment's parts are
 * named after the segment's content hash, so a segment unchanged between two versions is the same
 * objects in storage, referenced by both manifests, never copied (DESIGN.md "Index format").
 * Bump FORMAT_VERSION on any change to what a part holds: readers refuse other versions instead of
 * guessing.
 */
export const FORMAT_NAME = 'news-search-index';
export const FORMAT_VERSION = 6;
export const MANIFEST_NAME = 'manifest.json';

/**
 * - `vocab` (index-wide): sorted terms with document frequencies over all live articles, stem
 *   classes and spellings: global ranking statistics and prefix expansion; loaded at start;
 * - `meta` (per segment): ids, titles, dates, urls, facet values, lengths; loaded at start;
 * - `terms` (per segment): the segment's own terms and document frequencies, which the global
 *   vocabulary is the sum of (an incremental change recomputes it without reading the articles), and
 *   which `tokens` ids index;
 * - `postings` (per segment, format 6): FlexSearch's postings of every term of the segment in one
 *   binary part read by byte range: a small `hot` directory of directory blocks, a block, then a
 *   term's own bytes (`core/format/postings.ts`), so a query reads what its terms need, nothing more;
 * - `docs` (per segment): article bodies in chunks, loaded for the snippets of the hits shown;
 * - `tokens` (per segment): each row's title and whole body as the analyzer's tokens, ids into the
 *   segment's `terms` (`TokensPart`), in chunks like `docs`: what re-ranking and phrase checks read;
 * - `stats` (index-wide): term statistics of the live articles (a `TermsPart`), which writers update
 *   by adding a new segment's and subtracting deleted rows', and the vocabulary is made from;
 * - `entities` (index-wide): the entity dictionary the build learned (canonical person names, firms
 *   named after people), which later batches of articles are filed with; never loaded by search.
 */
export type PartRole = 'postings' | 'meta' | 'vocab' | 'docs' | 'tokens' | 'terms' | 'entities' | 'stats';

export interface PartInfo {
  name: string;
  role: PartRole;
  /** Stored (compressed) size in bytes. */
  bytes: number;
  /** Of the whole part (publishing and `verify` check it; a byte-range read checks `hot`'s instead). */
  sha256: string;
  /** `gzip`: gzipped JSON, read whole; `binary`: read by byte range (`postings`). */
  encoding: 'gzip' | 'binary';
  /** For `postings` parts: where the directory of directory blocks is, and its SHA-256. */
  hot?: { offset: number; length: number; sha256: string };
  /** For segment parts: the segment's id. */
  segment?: string;
}

export interface SegmentInfo {
  /** Content hash of the segment's parts (16 hex digits); its parts' names start with it. */
  id: string;
  /** Rows in the segment, deleted ones included. */
  articleCount: number;
  dateRange: { from: string; to: string };
  /** Articles per `docs` and `tokens` chunk: row n lives in chunk floor(n / docChunkSize). */
  docChunkSize: number;
  /** Rows no longer live (sorted): deleted or replaced by a later segment. */
  deleted: number[];
  /** When its articles were added to the index (ISO time): a merge keeps the newest of its inputs'. */
  addedAt: string;
}

export interface Manifest {
  format: typeof FORMAT_NAME;
  formatVersion: number;
  /** Content hash of the version (segments, deletions, global parts). */
  indexVersion: string;
  builtAt: string;
  /** Live articles over all segments. */
  articleCount: number;
  /**
   * Term shards per segment (index-wide and fixed when the index is created): a term's shard is a
   * hash of its first characters (`termShard`), so every segment, whenever built, splits a document's
   * words the same way, and FlexSearch ranks it the same way in any segment layout.
   */
  termShards: number;
  flexsearch: { version: string; config: typeof FLEX_CONFIG };
  /** How text was analyzed: queries use the same analyzer. */
  analyzer: AnalyzerInfo;
  dateRange: { from: string; to: string } | null;
  /** Oldest first (by date range): the order that makes doc numbers date order. */
  segments: SegmentInfo[];
  /** Every part of the version: the index-wide ones and every segment's. */
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

const PART_NAME = /^[a-z0-9][a-z0-9._-]*$/;
const SEGMENT_ID = /^[0-9a-f]{16}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

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
  if (!Array.isArray(man.parts) || typeof man.articleCount !== 'number' || !Array.isArray(man.segments)) {
    throw new IndexFormatError('manifest.json is missing parts, segments or articleCount');
  }
  if (!Number.isInteger(man.termShards) || man.termShards < 1 || man.termShards > 4096) {
    throw new IndexFormatError('manifest.json has no valid termShards');
  }
  if (!man.analyzer || typeof man.analyzer.language !== 'string' || !Array.isArray(man.analyzer.languages)) {
    throw new IndexFormatError('manifest.json is missing the analyzer');
  }
  const ids = new Set<string>();
  let live = 0;
  for (const s of man.segments) {
    const ok =
      s && typeof s.id === 'string' && SEGMENT_ID.test(s.id) && Number.isInteger(s.articleCount) && s.articleCount >= 0 &&
      Number.isInteger(s.docChunkSize) && s.docChunkSize > 0 && s.dateRange && DAY.test(s.dateRange.from) && DAY.test(s.dateRange.to) &&
      typeof s.addedAt === 'string' && Array.isArray(s.deleted) && s.deleted.every((d, i) => Number.isInteger(d) && d >= 0 && d < s.articleCount && (i === 0 || d > (s.deleted[i - 1] as number)));
    if (!ok) throw new IndexFormatError(`manifest.json lists an invalid segment: ${JSON.stringify(s).slice(0, 120)}`);
    if (ids.has(s.id)) throw new IndexFormatError(`manifest.json lists segment ${s.id} twice`);
    ids.add(s.id);
    live += s.articleCount - s.deleted.length;
  }
  if (live !== man.articleCount) throw new IndexFormatError(`manifest.json says ${man.articleCount} articles, its segments hold ${live}`);
  for (const p of man.parts) {
    const hotOk = p.role !== 'postings' || (p.hot !== undefined && Number.isInteger(p.hot.offset) && Number.isInteger(p.hot.length) && p.hot.offset >= 0 && p.hot.length > 0 && p.hot.offset + p.hot.length <= p.bytes && typeof p.hot.sha256 === 'string');
    if (typeof p.name !== 'string' || !PART_NAME.test(p.name) || typeof p.sha256 !== 'string' || !Number.isInteger(p.bytes) || (p.segment !== undefined && !ids.has(p.segment)) || !hotOk) {
      throw new IndexFormatError(`manifest.json lists an invalid part: ${JSON.stringify(p).slice(0, 100)}`);
    }
  }
  return man;
}

/** The parts of one segment (or, with `null`, the index-wide ones). */
export function partsOf(manifest: Pick<Manifest, 'parts'>, segment: string | null): PartInfo[] {
  return manifest.parts.filter((p) => (p.segment ?? null) === segment);
}

/** Names of a segment's parts before its id is known: the id is prefixed once every part is hashed. */
export const POSTINGS_PART_NAME = 'postings.bin';

export function docChunkName(chunk: number): string {
  return `docs-${String(chunk).padStart(5, '0')}.json.gz`;
}

export function tokenChunkName(chunk: number): string {
  return `tokens-${String(chunk).padStart(5, '0')}.json.gz`;
}

export function segmentPartName(segment: string, name: string): string {
  return `${segment}.${name}`;
}
