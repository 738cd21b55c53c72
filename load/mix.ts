import { tokenize } from '../core/text.ts';
import { prng } from '../tools/random.ts';
import type { SearchResponse } from '../core/types.ts';

/** One kind of request in the load mix, with its share of the traffic. */
export interface MixEntry {
  kind: 'plain' | 'filtered' | 'paged' | 'suggest' | 'article';
  path: string;
}

export const SHARES: Record<MixEntry['kind'], number> = { plain: 35, filtered: 30, paged: 20, suggest: 10, article: 5 };


/**
 * A realistic mix for whatever index is loaded: words come from the titles of the newest articles,
 * filters from the facets, so queries find things on Reuters and on the 37 sample articles alike.
 */
export async function buildMix(baseUrl: string, size: number, seed: number): Promise<MixEntry[]> {
  const res = await fetch(`${baseUrl}/search?limit=100&facetLimit=50`);
  if (!res.ok) throw new Error(`cannot sample the index: /search answered ${res.status}`);
  const sample = (await res.json()) as SearchResponse;
  const words = [...new Set(sample.hits.flatMap((h) => tokenize(h.title)).filter((w) => w.length >= 4 && !/^\d+$/.test(w)))];
  const people = sample.facets.person.map((f) => f.value);
  const places = sample.facets.location.map((f) => f.value);
  const months = sample.facets.date.map((f) => f.value);
  const ids = sample.hits.map((h) => h.id);
  if (words.length === 0 || ids.length === 0) throw new Error('the index is too small for a load mix');

  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const enc = encodeURIComponent;
  const filter = () => (people.length && rnd() < 0.5 ? `person=${enc(pick(people))}` : places.length ? `location=${enc(pick(places))}` : `q=${enc(pick(words))}`);
  const range = () => {
    const m = months.length ? pick(months) : '2000-01';
    return `from=${m}-01&to=${m}-28`;
  };
  const make: Record<MixEntry['kind'], () => string> = {
    plain: () => {
      const r = rnd();
      if (r < 0.4) return `/search?q=${enc(pick(words))}`;
      if (r < 0.7) return `/search?q=${enc(`${pick(words)} ${pick(words)}`)}`;
      return `/search?q=${enc(pick(words).slice(0, 3))}`; // a prefix, as typed
    },
    filtered: () => {
      const r = rnd();
      if (r < 0.35) return `/search?${filter()}`;
      if (r < 0.7) return `/search?q=${enc(pick(words))}&${filter()}`;
      return `/search?${range()}&sort=date${rnd() < 0.5 ? `&${filter()}` : ''}`;
    },
    paged: () => {
      const page = 2 + Math.floor(rnd() * 9);
      return rnd() < 0.5 ? `/search?q=${enc(pick(words).slice(0, 2))}&page=${page}&limit=20` : `/search?sort=date&page=${page}&limit=50`;
    },
    suggest: () => `/suggest?q=${enc(pick(words).slice(0, 1 + Math.floor(rnd() * 4)))}`,
    article: () => `/articles/${enc(pick(ids))}`,
  };
  const kinds = Object.entries(SHARES).flatMap(([k, n]) => Array<MixEntry['kind']>(n).fill(k as MixEntry['kind']));
  return Array.from({ length: size }, () => {
    const kind = pick(kinds);
    return { kind, path: make[kind]() };
  });
}
