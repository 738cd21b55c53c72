/**
 * Public data shapes shared by the build step, the search core, the HTTP adapters and the widget.
 * Everything here is plain data: no classes, so values cross process and network boundaries as JSON.
 */

import type { SortOrder } from './http/limits.ts';

/** An article as read from an input file, before entity extraction. */
export interface SourceArticle {
  /** Stable id. Plain-text inputs get one derived from the file name. */
  id: string;
  /** Publication date, `YYYY-MM-DD`. */
  date: string;
  title: string;
  body: string;
  url?: string;
  /** Where the story was filed ("SAN JOSE, Calif., Feb 26"); its place becomes a location. */
  dateline?: string;
  /** Explicit people from the input; kept as given (after whitespace cleanup), merged with extracted ones. */
  people?: string[];
  /** Explicit places from the input; kept as given, merged with extracted ones. */
  places?: string[];
  /** Language of the text (ISO 639-1, normalized), when the input gives one: it picks the stemmer. */
  lang?: string;
}

/** An article as stored in the index: source fields plus the facet values. */
export interface StoredArticle {
  id: string;
  date: string;
  title: string;
  body: string;
  url: string | null;
  people: string[];
  locations: string[];
  /** The subset of `locations` the story is about (dateline, title, lede, repeated), with their countries. */
  about: string[];
  /** Language of the text when the input gave one; otherwise the build's `--language`. */
  lang?: string;
}

/** The values live in core/http/limits.ts (`SORT_ORDERS`), the one list every layer reads. */
export type { SortOrder };

/** Validated search parameters (see `parseSearchParams`). */
export interface SearchParams {
  q: string;
  person: string[];
  location: string[];
  about: string[];
  /** Inclusive, `YYYY-MM-DD`. */
  from: string | null;
  /** Inclusive, `YYYY-MM-DD`. */
  to: string | null;
  sort: SortOrder;
  /**
   * Optional recency boost for `sort=relevance`: half-life in days. Relevance is multiplied by
   * 0.5 + 0.5 · 2^(−age / recency), age counted back from the newest article in the index.
   */
  recency: number | null;
  page: number;
  limit: number;
  facetLimit: number;
  /**
   * Search-after: continue after the last hit of an earlier answer (its `nextCursor`, decoded and
   * checked against this query by `parseSearchParams`). Absent or null: `page` says where to start.
   */
  cursor?: SearchCursor | null;
  /**
   * Spelling correction (`correct`, default true): a query with no hit is answered for its corrected
   * form. False answers the query exactly as written, still suggesting `didYouMean` ("search instead
   * for" links need that).
   */
  correct?: boolean;
}

/** A decoded `cursor`: the index version it was issued for, and where the order resumes. */
export interface SearchCursor {
  indexVersion: string;
  after: SearchAfter;
}

/**
 * The sort key of the last hit already seen; the next page starts with the first hit ordered after
 * it. Relevance order is the re-scored head (stage 2, `head`) followed by the rest in stage-1 order
 * (`tail`), each by score descending then doc number descending; date orders go by day, then doc.
 */
export type SearchAfter =
  | { kind: 'head' | 'tail'; score: number; doc: number }
  | { kind: 'date'; day: number; doc: number };

export interface FacetValue {
  value: string;
  count: number;
}

export interface SearchHit {
  id: string;
  title: string;
  date: string;
  url: string | null;
  people: string[];
  locations: string[];
  about: string[];
  /** Relevance score, higher is better; comparable only within one response. */
  score: number;
  /** Body excerpt around the matches; HTML-escaped, matches wrapped in `<mark>`. */
  snippet: string;
}

export interface SearchResponse {
  total: number;
  page: number;
  limit: number;
  sort: SortOrder;
  hits: SearchHit[];
  facets: {
    person: FacetValue[];
    location: FacetValue[];
    about: FacetValue[];
    /** Month histogram, `YYYY-MM`, ascending. */
    date: FacetValue[];
  };
  tookMs: number;
  /** A corrected query when words of `q` are unknown ("putn" → "putin "). */
  didYouMean?: string;
  /** True when `q` found nothing and these results are for `didYouMean` instead. */
  corrected?: boolean;
  /** When more hits follow: pass as `cursor` (with the same query) for the next page. */
  nextCursor?: string;
}

export interface HealthResponse {
  status: 'ok';
  formatVersion: number;
  indexVersion: string;
  articleCount: number;
  builtAt: string;
  /** Segments of the live version. */
  segments: number;
  /** When the newest segment's articles were added (ISO time), null for an empty index. */
  lastAddedAt: string | null;
  loadMs: number;
}

export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}
