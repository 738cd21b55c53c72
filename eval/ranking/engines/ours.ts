import { parseSearchParams, rawQueryFromString } from '../../../core/http/params.ts';
import { search } from '../../../core/search/search.ts';
import type { SearchIndex } from '../../../core/search/search-index.ts';
import { TOP_K, type RankEngine } from './types.ts';

/**
 * The query string our API gets: the words plus a trailing space, so the last word is exact; as
 * typed (`typed`), without it, so the last word is also a prefix.
 */
export function ourQueryString(words: readonly string[], limit = TOP_K, typed = false): string {
  return new URLSearchParams({ q: words.join(' ') + (typed ? '' : ' '), limit: String(limit) }).toString();
}

/** Ids of our top `limit` hits, through the same `search` the API runs (facets and snippets included). */
export async function ourTop(index: SearchIndex, words: readonly string[], limit = TOP_K, typed = false): Promise<string[]> {
  const res = await search(index, parseSearchParams(rawQueryFromString(ourQueryString(words, limit, typed))));
  return res.hits.map((h) => h.id);
}

export function oursEngine(index: SearchIndex): RankEngine {
  return {
    name: 'news-search',
    role: 'ours',
    notes: `our bundle and \`search()\`: q = words + trailing space (all exact, AND), limit ${TOP_K}; \`typed\` set: q = words as typed (last word also a prefix)`,
    search: (words, typed) => ourTop(index, words, TOP_K, typed),
  };
}
