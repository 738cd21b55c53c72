import type { Change, IndexState, PartIO } from '../indexer/incremental.ts';
import { readState } from '../indexer/incremental.ts';
import type { IndexStore } from '../storage/index-store.ts';

export interface Committed {
  change: Change;
  version: string;
  /** Attempts it took (1 when no other writer interfered). */
  attempts: number;
  /** With purge: versions deleted and parts removed. */
  droppedVersions: string[];
  removed: string[];
}

export class NoIndexError extends Error {
  constructor(where: string) {
    super(`no index is published at ${where}: build one first (news-search build <inputs> --out ${where})`);
    this.name = 'NoIndexError';
  }
}

/**
 * Runs one change against the live version and makes the result live with a compare-and-swap; when
 * another writer published first, re-reads the new live version and runs the change again on it
 * (a rebase), so concurrent writers both land and nothing is lost. `make` returns null when there is
 * nothing to do. Parts are content-named, so a retry's rewrites are harmless.
 */
export async function commitChange(store: IndexStore, make: (state: IndexState, io: PartIO) => Promise<Change | null>, opts: { maxAttempts?: number } = {}): Promise<Committed | null> {
  const io: PartIO = { read: (n) => store.readPart(n), write: (n, b) => store.writePart(n, b) };
  const max = opts.maxAttempts ?? 50;
  for (let attempt = 1; ; attempt++) {
    const live = await store.live();
    if (!live) throw new NoIndexError(store.where);
    const change = await make(await readState(live.manifest, io), io);
    if (!change) return null;
    const res = await store.swap(change.manifest, change.manifestBytes, live.token);
    if (res.ok) {
      let droppedVersions: string[] = [];
      let removed: string[] = [];
      if (change.purgeParts.length > 0) {
        // A takedown leaves no copy: versions that name the old segments go, then the parts.
        const dropped = await store.dropVersionsNaming(new Set(change.purgeParts));
        droppedVersions = dropped.versions;
        removed = await store.removeParts([...change.purgeParts, ...dropped.orphans]);
      }
      return { change, version: res.version, attempts: attempt, droppedVersions, removed };
    }
    if (attempt >= max) throw new Error(`gave up after ${attempt} attempts: other writers kept publishing first at ${store.where}`);
    // Jittered backoff, so racing writers spread out.
    await new Promise((r) => setTimeout(r, Math.random() * Math.min(2000, 20 * 2 ** Math.min(attempt, 7))));
  }
}
