import { decodePart } from '../core/format/codec.ts';
import { docChunkName, partsOf, segmentPartName, type Manifest, type PartInfo, type SegmentInfo } from '../core/format/format.ts';
import type { DocsPart, FacetColumn, MetaPart, TermsPart } from '../core/format/parts.ts';
import { formatDay } from '../core/dates.ts';
import type { StoredArticle } from '../core/types.ts';
import { IndexFormatError } from '../core/errors.ts';
import { analyzerInfo, assembleManifest, segmentOptions, type BundleOptions } from './build-bundle.ts';
import { normalizeLanguage } from '../core/text.ts';
import { buildSegment, type BuiltSegment } from './build-segment.ts';
import { EntityDictionary } from './entities/dictionary.ts';
import { indexWideParts } from './index-parts.ts';
import { TermStats } from './term-stats.ts';

/**
 * Changes to a published index without rebuilding it: add a batch (a new segment; an id that exists
 * replaces the old copy), delete (rows marked deleted; with purge, the segments holding them are
 * rewritten without them) and merge small segments. Each returns the next version's manifest and
 * the parts it wrote; the caller makes it live with a compare-and-swap and, if another writer got
 * there first, runs it again on the new live version (`ingest/commit.ts`). Pure over `PartIO`.
 *
 * Work and upload are proportional to the change: the new segment, the index-wide statistics
 * (updated by adding the new segment's and subtracting the removed rows', computed from their text),
 * the vocabulary made from them, and the manifest. Existing segments are referenced unchanged.
 */
export interface PartIO {
  read(name: string): Promise<Uint8Array>;
  write(name: string, bytes: Uint8Array): Promise<void>;
}

/** The live version as a writer needs it; one change consumes it (its statistics are updated in place), so read it again per change. */
export interface IndexState {
  manifest: Manifest;
  stats: TermStats;
  dictionary: EntityDictionary;
  metas: MetaPart[];
  /** Live row of each article id. */
  where: Map<string, { seg: number; row: number }>;
}

export interface Change {
  manifest: Manifest;
  manifestBytes: Uint8Array;
  /** Part names written (new segments and index-wide parts). */
  written: string[];
  bytesWritten: number;
  added: number;
  replaced: number;
  deleted: number;
  /** Ids asked for that the index does not hold. */
  missing: string[];
  /** Segments the new version no longer references (merged, purged or emptied). */
  dropped: string[];
  /** With purge: parts of the dropped segments, to remove from storage at once. */
  purgeParts: string[];
}

export interface ChangeOptions extends Pick<BundleOptions, 'segmentSize' | 'docChunkSize' | 'now'> {
  flexsearchVersion?: string;
}

async function part<T>(io: PartIO, info: PartInfo): Promise<T> {
  return decodePart<T>(info, await io.read(info.name));
}

export async function readState(manifest: Manifest, io: PartIO): Promise<IndexState> {
  const wide = partsOf(manifest, null);
  const statsInfo = wide.find((p) => p.role === 'stats');
  const entInfo = wide.find((p) => p.role === 'entities');
  if (!statsInfo) throw new IndexFormatError('the index has no stats part: rebuild it with this version of news-search');
  const metas = await Promise.all(
    manifest.segments.map((s) => {
      const info = manifest.parts.find((p) => p.segment === s.id && p.role === 'meta');
      if (!info) throw new IndexFormatError(`segment ${s.id} has no meta part`);
      return part<MetaPart>(io, info);
    }),
  );
  const where = new Map<string, { seg: number; row: number }>();
  manifest.segments.forEach((s, seg) => {
    const del = new Set(s.deleted);
    (metas[seg] as MetaPart).ids.forEach((id, row) => {
      if (!del.has(row)) where.set(id, { seg, row });
    });
  });
  return {
    manifest,
    stats: TermStats.fromPart(await part<TermsPart>(io, statsInfo)),
    dictionary: entInfo ? EntityDictionary.fromJSON(await part<unknown>(io, entInfo)) : EntityDictionary.empty(),
    metas,
    where,
  };
}

/** Rows of one segment as articles (id, date, title, body, url, facets, lang), for merges and statistics. */
export async function readRows(state: IndexState, io: PartIO, seg: number, rows: readonly number[]): Promise<StoredArticle[]> {
  const info = state.manifest.segments[seg] as SegmentInfo;
  const meta = state.metas[seg] as MetaPart;
  const chunks = new Map<number, Promise<string[]>>();
  const bodyOf = async (row: number) => {
    const c = Math.floor(row / info.docChunkSize);
    let p = chunks.get(c);
    if (!p) {
      const name = segmentPartName(info.id, docChunkName(c));
      const pi = state.manifest.parts.find((x) => x.name === name);
      if (!pi) throw new IndexFormatError(`the manifest has no part ${name}`);
      p = part<DocsPart>(io, pi).then((d) => d.bodies);
      chunks.set(c, p);
    }
    return ((await p)[row % info.docChunkSize] as string) ?? '';
  };
  const facet = (col: FacetColumn, row: number) => col.refs.slice(col.offsets[row], col.offsets[row + 1]).map((r) => col.values[r] as string);
  return Promise.all(
    rows.map(async (row) => {
      const lang = meta.langs?.[row];
      return {
        id: meta.ids[row] as string,
        date: formatDay(meta.days[row] as number),
        title: meta.titles[row] as string,
        body: await bodyOf(row),
        url: meta.urls[row] ?? null,
        people: facet(meta.people, row),
        locations: facet(meta.locations, row),
        about: facet(meta.about, row),
        ...(lang ? { lang } : {}),
      };
    }),
  );
}

/** Term statistics of some rows, to subtract when they stop being live. */
async function statsOfRows(state: IndexState, io: PartIO, bySeg: Map<number, number[]>): Promise<TermStats> {
  const out = new TermStats();
  for (const [seg, rows] of bySeg) {
    for (const a of await readRows(state, io, seg, rows)) {
      // The language the build analyzed the row in, so its words leave that language's stem classes.
      const lang = (a.lang !== undefined ? normalizeLanguage(a.lang) : null) ?? state.manifest.analyzer.language;
      const t = out.addArticle(a.title, a.body, lang);
      out.countOccurrences(t.titleTokens);
      out.countOccurrences(t.bodyTokens);
    }
  }
  return out;
}

interface Draft {
  segments: Array<{ info: SegmentInfo; parts: PartInfo[] }>;
  stats: TermStats;
  written: string[];
  bytesWritten: number;
}

function draftOf(state: IndexState): Draft {
  return {
    segments: state.manifest.segments.map((info) => ({ info: { ...info, deleted: [...info.deleted] }, parts: partsOf(state.manifest, info.id) })),
    stats: state.stats,
    written: [],
    bytesWritten: 0,
  };
}

async function writeSegment(io: PartIO, d: Draft, seg: BuiltSegment): Promise<void> {
  for (const p of seg.parts) {
    await io.write(p.info.name, p.bytes);
    d.written.push(p.info.name);
    d.bytesWritten += p.bytes.byteLength;
  }
  d.segments.push({ info: seg.info, parts: seg.parts.map((p) => p.info) });
}

/** Marks rows deleted in the draft; returns them by segment index. */
function markDeleted(d: Draft, rows: Array<{ seg: number; row: number }>): Map<number, number[]> {
  const bySeg = new Map<number, number[]>();
  for (const { seg, row } of rows) bySeg.set(seg, [...(bySeg.get(seg) ?? []), row]);
  for (const [seg, list] of bySeg) {
    const info = (d.segments[seg] as { info: SegmentInfo }).info;
    info.deleted = [...new Set([...info.deleted, ...list])].sort((a, b) => a - b);
  }
  return bySeg;
}

async function finish(state: IndexState, io: PartIO, d: Draft, opts: ChangeOptions, counts: Pick<Change, 'added' | 'replaced' | 'deleted' | 'missing'>, purge: Set<string>): Promise<Change> {
  // Old segments in `purge` go; a new one stays even when its id equals one it replaced (a merge that re-cut the same rows).
  const old = state.manifest.segments.length;
  const kept = d.segments.filter((s, i) => s.info.articleCount > s.info.deleted.length && !(i < old && purge.has(s.info.id)));
  const keptIds = new Set(kept.map((s) => s.info.id));
  const dropped = state.manifest.segments.filter((s) => !keptIds.has(s.id)).map((s) => s.id);
  const extra = indexWideParts(state.dictionary, d.stats);
  for (const p of extra) {
    await io.write(p.info.name, p.bytes);
    d.written.push(p.info.name);
    d.bytesWritten += p.bytes.byteLength;
  }
  const { manifest, manifestBytes, vocab } = assembleManifest({
    segments: kept,
    stats: d.stats,
    termShards: state.manifest.termShards,
    analyzer: analyzerInfo(state.manifest.analyzer.language, d.stats),
    flexsearchVersion: opts.flexsearchVersion ?? state.manifest.flexsearch.version,
    builtAt: (opts.now ?? (() => new Date()))(),
    extraParts: extra.map((p) => p.info),
  });
  await io.write(vocab.info.name, vocab.bytes);
  d.written.push(vocab.info.name);
  d.bytesWritten += vocab.bytes.byteLength + manifestBytes.byteLength;
  const purgeParts = state.manifest.parts.filter((p) => p.segment !== undefined && purge.has(p.segment)).map((p) => p.name);
  return { manifest, manifestBytes, written: d.written, bytesWritten: d.bytesWritten, ...counts, dropped, purgeParts };
}

/**
 * Adds a batch of articles (final: entities extracted and placed) as one new segment, after the
 * archive-wide entity passes through the index's dictionary (which learns from the batch). An id the
 * index holds is a correction: the old row is marked deleted, so the old copy stops matching at once.
 */
export async function addArticles(state: IndexState, io: PartIO, articles: Array<StoredArticle & { institutions?: string[] }>, opts: ChangeOptions = {}): Promise<Change> {
  const d = draftOf(state);
  const latest = new Map(articles.map((a) => [a.id, a]));
  const batch = [...latest.values()];
  state.dictionary.applyBatch(batch);
  const replacedRows = batch.flatMap((a) => (state.where.has(a.id) ? [state.where.get(a.id) as { seg: number; row: number }] : []));
  const bySeg = markDeleted(d, replacedRows);
  // The state is read afresh for every attempt, so its statistics are updated in place: no copy of a
  // vocabulary-sized map per change.
  const stats = state.stats;
  if (replacedRows.length) stats.merge(await statsOfRows(state, io, bySeg), -1);
  d.stats = stats;
  if (batch.length > 0) {
    const so = segmentOptions({ ...opts, language: state.manifest.analyzer.language, termShards: state.manifest.termShards });
    const seg = await buildSegment(batch, so);
    stats.merge(seg.stats);
    await writeSegment(io, d, seg);
  }
  return finish(state, io, d, opts, { added: batch.length - replacedRows.length, replaced: replacedRows.length, deleted: 0, missing: [] }, new Set());
}

/**
 * Deletes articles by id: they leave results, facets, suggestions and `/articles/{id}` in the new
 * version. With `purge`, every segment holding one is rewritten without it and listed in
 * `purgeParts`, for the caller to remove from storage (and the versions that name them).
 */
export async function deleteArticles(state: IndexState, io: PartIO, ids: readonly string[], opts: ChangeOptions & { purge?: boolean } = {}): Promise<Change> {
  const d = draftOf(state);
  const unique = [...new Set(ids)];
  const missing = unique.filter((id) => !state.where.has(id));
  const rows = unique.flatMap((id) => (state.where.has(id) ? [state.where.get(id) as { seg: number; row: number }] : []));
  const bySeg = markDeleted(d, rows);
  // The state is read afresh for every attempt, so its statistics are updated in place: no copy of a
  // vocabulary-sized map per change.
  const stats = state.stats;
  if (rows.length) stats.merge(await statsOfRows(state, io, bySeg), -1);
  d.stats = stats;
  const purge = new Set<string>();
  if (opts.purge) {
    // A takedown leaves no trace: the people only these articles named leave the entity dictionary too.
    for (const [seg, list] of bySeg) state.dictionary.forget(await readRows(state, io, seg, list));
    for (const seg of bySeg.keys()) {
      const old = d.segments[seg] as { info: SegmentInfo };
      purge.add(old.info.id);
      const live = [...Array(old.info.articleCount).keys()].filter((r) => !old.info.deleted.includes(r));
      if (live.length) await rewrite(state, io, d, [{ seg, rows: live }], opts, old.info.addedAt);
    }
  }
  return finish(state, io, d, opts, { added: 0, replaced: 0, deleted: rows.length, missing }, purge);
}

async function rewrite(state: IndexState, io: PartIO, d: Draft, from: Array<{ seg: number; rows: number[] }>, opts: ChangeOptions, addedAt: string): Promise<void> {
  const articles: StoredArticle[] = [];
  for (const { seg, rows } of from) articles.push(...(await readRows(state, io, seg, rows)));
  const so = segmentOptions({ ...opts, language: state.manifest.analyzer.language, termShards: state.manifest.termShards });
  for (let i = 0; i < articles.length; i += so.segmentSize) {
    await writeSegment(io, d, await buildSegment(articles.slice(i, i + so.segmentSize), { ...so, addedAt }));
  }
}

/** The merge policy's knobs. */
export interface MergePolicy {
  /** A segment with fewer live articles than this is small (default segmentSize / 4). */
  smallBelow: number;
  /** Merge a run of this many adjacent small segments (default 8). */
  mergeFactor: number;
  /** Rewrite a segment whose deleted share reaches this (default 0.3). */
  maxDeletedShare: number;
}

export function defaultPolicy(segmentSize: number): MergePolicy {
  return { smallBelow: Math.max(1, Math.floor(segmentSize / 4)), mergeFactor: 8, maxDeletedShare: 0.3 };
}

/**
 * Which segments to merge (tiered by size, adjacent in date order, so merged segments stay
 * date-ranged): each run of at least `mergeFactor` consecutive small segments, and every segment
 * whose deleted share reaches `maxDeletedShare` (rewritten alone, dropping its deleted rows).
 * `all` merges every segment with a deletion or below the small size.
 */
export function planMerges(manifest: Manifest, policy: MergePolicy, all = false): number[][] {
  const live = (s: SegmentInfo) => s.articleCount - s.deleted.length;
  const groups: number[][] = [];
  let run: number[] = [];
  const close = () => {
    if (run.length >= (all ? 2 : policy.mergeFactor)) groups.push(run);
    run = [];
  };
  manifest.segments.forEach((s, i) => {
    if (live(s) < policy.smallBelow) run.push(i);
    else {
      close();
      if (s.deleted.length > 0 && (all || s.deleted.length / s.articleCount >= policy.maxDeletedShare)) groups.push([i]);
    }
  });
  close();
  if (all) {
    // Lone small segments with deletions are rewritten too.
    manifest.segments.forEach((s, i) => {
      if (live(s) < policy.smallBelow && s.deleted.length > 0 && !groups.some((g) => g.includes(i))) groups.push([i]);
    });
  }
  return groups;
}

/** Merges the planned groups: each becomes new segments of its live rows (deleted rows dropped). Null when there is nothing to merge. */
export async function compactSegments(state: IndexState, io: PartIO, opts: ChangeOptions & { policy?: MergePolicy; all?: boolean } = {}): Promise<Change | null> {
  const size = segmentOptions(opts).segmentSize;
  const groups = planMerges(state.manifest, opts.policy ?? defaultPolicy(size), opts.all ?? false);
  if (groups.length === 0) return null;
  const d = draftOf(state);
  const merged = new Set<string>();
  for (const g of groups) {
    const from = g.map((seg) => {
      const info = state.manifest.segments[seg] as SegmentInfo;
      merged.add(info.id);
      return { seg, rows: [...Array(info.articleCount).keys()].filter((r) => !info.deleted.includes(r)) };
    });
    const addedAt = g.map((seg) => (state.manifest.segments[seg] as SegmentInfo).addedAt).sort().pop() as string;
    if (from.some((f) => f.rows.length > 0)) await rewrite(state, io, d, from, opts, addedAt);
  }
  const change = await finish(state, io, d, opts, { added: 0, replaced: 0, deleted: 0, missing: [] }, merged);
  // Merged segments' parts stay in storage until pruned: older versions still name them.
  return { ...change, purgeParts: [] };
}
