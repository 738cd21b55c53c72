import { createRequire } from 'node:module';
import { assembleManifest, analyzerInfo, segmentOptions } from './build-bundle.ts';
import { buildSegment } from './build-segment.ts';
import { MANIFEST_NAME, type Manifest } from '../core/format/format.ts';
import type { SourceArticle } from '../core/types.ts';
import { createEnrichPool, defaultWorkerCount } from './enrich-pool.ts';
import type { EnrichedArticle } from './enrich.ts';
import { placePasses } from './hierarchy.ts';
import { readInputs, type RecordSource } from './read-inputs.ts';
import { TermStats } from './term-stats.ts';
import { EntityDictionary } from './entities/dictionary.ts';
import { indexWideParts } from './index-parts.ts';

export interface Rejection extends RecordSource {
  reason: string;
}

/** Where a build's parts go as they are made: memory (the default), a folder, anything. */
export interface PartSink {
  put(name: string, bytes: Uint8Array): Promise<void>;
}

/** What a build made: its manifest, and its files when they were kept in memory. */
export interface BuiltIndex {
  manifest: Manifest;
  /** Part name → bytes (`manifest.json` included) when no sink was given; else null. */
  files: Map<string, Uint8Array> | null;
  parts: number;
  bytes: number;
}

export interface BuildReport {
  read: number;
  indexed: number;
  rejected: number;
  rejections: Rejection[];
  skippedFiles: string[];
  bundle: BuiltIndex;
  segments: number;
  ms: { total: number; read: number; extract: number; index: number };
}

export interface BuildProgress {
  /** Called as articles are read and enriched; `total` is unknown while streaming. */
  onProgress?: (done: number) => void;
  onRejection?: (r: Rejection) => void;
}

export interface BuildOptions extends BuildProgress {
  inputs: readonly string[];
  workers?: number;
  /** Articles per worker message. */
  batchSize?: number;
  /** The analyzer's language for articles without a `lang` (default `en`; see buildBundle). */
  language?: string;
  /** Articles per segment (default `DEFAULT_SEGMENT_SIZE`): the build holds one segment at a time. */
  segmentSize?: number;
  /** Term shards per segment (default `DEFAULT_TERM_SHARDS`). */
  termShards?: number;
  /** Receives each part as soon as it is made; without one, parts are kept in memory (`bundle.files`). */
  sink?: PartSink;
  now?: () => Date;
}

/**
 * Reads every input, rejects what is invalid (with file, record and reason), extracts entities in
 * worker threads and indexes one segment at a time: every `segmentSize` articles, the segment's
 * stories get the archive-wide entity passes through the entity dictionary (which learns from them),
 * are indexed and handed to the sink, and are dropped. So memory is bounded by one segment plus the
 * vocabulary and the dictionary, whatever the corpus size. Invariant: read = indexed + rejected.
 */
export async function buildFromInputs(opts: BuildOptions): Promise<BuildReport> {
  const t0 = performance.now();
  const so = segmentOptions(opts);
  const workers = opts.workers ?? defaultWorkerCount();
  const batchSize = opts.batchSize ?? 50;
  const rejections: Rejection[] = [];
  const skippedFiles: string[] = [];
  const firstSeen = new Map<string, string>();
  const files = opts.sink ? null : new Map<string, Uint8Array>();
  const sink: PartSink = opts.sink ?? { put: async (name, bytes) => void files?.set(name, bytes) };
  let parts = 0;
  let bytes = 0;
  const put = async (name: string, b: Uint8Array) => {
    parts++;
    bytes += b.byteLength;
    await sink.put(name, b);
  };
  const stats = new TermStats();
  const segments: Parameters<typeof assembleManifest>[0]['segments'] = [];
  const dictionary = EntityDictionary.empty();
  let pending: Array<Promise<EnrichedArticle[]>> = [];
  let inSegment = 0;
  let batch: SourceArticle[] = [];
  let read = 0;
  let enriched = 0;
  let indexed = 0;
  let indexMs = 0;
  const reject = (r: Rejection) => {
    rejections.push(r);
    opts.onRejection?.(r);
  };
  const pool = createEnrichPool(workers);
  // The gazetteer loads here (workers have their own copy); cities gain their country.
  const { regionalReading, resolvePlaceAmong } = await import('./entities/index.ts');
  const flush = () => {
    if (batch.length === 0) return;
    const p = pool.enrich(batch);
    p.then((out) => {
      enriched += out.length;
      opts.onProgress?.(enriched + rejections.length);
    }, () => {});
    pending.push(p);
    batch = [];
  };
  /** Indexes the articles enriched so far as one segment, while the workers go on with the next. */
  const cut = async () => {
    flush();
    if (pending.length === 0) return;
    const waiting = pending;
    pending = [];
    inSegment = 0;
    const articles = (await Promise.all(waiting)).flat().map((a) => placePasses(a, resolvePlaceAmong, regionalReading));
    const ti = performance.now();
    // Firms named after people leave the person facet; one canonical name per person across the archive.
    dictionary.applyBatch(articles);
    const seg = await buildSegment(articles, so);
    for (const p of seg.parts) await put(p.info.name, p.bytes);
    stats.merge(seg.stats);
    segments.push({ info: seg.info, parts: seg.parts.map((p) => p.info) });
    indexed += articles.length;
    indexMs += performance.now() - ti;
  };
  try {
    for await (const item of readInputs(opts.inputs, { onSkippedFile: (f) => skippedFiles.push(f) })) {
      read++;
      if (!item.ok) {
        reject({ ...item.source, reason: item.reason });
        continue;
      }
      const where = `${item.source.file} ${item.source.record}`;
      const prior = firstSeen.get(item.article.id);
      if (prior !== undefined) {
        reject({ ...item.source, reason: `duplicate id ${JSON.stringify(item.article.id)} (first seen in ${prior})` });
        continue;
      }
      firstSeen.set(item.article.id, where);
      batch.push(item.article);
      inSegment++;
      if (batch.length >= batchSize) flush();
      if (inSegment >= so.segmentSize) await cut();
      // Bound memory held by in-flight batches: wait when workers fall behind the reader.
      else if (pending.length > workers * 4) await pending[pending.length - workers * 2];
    }
    const readMs = performance.now() - t0;
    await cut();
    const ti = performance.now();
    const extra = indexWideParts(dictionary, stats);
    const { manifest, manifestBytes, vocab } = assembleManifest({
      segments,
      stats,
      termShards: so.termShards,
      analyzer: analyzerInfo(so.language, stats),
      flexsearchVersion: flexsearchVersion(),
      builtAt: (opts.now ?? (() => new Date()))(),
      extraParts: extra.map((p) => p.info),
    });
    for (const p of extra) await put(p.info.name, p.bytes);
    await put(vocab.info.name, vocab.bytes);
    await put(MANIFEST_NAME, manifestBytes);
    indexMs += performance.now() - ti;
    const total = performance.now() - t0;
    return {
      read,
      indexed,
      rejected: rejections.length,
      rejections,
      skippedFiles,
      bundle: { manifest, files, parts, bytes },
      segments: segments.length,
      ms: { total, read: readMs, extract: total - indexMs, index: indexMs },
    };
  } finally {
    await pool.close();
  }
}

function flexsearchVersion(): string {
  try {
    return (createRequire(import.meta.url)('flexsearch/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
