import { FLEX_CONFIG } from '../core/flex.ts';
import { DEFAULT_LANGUAGE, normalizeLanguage, stemmerName } from '../core/text.ts';
import type { StoredArticle } from '../core/types.ts';
import { encodePart, sha256Hex } from '../core/format/codec.ts';
import { FORMAT_NAME, FORMAT_VERSION, MANIFEST_NAME, type AnalyzerInfo, type Manifest, type PartInfo, type SegmentInfo } from '../core/format/format.ts';
import { buildSegment, byDateThenId, type BuiltSegment, type SegmentOptions } from './build-segment.ts';
import { TermStats } from './term-stats.ts';
import { EntityDictionary } from './entities/dictionary.ts';
import { indexWideParts } from './index-parts.ts';

/** Articles per segment unless `--segment-size` says otherwise: build memory is bounded by one segment. */
export const DEFAULT_SEGMENT_SIZE = 25_000;
/** Term shards of a new index (`Manifest.termShards`). */
export const DEFAULT_TERM_SHARDS = 32;

export interface BundleOptions {
  docChunkSize?: number;
  /** Term shards per segment (default `DEFAULT_TERM_SHARDS`). */
  termShards?: number;
  /** Articles per segment (default `DEFAULT_SEGMENT_SIZE`). */
  segmentSize?: number;
  flexsearchVersion?: string;
  /**
   * The analyzer's language for articles without a `lang` of their own (`--language`; default `en`):
   * it picks the stemmer. `none` (or a language without a stemmer) only folds words.
   */
  language?: string;
  now?: () => Date;
}

export interface Bundle {
  manifest: Manifest;
  /** Part name → stored bytes, `manifest.json` included. */
  files: Map<string, Uint8Array>;
}

/** The normalized options every segment of one build shares. */
export function segmentOptions(opts: BundleOptions): SegmentOptions & { segmentSize: number } {
  const language = normalizeLanguage(opts.language ?? DEFAULT_LANGUAGE);
  if (language === null) throw new Error(`not a language: ${JSON.stringify(opts.language)} (use an ISO 639-1 code such as en, de, ru, or none)`);
  const segmentSize = opts.segmentSize ?? DEFAULT_SEGMENT_SIZE;
  if (!Number.isInteger(segmentSize) || segmentSize < 1) throw new Error(`segment size must be a whole number of at least 1, got ${String(opts.segmentSize)}`);
  return {
    language,
    segmentSize,
    termShards: opts.termShards ?? DEFAULT_TERM_SHARDS,
    docChunkSize: opts.docChunkSize ?? 64,
    addedAt: (opts.now ?? (() => new Date()))().toISOString(),
  };
}

/**
 * Turns validated articles into a bundle in memory: sorted by date, then id, cut into segments of
 * `segmentSize`, plus the index-wide vocabulary. Pure: the caller decides where the bytes go. The
 * streaming build (`build.ts`) makes the same bundle one segment at a time with `buildSegment` and
 * `assembleBundle`.
 */
export async function buildBundle(input: readonly StoredArticle[], opts: BundleOptions = {}): Promise<Bundle> {
  const so = segmentOptions(opts);
  const articles = [...input].sort(byDateThenId);
  const segments: BuiltSegment[] = [];
  for (let i = 0; i < articles.length; i += so.segmentSize) segments.push(await buildSegment(articles.slice(i, i + so.segmentSize), so));
  return bundleOfSegments(segments, { ...opts, termShards: so.termShards, language: so.language });
}

/**
 * A bundle in memory from segments built in any way (date-ranged by `buildBundle`, or any partition
 * of the articles, as incremental adds make them): the segments' parts, the index-wide parts made
 * from their summed statistics, and the manifest.
 */
export function bundleOfSegments(segments: readonly BuiltSegment[], opts: Pick<BundleOptions, 'flexsearchVersion' | 'now'> & { termShards: number; language: string }): Bundle {
  const files = new Map<string, Uint8Array>();
  for (const s of segments) for (const p of s.parts) files.set(p.info.name, p.bytes);
  const stats = new TermStats();
  for (const s of segments) stats.merge(s.stats);
  // Articles given here are final (their entities resolved by the caller): the dictionary starts empty.
  const extra = indexWideParts(EntityDictionary.empty(), stats);
  const { manifest, manifestBytes, vocab } = assembleManifest({
    segments: segments.map((s) => ({ info: s.info, parts: s.parts.map((p) => p.info) })),
    stats,
    termShards: opts.termShards,
    analyzer: analyzerInfo(opts.language, stats),
    flexsearchVersion: opts.flexsearchVersion ?? 'unknown',
    builtAt: (opts.now ?? (() => new Date()))(),
    extraParts: extra.map((p) => p.info),
  });
  files.set(vocab.info.name, vocab.bytes);
  for (const p of extra) files.set(p.info.name, p.bytes);
  files.set(MANIFEST_NAME, manifestBytes);
  return { manifest, files };
}

export function analyzerInfo(language: string, stats: TermStats): AnalyzerInfo {
  const languages = [...new Set([...stats.langs.keys(), language])].sort();
  return {
    language,
    languages,
    stemmers: Object.fromEntries(languages.flatMap((l) => (stemmerName(l) ? [[l, stemmerName(l) as string]] : []))),
  };
}

export interface ManifestInput {
  /** Segments with their parts, in any order (sorted here by date range). */
  segments: Array<{ info: SegmentInfo; parts: PartInfo[] }>;
  /** Term statistics of the live articles of all segments: the vocabulary is made from them. */
  stats: TermStats;
  termShards: number;
  analyzer: AnalyzerInfo;
  flexsearchVersion: string;
  builtAt: Date;
  /** Other index-wide parts (the entity dictionary), written by the caller. */
  extraParts?: PartInfo[];
}

/**
 * A version's manifest over its segments, and the index-wide vocabulary part it names (written by
 * the caller). The version hash covers the segments, their deletions and the vocabulary, so two
 * versions with the same live articles in the same segments have the same `indexVersion`.
 */
export function assembleManifest(m: ManifestInput): { manifest: Manifest; manifestBytes: Uint8Array; vocab: { info: PartInfo; bytes: Uint8Array } } {
  const segments = [...m.segments].sort(
    (a, b) => cmp(a.info.dateRange.from, b.info.dateRange.from) || cmp(a.info.dateRange.to, b.info.dateRange.to) || cmp(a.info.id, b.info.id),
  );
  const vocabBytes = encodePart(m.stats.toVocab());
  const vocabSha = sha256Hex(vocabBytes);
  const vocab: PartInfo = { name: `vocab-${vocabSha.slice(0, 16)}.json.gz`, role: 'vocab', bytes: vocabBytes.byteLength, sha256: vocabSha, encoding: 'gzip' };
  const live = segments.filter((s) => s.info.articleCount > s.info.deleted.length);
  const froms = live.map((s) => s.info.dateRange.from).sort();
  const tos = live.map((s) => s.info.dateRange.to).sort();
  const extra = m.extraParts ?? [];
  const versionKey = [vocabSha, ...extra.map((p) => p.sha256), ...segments.map((s) => `${s.info.id}:${s.info.deleted.join(' ')}`)].join(',');
  const manifest: Manifest = {
    format: FORMAT_NAME,
    formatVersion: FORMAT_VERSION,
    indexVersion: sha256Hex(new TextEncoder().encode(versionKey)).slice(0, 16),
    builtAt: m.builtAt.toISOString(),
    articleCount: segments.reduce((n, s) => n + s.info.articleCount - s.info.deleted.length, 0),
    termShards: m.termShards,
    flexsearch: { version: m.flexsearchVersion, config: FLEX_CONFIG },
    analyzer: m.analyzer,
    dateRange: froms.length ? { from: froms[0] as string, to: tos[tos.length - 1] as string } : null,
    segments: segments.map((s) => s.info),
    parts: [vocab, ...extra, ...segments.flatMap((s) => s.parts)],
  };
  return { manifest, manifestBytes: new TextEncoder().encode(JSON.stringify(manifest, null, 1)), vocab: { info: vocab, bytes: vocabBytes } };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
