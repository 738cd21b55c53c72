/** What each part holds once decoded. Column-oriented so large corpora stay compact as JSON. */

/** Facet values of all articles: doc n has values[refs[offsets[n]] … refs[offsets[n+1]-1]]. */
export interface FacetColumn {
  values: string[];
  offsets: number[];
  refs: number[];
}

export interface MetaPart {
  ids: string[];
  titles: string[];
  urls: Array<string | null>;
  /** UTC day numbers, non-decreasing: doc numbers are assigned in date order. */
  days: number[];
  people: FacetColumn;
  locations: FacetColumn;
  /** The subset of `locations` each story is about (format 3). */
  about: FacetColumn;
  /** Tokens per title and per body, for length-normalized ranking. Absent in early v2 bundles. */
  titleLens?: number[];
  bodyLens?: number[];
}

export interface VocabPart {
  /** Sorted (code unit order) folded terms. */
  terms: string[];
  /** Number of articles containing each term. */
  df: number[];
  /** Index in `terms` of the first term of each FlexSearch shard. */
  shardStarts: number[];
}

export interface DocsPart {
  start: number;
  bodies: string[];
}

export type FlexPart = Array<[string, string]>;
