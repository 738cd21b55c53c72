/**
 * Datelines: the place a story was filed from ("SAN JOSE, Calif., Feb 26", "LONDON (Reuters) -"). News
 * archives carry it as a field or as the body's first words; it is the strongest single clue to what country a
 * story concerns, and often the only one (an earnings table from "NEW YORK" names no country at all).
 */
import { findCity } from './cities.ts';
import { getGazetteer, resolvePlace } from './gazetteer.ts';
import type { PlaceInfo } from './types.ts';

const MONTH = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?:\s+\d{1,2})?$/i;

/** Parts of a dateline that are no place: the date ("Feb 26", "March 3", "1987"), the agency ("(Reuters)"). */
function isPlacePart(part: string): boolean {
  return part !== '' && !/\d/.test(part) && !MONTH.test(part);
}

/**
 * The place named by a dateline, resolved like an explicit place name: "City, Region" within the region (US
 * state abbreviations included), a bare name as a country, a city of any size, "<name> City" (wire style writes
 * "NEW YORK" for New York City), then a region. `null` when it names nothing the gazetteers know.
 *
 * @example datelinePlace('READING, Penn., Feb 26') // { name: 'Reading, Pennsylvania', kind: 'city', country: 'United States' }
 * @example datelinePlace('NEW YORK, March 3')      // { name: 'New York City', kind: 'city', country: 'United States' }
 * @example datelinePlace('PEKING')                 // { name: 'Beijing', kind: 'city', country: 'China' }
 */
export function datelinePlace(dateline: string): PlaceInfo | null {
  const parts = dateline
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\s*[-–—]+\s*$/, '')
    .split(',')
    .map((p) => p.replace(/\s+/g, ' ').trim());
  const end = parts.findIndex((p) => !isPlacePart(p));
  const place = parts.slice(0, end < 0 ? parts.length : end);
  if (place.length === 0 || place[0]!.length > 40) return null;
  if (place.length >= 2) {
    const within = resolvePlace(`${place[0]}, ${place[1]}`, { abbreviations: true });
    if (within) return within;
  }
  const name = place[0]!;
  const direct = resolvePlace(name);
  if (direct?.kind === 'country' || direct?.kind === 'city') return direct;
  const gaz = getGazetteer();
  const city = findCity(gaz.cities, name) ?? findCity(gaz.cities, `${name} City`);
  if (city) return { name: city.name, kind: 'city', country: gaz.countries.byCode.get(city.countryCode) ?? null };
  return direct;
}

/**
 * A dateline at the start of a body, as wire copy writes it: capitalized place words, optional qualifiers and
 * date, an optional agency in brackets, then a dash. "WASHINGTON, March 3 - The Treasury ..." gives
 * "WASHINGTON, March 3"; a body that starts with an ordinary sentence gives `null`.
 */
export function leadingDateline(body: string): string | null {
  const m = /^\s*(\p{Lu}[\p{Lu}\p{Ll}.' ]{1,40}(?:,\s*[\p{L}.' ]{2,20}){0,2}(?:,\s*\p{L}{3,9}\.? \d{1,2})?)\s*(?:\([\p{L} ]{2,20}\)\s*)?[-–—]{1,2}\s/u.exec(body);
  if (!m) return null;
  const head = m[1]!.split(',')[0]!.trim();
  // The place words of a dateline are all capitals ("SAN JOSE") or capitalized ("Sochi"); a sentence is not.
  return /^(?:\p{Lu}[\p{Ll}.']*|\p{Lu}[\p{Lu}.']+)(?: (?:\p{Lu}[\p{Ll}.']*|\p{Lu}[\p{Lu}.']+|de|la|del|am|on|upon))*$/u.test(head) ? m[1]!.trim() : null;
}
