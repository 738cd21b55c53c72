import type { BenchArticle } from '../bundle-read.ts';
import type { BenchQuery } from '../queries.ts';

/**
 * What the benchmark needs from a peer search library. Every peer indexes the same articles (with
 * our extracted people and locations) and answers the same queries: AND of the words, the last one
 * as a prefix in the `prefix` class, top 10 by its own relevance, its native filtering where it
 * has some. No peer computes facets or snippets, so each does less work per query than our handler.
 */
export interface PeerEngine<I = unknown> {
  name: string;
  /** How each filter and sort is done, for the report. */
  notes: string;
  build(articles: readonly BenchArticle[]): Promise<I>;
  serialize(index: I): string;
  load(json: string): Promise<I>;
  /** Runs one query; returns the total number of matches (for sanity checks). */
  search(index: I, q: BenchQuery): Promise<number>;
}

export const PAGE_SIZE = 10;

export function inDateRange(q: BenchQuery, day: number): boolean {
  return (q.fromDay === null || day >= q.fromDay) && (q.toDay === null || day <= q.toDay);
}

/** The words of a query as one string, the prefix last. */
export function queryText(q: BenchQuery): string {
  return [...q.terms, ...(q.prefix !== null ? [q.prefix] : [])].join(' ');
}

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Our word definition (runs of letters and digits, lower-cased; see core/text.ts), given to every
 * peer instead of its own tokenizer, so all engines match the same words and return the same sets.
 * Without it, MiniSearch keeps `<BMY>` as one token and Orama keeps `1st-qtr` as one.
 */
export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}
