/**
 * Types the widget works with. The API shapes come from the shared contract in core/types.ts
 * (type-only import: nothing from core ends up in the browser bundle).
 */
import type { SearchResponse, SortOrder } from '../../core/types.ts';

export type { FacetValue, SearchHit, SortOrder } from '../../core/types.ts';

/** The response as the widget uses it: `didYouMean` is an optional, forward-compatible extra. */
export interface WidgetResponse extends SearchResponse {
  didYouMean?: string;
}

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
}

export type FacetField = 'person' | 'location' | 'about';

export const EMPTY_STATE: SearchState = { q: '', person: [], location: [], about: [], from: '', to: '', sort: '', page: 1 };
