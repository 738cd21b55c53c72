/**
 * The combined place gazetteer (countries before cities) and the two public look-ups on explicit place names.
 * Built lazily on first use and then only read, so it is safe to share within a worker thread.
 */
import { buildCityIndex, CITY_MIN_POPULATION, findCity, findCityIn, type CityIndex } from './cities.ts';
import { buildCountryGazetteer, type CountryGazetteer } from './countries.ts';
import { collapseSpace, isAllCaps, placeKey } from './normalize.ts';
import { findRegion, type Region } from './regions.ts';
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
 * alias and every city regardless of population, then against first-level regions. Names that compromise knows
 * as a region ("Florida", "Ontario") resolve to the region, not to the towns of that name in Uruguay or
 * California. "City, Region" and "City, Country" ("Paris, Texas", "Reading, Pennsylvania", "Kanata, Ontario")
 * resolve within the qualifier. `null` when unknown.
 *
 * @example resolvePlace('Sochi')          // { name: 'Sochi', kind: 'city', country: 'Russia' }
 * @example resolvePlace('USA')            // { name: 'United States', kind: 'country', country: 'United States' }
 * @example resolvePlace('Florida')        // { name: 'Florida', kind: 'region', country: 'United States' }
 * @example resolvePlace('Paris, Texas')   // { name: 'Paris, Texas', kind: 'city', country: 'United States' }
 */
export function resolvePlace(name: string, options: { abbreviations?: boolean } = {}): PlaceInfo | null {
  const cleaned = cleanExplicit(name);
  if (!placeKey(cleaned)) return null;
  const gaz = getGazetteer();
  const hit = lookupPlace(gaz, cleaned, 0);
  if (hit && !hit.regionName) return { name: hit.name, kind: hit.kind, country: hit.country };
  const comma = cleaned.lastIndexOf(',');
  if (comma > 0) {
    const within = resolveWithin(gaz, cleaned.slice(0, comma), cleaned.slice(comma + 1), options.abbreviations ?? false);
    if (within) return within;
  }
  const region = findRegion(cleaned);
  return region ? regionInfo(gaz, region) : null;
}

/**
 * `resolvePlace`, read in the context of the countries a story names: a city name that several countries
 * share resolves to the one in those countries ("Scarborough" in a story about Toronto and Canada is the
 * Toronto district, not the capital of Tobago).
 *
 * @example resolvePlaceAmong('Scarborough', ['Canada']) // { name: 'Scarborough', kind: 'city', country: 'Canada' }
 */
export function resolvePlaceAmong(name: string, countries: readonly string[]): PlaceInfo | null {
  const info = resolvePlace(name);
  if (!info || info.kind !== 'city' || !info.country || countries.includes(info.country)) return info;
  const gaz = getGazetteer();
  const cleaned = cleanExplicit(name);
  const usual = findCity(gaz.cities, cleaned);
  for (const country of new Set(countries)) {
    const code = codeOf(gaz, country);
    const local = code ? findCityIn(cleaned, code) : undefined;
    // Only a namesake of similar size: Lisbon stays in Portugal beside a story's American towns, while
    // Scarborough (600,000 people in Toronto, 17,000 in Tobago) moves to Canada.
    if (local && (!usual || local.population >= usual.population / 10)) return { ...info, country };
  }
  return info;
}

/**
 * Sovereign countries whose name is also a first-level region of another country, with that country. The
 * region data lists more collisions, but the others are territories it files under their administering
 * country (Puerto Rico, Guam, Hong Kong, Réunion): the same place on either reading, so they keep their name.
 */
export const COUNTRY_NAMESAKE_REGIONS: Readonly<Record<string, string>> = { Georgia: 'United States', Niger: 'Nigeria' };

/**
 * The region reading of a country name, in a story whose leading country (its dateline's, or its first
 * place's) is the region's country and that names no other place in the country itself: "Georgia" in a
 * story filed from Atlanta is the US state and becomes "Georgia, United States"; beside Tbilisi, or in a
 * story filed from Moscow, it stays the country. `null` when the name keeps its usual reading.
 *
 * @example regionalReading('Georgia', 'United States', ['United States']) // 'Georgia, United States'
 * @example regionalReading('Georgia', 'United States', ['Georgia'])       // null (Tbilisi is in the story)
 */
export function regionalReading(name: string, leadingCountry: string | null, countries: readonly string[]): string | null {
  const info = resolvePlace(name);
  if (info?.kind !== 'country' || !info.country) return null;
  const other = COUNTRY_NAMESAKE_REGIONS[info.country];
  if (!other || leadingCountry !== other || countries.includes(info.country)) return null;
  return `${info.name}, ${other}`;
}

function regionInfo(gaz: Gazetteer, region: Region): PlaceInfo {
  return { name: region.name, kind: 'region', country: gaz.countries.byCode.get(region.countryCode) ?? null };
}

/**
 * "Head, Qualifier" where the qualifier is a country or a region (with `abbreviations`, also a US state
 * abbreviation as datelines write them: "Calif.", "N.Y."). The head is looked up among that country's
 * (and state's) cities; a head GeoNames does not know (a small town) is still filed in the qualifier's country.
 */
function resolveWithin(gaz: Gazetteer, head: string, qualifier: string, abbreviations: boolean): PlaceInfo | null {
  const headName = collapseSpace(head);
  if (!placeKey(headName)) return null;
  const countryName = gaz.countries.byKey.get(placeKey(qualifier));
  const region = findRegion(qualifier, abbreviations);
  const asCountry = countryName ? withinCountry(gaz, headName, countryName) : null;
  const asRegion = region && region.countryCode !== (countryName && codeOf(gaz, countryName)) ? withinRegion(gaz, headName, region) : null;
  if (!asCountry || !asRegion) return (asCountry ?? asRegion)?.info ?? null;
  // A qualifier that names a country and another country's region ("Atlanta, Georgia", "Gori, Georgia"):
  // the reading where GeoNames knows the head, the larger one if both do; an unknown town is the region's,
  // since English news qualifies well-known cities by the country and small towns by the state.
  const a = asCountry.population;
  const b = asRegion.population;
  return (a !== null && (b === null || a > b) ? asCountry : asRegion).info;
}

interface Within {
  info: PlaceInfo;
  /** Population of the head as GeoNames knows it there, null for an unknown town. */
  population: number | null;
}

function withinCountry(gaz: Gazetteer, head: string, country: string): Within | null {
  const code = codeOf(gaz, country);
  if (!code) return null;
  // "Georgia, United States": a region of the qualifying country (how `regionalReading` writes the state).
  const headRegion = findRegion(head);
  if (headRegion?.countryCode === code) return { info: { name: `${headRegion.name}, ${country}`, kind: 'region', country }, population: Infinity };
  const city = findCityIn(head, code);
  return { info: { name: `${city?.name ?? townName(head)}, ${country}`, kind: 'city', country }, population: city?.population ?? null };
}

function withinRegion(gaz: Gazetteer, head: string, region: Region): Within {
  const country = gaz.countries.byCode.get(region.countryCode) ?? null;
  const city = findCityIn(head, region.countryCode, region.usps) ?? findCityIn(head, region.countryCode);
  return { info: { name: `${city?.name ?? townName(head)}, ${region.name}`, kind: 'city', country }, population: city?.population ?? null };
}

function townName(head: string): string {
  return isAllCaps(head) ? titleCase(head) : head;
}

let codes: Map<string, string> | undefined;
function codeOf(gaz: Gazetteer, countryName: string): string | undefined {
  codes ??= new Map([...gaz.countries.byCode].map(([code, name]) => [name, code]));
  return codes.get(countryName);
}

/** "SAN JOSE" -> "San Jose", for towns that only an all-caps dateline names. */
function titleCase(words: string): string {
  return words.toLowerCase().replace(/(^|[\s\-'])(\p{L})/gu, (_, sep: string, c: string) => sep + c.toUpperCase());
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
