import { lowerBoundString } from '../bounds.ts';
import { facetKey, foldWord, wordSpans } from '../text.ts';
import type { FacetData } from './facet-data.ts';
import type { SearchIndex } from './search-index.ts';

export interface Suggestion {
  value: string;
  kind: 'term' | 'person' | 'location';
  /** Articles containing the term, or filed under the person or location. */
  count: number;
}

export interface SuggestResponse {
  suggestions: Suggestion[];
  tookMs: number;
}

/** Sorted name keys of a facet, whole and per word, so "pu" finds "Vladimir Putin". */
interface NameIndex {
  keys: string[];
  values: number[];
}

const nameIndexes = new WeakMap<FacetData, NameIndex>();

function nameIndex(facet: FacetData): NameIndex {
  let ix = nameIndexes.get(facet);
  if (ix) return ix;
  const pairs: Array<[string, number]> = [];
  facet.values.forEach((v, i) => {
    const key = nameKey(v);
    pairs.push([key, i]);
    const words = key.split(/[\s-]+/);
    for (let w = 1; w < words.length; w++) pairs.push([words.slice(w).join(' '), i]);
  });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  ix = { keys: pairs.map((p) => p[0]), values: pairs.map((p) => p[1]) };
  nameIndexes.set(facet, ix);
  return ix;
}


/** A name or typed text for prefix matching: case, accents and spacing ignored ("José Álvarez" → "jose alvarez"). */
function nameKey(text: string): string {
  return facetKey(text).split(' ').map(foldWord).join(' ');
}

/** Most frequent names of `facet` with a word starting with `prefix`. */
function names(facet: FacetData, prefix: string, kind: Suggestion['kind'], limit: number): Suggestion[] {
  const ix = nameIndex(facet);
  const seen = new Set<number>();
  const out: Suggestion[] = [];
  for (let i = lowerBoundString(ix.keys, prefix); i < ix.keys.length && (ix.keys[i] as string).startsWith(prefix); i++) {
    const v = ix.values[i] as number;
    if (seen.has(v)) continue;
    seen.add(v);
    const count = (facet.postings[v] as Uint32Array).length;
    // A name whose every article was deleted is no suggestion (as in a fresh build, where it does not exist).
    if (count > 0) out.push({ value: facet.values[v] as string, kind, count });
  }
  return out.sort((a, b) => b.count - a.count).slice(0, limit);
}

/**
 * Completions for a search box, called on every keystroke: vocabulary terms completing the last
 * word (after the words before it, as typed), and people and places with a word starting with it.
 * Terms are shown as the archive writes them ("музей", "hôpital" for a typed "hopi"), while matching
 * ignores case and accents. Counts are over the whole archive.
 */
export function suggest(index: SearchIndex, q: string, limit: number, now = () => performance.now()): SuggestResponse {
  const t0 = now();
  const spans = wordSpans(q);
  const lastSpan = spans[spans.length - 1];
  if (!lastSpan) return { suggestions: [], tookMs: 0 };
  const last = lastSpan.term;
  // What precedes the last word, as typed ("putin " in "putin pip"; nothing between the words of an
  // unspaced script: "习" in "习近").
  const head = q.slice(0, lastSpan.start).replace(/\s+/g, ' ').trimStart();
  const [start, end] = index.termRange(last);
  const termHits: Suggestion[] = [];
  for (let i = start; i < end; i++) {
    // A term in a single article is more likely a typo in the source than a useful completion.
    if ((index.df[i] as number) < 2 && end - start > 1) continue;
    termHits.push({ value: head + index.spelling(i), kind: 'term', count: index.df[i] as number });
  }
  termHits.sort((a, b) => b.count - a.count);
  const whole = nameKey(q);
  const people = names(index.people, whole.includes(' ') ? whole : last, 'person', limit);
  const places = names(index.locations, whole.includes(' ') ? whole : last, 'location', limit);
  // Interleave so each kind gets a fair share of a short list: names first, they are rarer.
  const out: Suggestion[] = [];
  const lists = [people, places, termHits.slice(0, limit)];
  for (let i = 0; out.length < limit && lists.some((l) => i < l.length); i++) {
    for (const l of lists) if (i < l.length && out.length < limit) out.push(l[i] as Suggestion);
  }
  return { suggestions: out, tookMs: Math.round((now() - t0) * 1000) / 1000 };
}
