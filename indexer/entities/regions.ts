/**
 * First-level regions (US states, Canadian provinces, German Länder, ...) from the `country-region-data`
 * package, plus the postal codes and wire-style abbreviations of US states from `us-state-converter`
 * ("Calif.", "Penn.", "N.Y."). Used where a name is known to be a place: the qualifier of a dateline or of an
 * explicit "City, Region" name, and explicit names compromise reads as regions ("Florida", "Ontario").
 * Running text is never scanned for region names: the list holds everyday words ("Central", "Plateau", "Centre").
 */
import { allCountries } from 'country-region-data';
import usStates from 'us-state-converter';
import { placeKey } from './normalize.ts';

export interface Region {
  /** Region name as the package spells it ("California", "Ontario"). */
  name: string;
  /** ISO 3166-1 alpha-2 code of its country. */
  countryCode: string;
  /** US postal code ("CA"), which GeoNames uses as the admin code of US cities; null elsewhere. */
  usps: string | null;
}

export interface RegionIndex {
  /** placeKey(name) -> region; a name several countries use goes to the largest country (see below). */
  byName: Map<string, Region>;
  /** placeKey of US state postal codes and abbreviations ("ca", "calif", "ny", "penn") -> state. */
  usAbbreviations: Map<string, Region>;
}

/**
 * Wire-style (AP) abbreviations that us-state-converter does not list. Datelines such as "PITTSBURGH, Pa." and
 * "BALTIMORE, Md." use them; the postal codes ("PA", "MD") are in the package.
 */
const AP_ABBREVIATIONS: Record<string, string> = {
  Pa: 'PA', Md: 'MD', Va: 'VA', La: 'LA', Mo: 'MO', Me: 'ME', Wash: 'WA', Ga: 'GA', Ky: 'KY', Vt: 'VT', Nev: 'NV',
  'N.H.': 'NH', 'N.J.': 'NJ', 'N.M.': 'NM', 'N.Y.': 'NY', 'N.C.': 'NC', 'N.D.': 'ND', 'S.C.': 'SC', 'S.D.': 'SD',
  'R.I.': 'RI', 'W.Va.': 'WV', 'D.C.': 'DC',
};

/**
 * Tie-break for a region name used by several countries ("Montana" in the US and Bulgaria, "Córdoba" in
 * Argentina and Spain): the country listed first here wins, then the package's order. A dateline qualifier
 * or an explicit name in English news means the US state or the Canadian province far more often.
 */
const PREFERRED_COUNTRIES = ['US', 'CA', 'GB', 'AU', 'IN', 'DE', 'CN', 'BR', 'MX'];

let cached: RegionIndex | undefined;

export function getRegions(): RegionIndex {
  if (cached) return cached;
  const byName = new Map<string, Region>();
  const rank = (code: string) => {
    const i = PREFERRED_COUNTRIES.indexOf(code);
    return i < 0 ? PREFERRED_COUNTRIES.length : i;
  };
  for (const [, countryCode, regions] of allCountries) {
    for (const [name] of regions) {
      const key = placeKey(name);
      const prev = byName.get(key);
      if (prev && rank(prev.countryCode) <= rank(countryCode)) continue;
      byName.set(key, { name, countryCode, usps: null });
    }
  }
  const usAbbreviations = new Map<string, Region>();
  const byUsps = new Map<string, Region>();
  for (const s of usStates()) {
    const region: Region = { name: s.name, countryCode: 'US', usps: s.usps };
    byUsps.set(s.usps, region);
    byName.set(placeKey(s.name), region);
    for (const abbr of [s.usps, ...s.altAbbr]) usAbbreviations.set(placeKey(abbr), region);
  }
  for (const [abbr, usps] of Object.entries(AP_ABBREVIATIONS)) {
    const region = byUsps.get(usps);
    if (region) usAbbreviations.set(placeKey(abbr), region);
  }
  cached = { byName, usAbbreviations };
  return cached;
}

/**
 * The region a qualifier names: a region name anywhere, or a US state abbreviation. Abbreviations are only
 * taken with `abbreviations` (a dateline's or "City, ST" qualifier), since "Me", "La" and "Pa" are words.
 *
 * @example findRegion('Calif.', true) // { name: 'California', countryCode: 'US', usps: 'CA' }
 * @example findRegion('Ontario')      // { name: 'Ontario', countryCode: 'CA', usps: null }
 */
export function findRegion(name: string, abbreviations = false): Region | null {
  const key = placeKey(name);
  if (!key) return null;
  const regions = getRegions();
  return regions.byName.get(key) ?? (abbreviations ? regions.usAbbreviations.get(key) ?? null : null);
}
