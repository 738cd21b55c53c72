/**
 * The combined place gazetteer (countries before cities) and the two public look-ups on explicit place names.
 * Built lazily on first use and then only read, so it is safe to share within a worker thread.
 */
import { buildCityIndex, CITY_MIN_POPULATION, findCity, type CityIndex } from './cities.ts';
import { buildCountryGazetteer, type CountryGazetteer } from './countries.ts';
import { collapseSpace, placeKey } from './normalize.ts';
import type { PlaceInfo } from './types.ts';

export interface Gazetteer {
  countries: CountryGazetteer;
  cities: CityIndex;
  /** Longest alias in words, bounding the scanner's look-ahead. */
  maxWords: number;
  /** placeKey of the first word of every city name big enough to be found in running text (focus.ts). */
  cityFirstWords: Set<string>;
}

/** A place as matched in running text. */
export interface PlaceMatch extends PlaceInfo {
  /** Set for cities whose name is also an ordinary word or given name (see `CityEntry.commonWord`). */
  commonWord: boolean;
  /** Set for city names that usually mean a region (see `CityEntry.regionName`). */
  regionName: boolean;
}

let cached: Gazetteer | undefined;

/** The process-wide (per worker) gazetteer; the first call builds it (~0.5 s). */
export function getGazetteer(): Gazetteer {
  if (!cached) {
    const countries = buildCountryGazetteer();
    const cities = buildCityIndex(countries.demonyms);
    let maxWords = 1;
    for (const key of countries.byKey.keys()) maxWords = Math.max(maxWords, key.split(' ').length);
    const cityFirstWords = new Set<string>();
    for (const [key, city] of cities.byKey) {
      if (city.maxPopulation < CITY_MIN_POPULATION) continue;
      const words = key.split(' ');
      maxWords = Math.max(maxWords, words.length);
      cityFirstWords.add(words[0]!);
    }
    cached = { countries, cities, maxWords: Math.min(maxWords, 8), cityFirstWords };
  }
  return cached;
}

/**
 * Looks up a name, countries first; `minPopulation` filters cities (countries always match). Results are
 * memoized: the same few thousand capitalized words recur across a whole archive, and the key folding
 * (Unicode decomposition, several regexes) was a tenth of the extractor's own time. The memo is cleared when it
 * grows large, so a long build cannot grow it without bound.
 */
export function lookupPlace(gaz: Gazetteer, name: string, minPopulation: number): PlaceMatch | null {
  const memoKey = `${minPopulation}|${name}`;
  const known = memo.get(memoKey);
  if (known !== undefined) return known;
  if (memo.size >= MEMO_LIMIT) memo.clear();
  const hit = lookupUncached(gaz, name, minPopulation);
  memo.set(memoKey, hit);
  return hit;
}

const MEMO_LIMIT = 200_000;
const memo = new Map<string, PlaceMatch | null>();

function lookupUncached(gaz: Gazetteer, name: string, minPopulation: number): PlaceMatch | null {
  const country = gaz.countries.byKey.get(placeKey(name));
  if (country) return { name: country, kind: 'country', country, commonWord: false, regionName: false };
  const city = findCity(gaz.cities, name);
  if (!city || city.maxPopulation < minPopulation) return null;
  const inCountry = gaz.countries.byCode.get(city.countryCode) ?? null;
  return { name: city.name, kind: 'city', country: inCountry, commonWord: city.commonWord, regionName: city.regionName };
}

/** Trims an explicit place name: whitespace, surrounding quotes and punctuation, a possessive. */
function cleanExplicit(name: string): string {
  return collapseSpace(name)
    .split(' ')
    .map((w, i, all) => (i === all.length - 1 ? w.replace(/['’]s$/, '') : w))
    .join(' ')
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}.]+$/gu, '');
}

/**
 * What the gazetteer knows about an explicit place name, matched case-insensitively against every country
 * alias and every city regardless of population. `null` when unknown, and for names that compromise knows as a
 * region ("Florida", "Ontario"): the gazetteer holds towns of those names, but resolving the US state to a town
 * in Uruguay would mislead a location hierarchy.
 *
 * @example resolvePlace('Sochi') // { name: 'Sochi', kind: 'city', country: 'Russia' }
 * @example resolvePlace('USA')   // { name: 'United States', kind: 'country', country: 'United States' }
 */
export function resolvePlace(name: string): PlaceInfo | null {
  const cleaned = cleanExplicit(name);
  if (!placeKey(cleaned)) return null;
  const hit = lookupPlace(getGazetteer(), cleaned, 0);
  return hit && !hit.regionName ? { name: hit.name, kind: hit.kind, country: hit.country } : null;
}

/**
 * Canonical place name for an explicit input place, or the trimmed input if unknown.
 *
 * @example canonicalPlace('U.S.')   // 'United States'
 * @example canonicalPlace('moscow') // 'Moscow'
 * @example canonicalPlace('Narnia') // 'Narnia'
 */
export function canonicalPlace(name: string): string {
  const cleaned = cleanExplicit(name);
  return (placeKey(cleaned) && lookupPlace(getGazetteer(), cleaned, 0)?.name) || collapseSpace(name);
}

export { CITY_MIN_POPULATION };
