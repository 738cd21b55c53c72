/**
 * Country gazetteer built from the `world-countries` package: every common name, official name and usable
 * alternative spelling maps to the country's `name.common`; demonyms are collected so they can be rejected.
 */
import worldCountries, { type Countries } from 'world-countries';
import { FORMER_NAMES, HISTORICAL_STATES } from './historical.ts';
import { isLexiconNonPlace, isLexiconPlace } from './lexicon.ts';
import { placeKey } from './normalize.ts';

export interface CountryGazetteer {
  /** placeKey(alias) -> canonical country name. */
  byKey: Map<string, string>;
  /** ISO 3166-1 alpha-2 code -> canonical country name. */
  byCode: Map<string, string>;
  /** placeKey of every English demonym, singular and plural ("russian", "russians"). */
  demonyms: Set<string>;
  /** placeKey of a present-day country's singular English demonym -> canonical country name ("chilean" -> "Chile"). */
  countryOfDemonym: Map<string, string>;
}

// The package is CommonJS (`module.exports = [...]`) but its typings declare an ES default export; under
// NodeNext TypeScript sees the module object, while Node and Vite both hand the array to a default import.
const countries = worldCountries as unknown as Countries;

/**
 * Two-letter abbreviations that news text uses for countries. Other two-letter codes ("IN", "IT", "AI", "TV",
 * "PR") are everyday words or acronyms, so world-countries' cca2 codes are not used as aliases.
 */
const NEWS_ABBREVIATIONS: Record<string, string> = { US: 'US', UK: 'GB' };

/** Short forms common in English news that world-countries does not list (or that the rules below drop). */
const EXTRA_ALIASES: Record<string, string> = { Britain: 'GB', Vatican: 'VA' };

/**
 * Is a world-countries `altSpellings` entry safe to match in running English text?
 * Multi-word names ("United States of America"), all-caps abbreviations of 3+ letters ("USA", "DPRK") and
 * accent-free forms of known names ("Turkiye") are. A single ordinary-looking word is kept only when compromise's
 * lexicon knows it as a place ("Burma", "Swaziland"); that drops endonyms and traps such as "Island" (Iceland),
 * "Mann" (Isle of Man) and "Thai" (a demonym).
 */
function usableAltSpelling(alt: string, knownKeys: Set<string>): boolean {
  if (/^\p{Lu}{2}$/u.test(alt)) return false;
  if (/^\p{Lu}{3,}$/u.test(alt)) return true;
  if (/\s/.test(alt)) return true;
  if (knownKeys.has(placeKey(alt))) return true;
  return isLexiconPlace(alt) && !isLexiconNonPlace(alt);
}

/** "Republic of Turkey" -> "Turkey": the short form hidden in a formal name. */
function shortFormOf(formal: string): string | null {
  const m = formal.match(/^(?:Republic|Kingdom|State|Commonwealth|Federation|Principality) of (?:the )?(.+)$/);
  return m?.[1] && !m[1].includes(',') ? m[1] : null;
}

export function buildCountryGazetteer(): CountryGazetteer {
  const byKey = new Map<string, string>();
  const byCode = new Map<string, string>();
  const demonyms = new Set<string>();
  const countryOfDemonym = new Map<string, string>();
  const add = (alias: string, name: string): void => {
    const key = placeKey(alias);
    if (key && !byKey.has(key)) byKey.set(key, name);
  };

  // Priority order: common names, then official names, then alternative spellings, then derived short forms,
  // so that an alias shared by two countries goes to the one whose *common* name it is.
  for (const c of countries) {
    byCode.set(c.cca2, c.name.common);
    add(c.name.common, c.name.common);
  }
  for (const c of countries) add(c.name.official, c.name.common);
  const known = new Set(byKey.keys());
  for (const c of countries) {
    for (const alt of c.altSpellings) if (usableAltSpelling(alt, known)) add(alt, c.name.common);
  }
  for (const [alias, code] of Object.entries({ ...NEWS_ABBREVIATIONS, ...EXTRA_ALIASES })) {
    const name = byCode.get(code);
    if (name) add(alias, name);
  }
  // A short form names one country only if no other country's common name contains it: "Turkey" yes, but not
  // "Korea" (North and South Korea) or "Congo" (DR Congo, Republic of the Congo).
  const shortForms = new Map<string, string | null>();
  for (const c of countries) {
    for (const formal of [c.name.official, ...c.altSpellings]) {
      const short = shortFormOf(formal);
      if (!short) continue;
      const shared = countries.some((o) => o.cca2 !== c.cca2 && ` ${placeKey(o.name.common)} `.includes(` ${placeKey(short)} `));
      const prev = shortForms.get(short);
      shortForms.set(short, !shared && (prev === undefined || prev === c.name.common) ? c.name.common : null);
    }
  }
  for (const [short, name] of shortForms) if (name) add(short, name);
  // Former states and former names, for archives of older news (historical.ts).
  for (const [name, formers] of Object.entries(FORMER_NAMES)) for (const former of formers) add(former, name);
  for (const state of HISTORICAL_STATES) {
    for (const alias of [state.name, ...state.aliases]) add(alias, state.name);
    for (const demonym of state.demonyms) demonyms.add(placeKey(demonym));
  }

  for (const c of countries) {
    const english = c.demonyms?.['eng'];
    if (english) {
      for (const form of [english.m, english.f]) {
        if (!form) continue;
        demonyms.add(placeKey(form));
        demonyms.add(placeKey(`${form}s`));
        if (!countryOfDemonym.has(placeKey(form))) countryOfDemonym.set(placeKey(form), c.name.common);
      }
    }
  }
  return { byKey, byCode, demonyms, countryOfDemonym };
}
