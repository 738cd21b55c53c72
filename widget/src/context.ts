/** What the render functions get: the state they show, formatting, and callbacks into the element. */
import type { Formatter } from './format.ts';
import type { FacetField, SearchState } from './types.ts';

export interface Actions {
  toggle(field: FacetField, value: string): void;
  setRange(from: string, to: string): void;
  setPage(page: number): void;
  setQuery(q: string): void;
  /** Runs the current query as written, without the API's spelling correction. */
  searchAsWritten(): void;
  clearFilters(): void;
  retry(): void;
}

export interface RenderContext {
  state: SearchState;
  fmt: Formatter;
  actions: Actions;
  /** Base URL for resolving relative article links. */
  base: string;
}

export const plural = (n: number, one: string, many: string): string => (n === 1 ? one : many);

export function hasFilters(s: SearchState): boolean {
  return s.person.length > 0 || s.location.length > 0 || s.about.length > 0 || !!s.from || !!s.to;
}
