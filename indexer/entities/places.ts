/**
 * Locations in running text: the raw text is scanned for capitalized word sequences that the gazetteer knows
 * (longest match first) and each hit goes through `accepted` (place-rules.ts). Hyphenated compounds are scanned
 * part by part, so "Israel-Palestine dispute" yields Israel and Palestine; demonyms ("Russian",
 * "Palestinian-Israeli") and descriptions ("the Western Asian country") are not gazetteer entries and never match.
 */
import { CITY_MIN_POPULATION, lookupPlace, type Gazetteer } from './gazetteer.ts';
import { personKey, placeKey, stripPossessive } from './normalize.ts';
import { accepted, continuesList, type ScanContext } from './place-rules.ts';
import type { TagIndex } from './tags.ts';
import type { Token } from './tokens.ts';

export interface PlaceMention {
  name: string;
  /** Character offset of the first mention. */
  start: number;
  /** How many times the place is mentioned (under any of its names). */
  count: number;
  /**
   * Character offset of the list the first mention belongs to ("stages in Scarborough, North York and Etobicoke":
   * Scarborough's for all three), `start` when it stands alone. A list that begins in the lede is in the lede.
   */
  listStart: number;
}

/**
 * Words that make a following place name part of a different, larger one: "New Jersey" is not Jersey,
 * "North Carolina" not Carolina, "Northern Ireland" not Ireland.
 */
const QUALIFIERS = new Set(['New', 'North', 'South', 'East', 'West', 'Northern', 'Southern', 'Eastern', 'Western',
  'Upper', 'Lower', 'Central', 'Greater']);

/** Tokens i.. that could form one name: joined by spaces/hyphen/comma, inner words capitalized or connectors. */
function candidateRun(tokens: Token[], i: number, maxWords: number): number {
  let len = 1;
  while (len < maxWords) {
    const prev = tokens[i + len - 1]!;
    const next = tokens[i + len];
    if (!next || !prev.joinsNext || !(next.nameLike || next.connector)) break;
    len++;
  }
  return len;
}

function qualified(tokens: Token[], i: number, text: string): boolean {
  const prev = tokens[i - 1];
  return prev !== undefined && QUALIFIERS.has(prev.text) && /^\s+$/.test(text.slice(prev.end, tokens[i]!.start));
}

/**
 * Distinct canonical places in `text`, in order of first mention. `tokens` is `tokenize(text)`, passed in
 * because the extractor has already made it. `people` are the article's person names; their words are not read as places.
 */
export function findPlaces(text: string, tokens: Token[], gaz: Gazetteer, tags: TagIndex, people: string[]): PlaceMention[] {
  const personWords = new Set(people.flatMap((p) => p.split(/[\s-]+/)).map(personKey));
  const ctx: ScanContext = { text, tokens, tags, personWords };
  const found = new Map<string, { start: number; count: number; listStart: number; country: string | null; qualified: string | null }>();
  let listStart = -1;
  let i = 0;
  while (i < tokens.length) {
    if (!tokens[i]!.nameLike || qualified(tokens, i, text)) {
      i++;
      continue;
    }
    let consumed = 1;
    for (let len = candidateRun(tokens, i, gaz.maxWords); len >= 1; len--) {
      if (!tokens[i + len - 1]!.nameLike) continue;
      const name = tokens.slice(i, i + len).map((t) => stripPossessive(t.text)).join(' ');
      const hit = lookupPlace(gaz, name, CITY_MIN_POPULATION);
      if (!hit || !accepted(hit, i, len, ctx)) continue;
      const start = tokens[i]!.start;
      listStart = listStart >= 0 && continuesList(i, ctx) ? listStart : start;
      ctx.lastPlaceEnd = i + len;
      const seen = found.get(hit.name);
      const within = hit.kind === 'city' ? qualifierCountry(text, start, gaz) : null;
      if (seen) {
        seen.count++;
        seen.qualified ??= within;
      } else found.set(hit.name, { start, count: 1, listStart, country: hit.country, qualified: within });
      consumed = len;
      break;
    }
    i += consumed;
  }
  return [...found].map(([name, m]) => ({
    // Every mention of the name in this story is the namesake its text places elsewhere (see `qualifierCountry`).
    name: m.qualified && m.qualified !== m.country ? `${name}, ${m.qualified}` : name,
    start: m.start,
    count: m.count,
    listStart: m.listStart,
  }));
}

/** Words for the kind of place in "the Chilean port of San Antonio", "the Lisbon district of Belém". */
const KIND_OF_PLACE = new Set(['port', 'city', 'town', 'village', 'district', 'suburb', 'neighbourhood', 'neighborhood',
  'borough', 'quarter', 'parish', 'municipality', 'capital', 'province', 'region', 'county', 'island', 'resort', 'harbour']);

/**
 * "the Chilean port of San Antonio", "the western Lisbon district of Belém", "Kenya's coastal city of Mombasa": the
 * country the words before a city name place it in (a demonym, a country, or a city and so its country), or null.
 * A name several countries share is then the namesake in that country, for all its mentions in the story: the
 * place is written "San Antonio, Chile" and "Belém, Portugal", as `resolvePlace` reads and files them.
 */
function qualifierCountry(text: string, start: number, gaz: Gazetteer): string | null {
  const m = QUALIFIER.exec(text.slice(Math.max(0, start - 80), start));
  if (!m || !KIND_OF_PLACE.has(m[2]!.toLowerCase())) return null;
  const words = m[1]!;
  const demonym = gaz.countries.countryOfDemonym.get(placeKey(words));
  if (demonym) return demonym;
  const place = lookupPlace(gaz, words, CITY_MIN_POPULATION);
  return place?.country ?? null;
}

// Capitalized words, an optional possessive, up to two lower-case words, a kind of place, "of", at the end.
const QUALIFIER = /(?<![\p{L}\p{N}])(\p{Lu}[\p{L}\p{M}.-]*(?: \p{Lu}[\p{L}\p{M}.-]*)?)(?:['’]s?)? (?:\p{Ll}[\p{Ll}-]* ){0,2}?(\p{Ll}+) of $/u;
