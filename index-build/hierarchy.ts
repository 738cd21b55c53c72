import type { PlaceInfo } from '../lib/entities/index.ts';
import type { StoredArticle } from '../lib/types.ts';

/**
 * Location hierarchy, flattened into the facet: an article that mentions a city or a region is also filed
 * under its country, so `location=Russia` finds a story that only says "Sochi" and `location=United States`
 * one filed from "SAN JOSE, Calif.". The same holds for the `about` subset. Each article
 * carries each value once, so facet counts never count an article twice for one place.
 */
export function addCountries<T extends StoredArticle>(article: T, resolve: (name: string, countries: readonly string[]) => PlaceInfo | null): T {
  // The story's countries, named or implied by its other places: the context for a city name that several
  // countries share. A country only this one name would imply is no evidence for itself.
  const usual = article.locations.map((l) => resolve(l, [])?.country ?? null);
  const context = (i: number) => usual.filter((c, j): c is string => c !== null && j !== i);
  const contextOf = new Map(article.locations.map((l, i) => [l, context(i)]));
  const resolveIn = (name: string) => resolve(name, contextOf.get(name) ?? context(-1));
  return { ...article, locations: withCountries(article.locations, resolveIn), about: withCountries(article.about, resolveIn) };
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
