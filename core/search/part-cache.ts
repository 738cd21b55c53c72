/**
 * One byte-budgeted LRU cache for everything loaded on demand (FlexSearch term shards, stored text
 * and tokens, segments' term lists), so a function's memory stays bounded however large the archive:
 * `INDEX_CACHE_MB`. Concurrent requests for one entry share one load; a failed load is forgotten so
 * the next request retries. An evicted entry is only dropped from the cache: a query still holding
 * it finishes with it.
 */
export interface CacheStats {
  bytes: number;
  entries: number;
  hits: number;
  misses: number;
  evictions: number;
}

interface Entry {
  value: Promise<unknown>;
  bytes: number;
}

export class PartCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  readonly stats: CacheStats = { bytes: 0, entries: 0, hits: 0, misses: 0, evictions: 0 };

  constructor(readonly budgetBytes: number) {}

  /** The cached value of `key`, or `load`'s (which also says how many bytes the value holds in memory). */
  get<T>(key: string, load: () => Promise<{ value: T; bytes: number }>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      this.stats.hits++;
      // Re-insert: Map order is least recently used first.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value as Promise<T>;
    }
    this.stats.misses++;
    const entry: Entry = { value: Promise.resolve(), bytes: 0 };
    entry.value = load().then(
      ({ value, bytes }) => {
        if (this.entries.get(key) === entry) {
          entry.bytes = bytes;
          this.bytes += bytes;
          this.evict(key);
        }
        return value;
      },
      (err: unknown) => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
        throw err;
      },
    );
    this.entries.set(key, entry);
    return entry.value as Promise<T>;
  }

  /** The value of `key` if it is held (loaded or loading), counted as a hit; undefined (not a miss: the caller loads in bulk and `put`s). */
  peek<T>(key: string): Promise<T> | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.stats.hits++;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value as Promise<T>;
  }

  /** Holds `value` under `key` (replacing what was there), for loads made in bulk outside `get`. */
  put(key: string, value: unknown, bytes: number): void {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.bytes;
    }
    this.stats.misses++;
    this.entries.set(key, { value: Promise.resolve(value), bytes });
    this.bytes += bytes;
    this.evict(key);
  }

  /** The value of `key` if it is loaded (not pending), else undefined. */
  has(key: string): boolean {
    const e = this.entries.get(key);
    return e !== undefined && e.bytes > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Keys currently held, least recently used first. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  private evict(keep: string): void {
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.budgetBytes) break;
      if (k === keep || e.bytes === 0) continue;
      this.entries.delete(k);
      this.bytes -= e.bytes;
      this.stats.evictions++;
    }
    this.stats.bytes = this.bytes;
    this.stats.entries = this.entries.size;
  }
}
