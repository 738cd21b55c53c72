import type { Rejection } from '../indexer/build.ts';
import { collectArticles, type Collected } from '../indexer/collect.ts';
import { addArticles, compactSegments } from '../indexer/incremental.ts';
import { formatOf } from '../indexer/read-inputs.ts';
import type { IndexStore } from '../storage/index-store.ts';
import { commitChange, type Committed } from './commit.ts';

export type { Collected, Rejection };

/** What `addFiles` reads, for messages: the extensions `isArticleFile` accepts. */
export const ARTICLE_FILE_TYPES = '.txt, .json, .ndjson or .jsonl, optionally .gz';

/** Whether a file name is one of the article formats (by extension); others are not read at all. */
export function isArticleFile(name: string): boolean {
  return formatOf(name) !== null;
}

export interface AddFilesOptions {
  /** Entity-extraction worker threads (default: collectArticles' own). 1 runs in-process, which a bundled Lambda needs. */
  workers?: number;
  onRejection?: (r: Rejection) => void;
  /** Compare-and-swap attempts before giving up (default: commitChange's). */
  maxAttempts?: number;
}

export interface AddedFiles {
  /** The published change; null when no record was valid (nothing was published). */
  committed: Committed | null;
  collected: Collected;
}

/**
 * Adds the articles of some files (`.ndjson`, `.json`, `.txt`, optionally gzipped) to a published
 * index, as `news-search add` does: read, validate and extract entities, then one new segment made
 * live by compare-and-swap (rebased when another writer publishes first). An id the index holds is
 * replaced, so adding the same articles twice leaves one copy. Zero valid articles is refused: the
 * live version stays as it is and `committed` is null; every rejection is in `collected`.
 */
export async function addFiles(store: IndexStore, paths: readonly string[], opts: AddFilesOptions = {}): Promise<AddedFiles> {
  const collected = await collectArticles(paths, {
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    ...(opts.onRejection ? { onRejection: opts.onRejection } : {}),
  });
  if (collected.articles.length === 0) return { committed: null, collected };
  const committed = await commitChange(
    store,
    (state, io) => addArticles(state, io, collected.articles),
    opts.maxAttempts !== undefined ? { maxAttempts: opts.maxAttempts } : {},
  );
  return { committed, collected };
}

/** Merges small segments (tiered, as `news-search compact` without --all); null when there is nothing to merge. */
export function compactIndex(store: IndexStore): Promise<Committed | null> {
  return commitChange(store, (state, io) => compactSegments(state, io));
}
