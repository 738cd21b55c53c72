/**
 * Locations in running text: the raw text is scanned for capitalized word sequences that the gazetteer knows
 * (longest match first) and each hit goes through `accepted` (place-rules.ts). Hyphenated compounds are scanned
 * part by part, so "Israel-Palestine dispute" yields Israel and Palestine; demonyms ("Russian",
 * "Palestinian-Israeli") and descriptions ("the Western Asian country") are not gazetteer entries and never match.
 */
import { CITY_MIN_POPULATION, lookupPlace, type Gazetteer } from './gazetteer.ts';
import { personKey, stripPossessive } from './normalize.ts';
import { accepted, type ScanContext } from './place-rules.ts';
import type { TagIndex } from './tags.ts';
import type { Token } from './tokens.ts';

export interface PlaceMention {
  name: string;
  /** Character offset of the first mention. */
  start: number;
  /** How many times the place is mentioned (under any of its names). */
  count: number;
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
  const found = new Map<string, { start: number; count: number }>();
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
      const seen = found.get(hit.name);
      if (seen) seen.count++;
      else found.set(hit.name, { start: tokens[i]!.start, count: 1 });
      consumed = len;
      break;
    }
    i += consumed;
  }
  return [...found].map(([name, m]) => ({ name, ...m }));
}
