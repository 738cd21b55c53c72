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
  /** Tokens per title and per body, for length-normalized ranking. */
  titleLens?: number[];
  bodyLens?: number[];
  /** Each row's language as given in the input, '' when none (the index's language applies): merges rebuild rows from this. */
  langs?: string[];
}

export interface VocabPart {
  /** Sorted (code unit order) folded terms. */
  terms: string[];
  /** Number of live articles containing each term, over all segments. */
  df: number[];
  /**
   * How a term is written where that differs from its folded form (format 4): the most common
   * lower-cased spelling in the articles, "музей", "hôpital", "café" (suggestions show it).
   * `forms[i]` is the spelling of `terms[refs[i]]`; `refs` ascending.
   */
  shown: { refs: number[]; forms: string[] };
  /** Stem classes per article language (format 4): the terms that are forms of one word. */
  stems: StemClasses[];
}

/**
 * The terms sharing a stem in one language ("elect" → election, elections, elected), for matching
 * other forms of a query word. Only stems whose terms are not just the stem itself are listed.
 * Compact, since every query loads it: 24 kB gzipped for Reuters' 45k terms.
 */
export interface StemClasses {
  lang: string;
  /** Terms per class; classes are in the sorted order of their stems. */
  sizes: number[];
  /** The classes' terms in order, as indices into `terms`, each given as the difference from the one before (the first from 0). */
  refs: number[];
  /**
   * Each class's stem, relative to its first term: the length of the prefix it shares with it
   * ("elect" of election: 5), or that length and the rest (["polici" of policies: [6, ""]] is 6;
   * "hope" of hoping: [3, "e"]).
   */
  stems: Array<number | [number, string]>;
}

/**
 * A segment's own term statistics: its terms and the rows holding each, and per term the rows of
 * each analyzer language and the spellings seen. The global vocabulary is a function of these
 * (summed over segments, minus deleted rows), so adding or deleting articles recomputes it without
 * reading any article text.
 */
export interface TermsPart {
  /** Sorted folded terms of the segment. */
  terms: string[];
  /** Rows containing each term. */
  df: number[];
  /** Terms per article language, as indices into `terms` (for stem classes), with the rows of that language holding each. */
  langs: Array<{ lang: string; refs: number[]; counts: number[] }>;
  /** Spellings other than the folded form: [term index, lower-cased spelling, count]. */
  spellings: Array<[number, string, number]>;
  /** Occurrences of each term (collection frequency). */
  cf: number[];
}

export interface DocsPart {
  start: number;
  bodies: string[];
}

/**
 * One chunk of a segment's rows as tokens (the rows of the `docs` chunk of the same number): each
 * title and whole body (never capped, so a phrase anywhere in a body is found) as the analyzer's
 * folded words in order, each an index into the segment's sorted terms (`TermsPart.terms`, which
 * stay valid for the segment's life: its parts are immutable). A row's ids are one string of base64
 * VLQ digits (`encodeTokenIds` in token-ids.ts: 5 bits per digit, low bits first, 32 set on every
 * digit but an id's last), which gzip compresses better than bytes in base64 or decimal arrays
 * (Reuters: ~255 bytes per article stored against ~305 and ~277).
 */
export interface TokensPart {
  start: number;
  titles: string[];
  bodies: string[];
}

