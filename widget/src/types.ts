/**
 * Types the widget works with. The API shapes come from the shared contract in core/types.ts
 * (type-only import: nothing from core ends up in the browser bundle).
 */
import type { SearchResponse, SortOrder } from '../../core/types.ts';

export type { FacetValue, SearchHit, SortOrder } from '../../core/types.ts';

/** The response as the widget uses it (`didYouMean` and `corrected` are optional extras of the contract). */
export type WidgetResponse = SearchResponse;

/** Everything a search depends on; this is what lives in the URL. */
export interface SearchState {
  q: string;
  person: string[];
  /** Every place a story mentions. */
  location: string[];
  /** The places a story is about (dateline, title, lede, repeated): a subset of its locations. */
  about: string[];
  /** `YYYY-MM-DD` or '' for no bound. */
  from: string;
  to: string;
  /** '' means "let the server choose" (relevance with a query, newest first without). */
  sort: SortOrder | '';
  page: number;
  /**
   * False after "Search instead for …": the query is answered as written, never replaced by its
   * spelling correction. Reset whenever the query text changes.
   */
  correct: boolean;
}

export type FacetField = 'person' | 'location' | 'about';

export const EMPTY_STATE: SearchState = { q: '', person: [], location: [], about: [], from: '', to: '', sort: '', page: 1, correct: true };

/**
 * One completion from `GET /suggest` (its type lives in core/search/suggest.ts, outside what the
 * widget may import, so the shape is restated here).
 */
export interface Suggestion {
  value: string;
  kind: 'term' | 'person' | 'location';
  /** Articles containing the term, or filed under the person or place. */
  count: number;
}
