import type { PlaceInfo } from './entities/index.ts';
import type { StoredArticle } from '../core/types.ts';

type Resolve = (name: string, countries: readonly string[]) => PlaceInfo | null;
type RegionalReading = (name: string, leadingCountry: string | null, countries: readonly string[]) => string | null;

/**
 * Location hierarchy, flattened into the facet: an article that mentions a city or a region is also filed
 * under its country, so `location=Russia` finds a story that only says "Sochi" and `location=United States`
 * one filed from "SAN JOSE, Calif.". The same holds for the `about` subset. Each article
 * carries each value once, so facet counts never count an article twice for one place.
 */
export function addCountries<T extends StoredArticle>(article: T, resolve: Resolve): T {
  // The context for a city name that several countries share.
  const context = otherCountries(article.locations, resolve);
  const contextOf = new Map(article.locations.map((l, i) => [l, context(i)]));
  const resolveIn = (name: string) => resolve(name, contextOf.get(name) ?? context(-1));
  return { ...article, locations: withCountries(article.locations, resolveIn), about: withCountries(article.about, resolveIn) };
}

/**
 * The story's countries, named or implied by its places, seen from place `i`: the countries of all the other
 * places, in order (so the first is the dateline's when there is one). A country only place `i` itself would
 * imply is no evidence for itself.
 */
function otherCountries(locations: string[], resolve: Resolve): (i: number) => string[] {
  const usual = locations.map((l) => resolve(l, [])?.country ?? null);
  return (i) => usual.filter((c, j): c is string => c !== null && j !== i);
}

function withCountries(places: string[], resolve: (name: string) => PlaceInfo | null): string[] {
  const have = new Set(places.map((l) => l.toLowerCase()));
  const added: string[] = [];
  for (const loc of places) {
    const info = resolve(loc);
    if (info && info.kind !== 'country' && info.country && !have.has(info.country.toLowerCase())) {
      have.add(info.country.toLowerCase());
      added.push(info.country);
    }
  }
  return added.length ? [...places, ...added] : places;
}

/**
 * A country name that is also a region of the story's leading country is read as the region ("Georgia" in a
 * story filed from Atlanta is the US state): rewritten in both place lists as `regionalReading` writes it, so
 * `about=Georgia` keeps to the country and the state is filed under the United States. The leading country is
 * that of the first other place, which is the dateline's when there is one.
 */
export function readNamesakes<T extends StoredArticle>(article: T, resolve: Resolve, regionalReading: RegionalReading): T {
  const context = otherCountries(article.locations, resolve);
  const renamed = new Map<string, string>();
  article.locations.forEach((name, i) => {
    const others = context(i);
    const reading = regionalReading(name, others[0] ?? null, others);
    if (reading !== null) renamed.set(name, reading);
  });
  if (renamed.size === 0) return article;
  const rename = (list: string[]) => [...new Set(list.map((l) => renamed.get(l) ?? l))];
  return { ...article, locations: rename(article.locations), about: rename(article.about) };
}

/** The build's per-article place passes, in order: names read in context, then countries of cities and regions. */
export function placePasses<T extends StoredArticle>(article: T, resolve: Resolve, regionalReading: RegionalReading): T {
  return addCountries(readNamesakes(article, resolve, regionalReading), resolve);
}
