import type { PartReader } from '../core/format/part-reader.ts';
import { loadIndex } from '../core/search/load-index.ts';
import { IndexFormatError, IndexUnavailableError } from '../core/errors.ts';
import type { SearchIndex } from '../core/search/search-index.ts';
import type { IndexSource, VersionRef } from './index-source.ts';

export interface HolderOptions {
  source: IndexSource;
  /** Milliseconds between checks for a new version. */
  reloadMs: number;
  load?: (read: PartReader) => Promise<SearchIndex>;
  now?: () => number;
  /** Structured events: swaps and failed reloads. */
  log?: (event: Record<string, unknown>) => void;
  /** Called with each successful load's duration (the first one and every swap), for metrics. */
  onLoad?: (loadMs: number) => void;
}

interface Live {
  index: SearchIndex;
  tag: string;
  version: string;
}

/**
 * The index of one container. Loaded once (concurrent first requests share one load), reused across
 * invocations, and swapped whole when a new version is published: each request gets one
 * SearchIndex, whose reader is bound to its own version, so no response mixes two versions.
 *
 * The check runs inside the request that finds it due, not in the background, because Lambda
 * freezes a container between invocations and background work would stall half-done.
 */
export class IndexHolder {
  private live: Live | null = null;
  private firstLoad: Promise<SearchIndex> | null = null;
  private refreshing: Promise<void> | null = null;
  private checkedAt = 0;
  private readonly load: (read: PartReader) => Promise<SearchIndex>;
  private readonly now: () => number;

  constructor(private readonly opts: HolderOptions) {
    this.load = opts.load ?? ((read) => loadIndex(read));
    this.now = opts.now ?? (() => Date.now());
  }

  get version(): string | undefined {
    return this.live?.version;
  }

  /** The live index, or `IndexUnavailableError` when none could be loaded yet. */
  async get(): Promise<SearchIndex> {
    if (!this.live) {
      this.firstLoad ??= this.loadFirst();
      return this.firstLoad;
    }
    if (!this.refreshing && this.now() - this.checkedAt >= this.opts.reloadMs) {
      this.refreshing = this.refresh().finally(() => (this.refreshing = null));
      await this.refreshing;
    }
    return this.live.index;
  }

  private loadFirst(): Promise<SearchIndex> {
    const started = this.now();
    const p = (async () => {
      const ref = (await this.opts.source.check(undefined)) as VersionRef;
      const index = await this.loadVersion(ref);
      this.live = { index, tag: ref.tag, version: ref.version };
      this.checkedAt = started;
      this.opts.log?.({ level: 'info', msg: 'index loaded', indexVersion: index.manifest.indexVersion, version: ref.version, loadMs: Math.round(index.loadMs) });
      this.opts.onLoad?.(index.loadMs);
      return index;
    })();
    // A failed cold start is not remembered: the next request tries again.
    p.catch(() => (this.firstLoad = null));
    return p;
  }

  /** A warm container keeps serving what it has when the check or the new version fails. */
  private async refresh(): Promise<void> {
    const started = this.now();
    const live = this.live as Live;
    try {
      const ref = await this.opts.source.check(live.tag);
      if (ref && ref.version === live.version) {
        live.tag = ref.tag; // pointer rewritten to the same version: nothing to load
      } else if (ref) {
        const index = await this.loadVersion(ref);
        this.live = { index, tag: ref.tag, version: ref.version };
        this.opts.log?.({ level: 'info', msg: 'index swapped', from: live.version, version: ref.version, indexVersion: index.manifest.indexVersion, loadMs: Math.round(index.loadMs) });
        this.opts.onLoad?.(index.loadMs);
      }
    } catch (err) {
      this.opts.log?.({ level: 'warn', msg: 'index reload failed; serving the loaded version', version: live.version, error: (err as Error).message });
    } finally {
      this.checkedAt = started;
    }
  }

  private async loadVersion(ref: VersionRef): Promise<SearchIndex> {
    try {
      return await this.load(ref.read);
    } catch (err) {
      if (err instanceof IndexUnavailableError) throw err;
      if (err instanceof IndexFormatError) throw new IndexUnavailableError(`index version ${ref.version} is unusable: ${err.message}`, { cause: err });
      throw new IndexUnavailableError(`index version ${ref.version} could not be loaded`, { cause: err });
    }
  }
}
