import type { EvalDoc } from '../corpus.ts';

/** Hits per query: every metric is @10. */
export const TOP_K = 10;

/** One engine configuration as the eval sees it: words in, the top-10 article ids out. */
export interface RankEngine {
  /** Display name, e.g. "MiniSearch (AND)". */
  name: string;
  /** Ours (gated) or a peer (the bar). */
  role: 'ours' | 'peer';
  /** How it indexes and queries, for the report. */
  notes: string;
  /**
   * `typed`: the words as typed into a search box, the last one perhaps incomplete; an engine with a
   * prefix mode uses it for the last word (the `typed` set).
   */
  search(words: readonly string[], typed: boolean): Promise<string[]> | string[];
}

/** A library indexed once, queried in one or more configurations (AND-ish and its default). */
export interface PeerLibrary {
  name: string;
  build(docs: readonly EvalDoc[]): Promise<RankEngine[]>;
}
