/**
 * When a gazetteer hit in running text counts as a location. The gazetteer says a word *can* name a place; these
 * rules use the surrounding words, compromise's tags and the article's people to decide whether it *does*.
 */
import type { PlaceMatch } from './gazetteer.ts';
import { isCalendarWord, isOrgWord, isPlaceNoun } from './lexicon.ts';
import { personKey, stripPossessive } from './normalize.ts';
import type { TagIndex } from './tags.ts';
import { isTitleWord } from './titles.ts';
import type { Token } from './tokens.ts';

/** Everything the rules look at besides the hit itself. */
export interface ScanContext {
  text: string;
  tokens: Token[];
  tags: TagIndex;
  /** personKey of every word of every person found in the article. */
  personWords: Set<string>;
  /** Index of the token after the last place accepted so far (-1 before the first), for lists of places. */
  lastPlaceEnd?: number;
}

/** Words after which a capitalized word is very likely a place: "in Sochi", "visited Bethlehem". */
const LOCATIVES = new Set(['in', 'at', 'from', 'to', 'near', 'into', 'outside', 'inside', 'around', 'across',
  'via', 'toward', 'towards', 'through', 'throughout', 'between', 'visit', 'visits', 'visited', 'visiting']);

const wordKey = (t: Token): string => personKey(stripPossessive(t.text).replace(/\.$/, ''));
const gap = (text: string, a: Token, b: Token): string => text.slice(a.end, b.start);

/** Rules for every hit, country or city. */
function plausible(words: Token[], ctx: ScanContext): boolean {
  const first = words[0]!;
  const last = words[words.length - 1]!;
  if (ctx.tags.isDate(first.start, last.end) || ctx.text[last.end] === '$') return false;
  // "Valeska Paris ... Paris said": a word of a person's name in this article is that person.
  return !(words.length === 1 && ctx.personWords.has(wordKey(first)));
}

/** Currency words: "US dollars" and "U.S. dlrs" name a currency, like "US$", not the country. */
const CURRENCY = /^(?:dollars?|dlrs?|cents?)$/i;

/** Separators inside a list of places: "Mombasa and Kisumu", "Machakos, Kitui and Makueni", "Poznań or Łódź". */
const LIST_GAP = /^(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$/;

/** Does token `i` follow the last accepted place as the next item of a list ("Poznań and Łódź", "Machakos, Kitui")? */
export function continuesList(i: number, ctx: ScanContext): boolean {
  const { tokens, text } = ctx;
  const last = ctx.lastPlaceEnd ?? -1;
  if (last <= 0 || last > i) return false;
  const between = tokens.slice(last, i);
  if (between.length > 1 || (between.length === 1 && !/^(?:and|or)$/.test(between[0]!.text))) return false;
  return LIST_GAP.test(text.slice(tokens[last - 1]!.end, tokens[i]!.start));
}

const COMPASS = /^(?:North|South|East|West|Central|Northern|Southern|Eastern|Western)$/;

/**
 * "Washington Post", "Paris Saint-Germain", "Toronto Star": a single-word city directly followed by another
 * capitalized word is the head of a longer name. Not when that word is a title or date ("Moscow Mayor ...",
 * "Tokyo Tuesday"), a place noun ("Volgograd Arena": the arena is in Volgograd) or a compass word ("Kowloon East").
 */
function headOfLongerName(word: Token, next: Token, ctx: ScanContext): boolean {
  if (word.closes || !next.nameLike || !/^ $/.test(gap(ctx.text, word, next))) return false;
  const w = stripPossessive(next.text);
  return !isTitleWord(w) && !isCalendarWord(w) && !ctx.tags.isDate(next.start, next.end) && !isPlaceNoun(w) &&
    !COMPASS.test(w);
}

/**
 * Single-word city with corroboration from context: "in Sochi", "University of Sheffield" (an organization or
 * place noun, then "of"), "Kanata, Ontario".
 */
function corroborated(i: number, ctx: ScanContext): boolean {
  const { tokens, text, tags } = ctx;
  const word = tokens[i]!;
  const prev = tokens[i - 1];
  const next = tokens[i + 1];
  if (prev && LOCATIVES.has(prev.text.toLowerCase()) && /^\s+$/.test(gap(text, prev, word))) return true;
  // The next item of a list that began with an accepted place: "to Mombasa and Kisumu", "near Poznań and Łódź".
  if (continuesList(i, ctx)) return true;
  const head = tokens[i - 2];
  if (prev?.text === 'of' && head?.nameLike && (isOrgWord(head.text) || isPlaceNoun(head.text))) return true;
  return next !== undefined && /^\s*,\s*$/.test(gap(text, word, next)) && next.nameLike && tags.inPlace(next.start, next.end);
}

/**
 * The acceptance rule:
 * - never a word compromise tags as a date, nor a currency ("US$", "US dollars", "U.S. dlrs"), nor a word of
 *   the name of a person found in the same article ("Michael Jordan", "Valeska Paris");
 * - a country needs nothing more (world-countries names are unambiguous enough in capitalized form);
 * - a city is not a month or weekday ("March" is also a town of 21,000 in England, and compromise sometimes
 *   tags it a place), not an all-caps word of up to three letters ("UN" is not Un, India), not a name of one or two
 *   letters ("Ho" in "Cyd Ho"), not the tail of a longer proper name ("European Union": the word before must not
 *   be a capitalized proper noun), not the head of one ("Washington Post", "University of ..."), and not the
 *   first half of a hyphenated word ("Wai-ching");
 * - then a city counts where compromise tags it as a place (its lexicon knows Moscow, Lisbon, Sheffield ...).
 *   Otherwise an ordinary word or given name ("Nice", "Reading", "Victoria") never counts, a multi-word name does,
 *   and a single word needs context: a locative before it ("in Sochi", "to Bethlehem"), ", <place>" after it, or a
 *   place just before it in the same list ("to Mombasa and Kisumu").
 *   That keeps company and institution names ("Federal Reserve", "Delta", "Burlington Northern") out.
 * The population threshold (`CITY_MIN_POPULATION`) and the capitalized-mention requirement apply before this.
 */
export function accepted(hit: PlaceMatch, i: number, len: number, ctx: ScanContext): boolean {
  const { tokens, tags, text } = ctx;
  const words = tokens.slice(i, i + len);
  if (!plausible(words, ctx)) return false;
  const after = tokens[i + len];
  if (after && CURRENCY.test(after.text.replace(/\.$/, '')) && /^\s+$/.test(gap(text, words[len - 1]!, after))) return false;
  if (hit.kind === 'country') return true;
  const first = words[0]!;
  const last = words[words.length - 1]!;
  if (len === 1 && (hit.name.length <= 2 || /^\p{Lu}{1,3}$/u.test(first.text) || isCalendarWord(hit.name))) return false;
  const prev = tokens[i - 1];
  if (prev && !prev.closes && prev.nameLike && /^\s+$/.test(gap(text, prev, first)) && tags.isNameWord(prev.start, prev.end)) {
    return false;
  }
  const next = tokens[i + len];
  const afterNext = tokens[i + len + 1];
  if (next && last.joinsNext && gap(text, last, next) === '-' && !next.nameLike) return false;
  if (next?.text === 'of' && last.joinsNext && next.joinsNext && afterNext?.nameLike) return false;
  if (len === 1 && next && headOfLongerName(first, next, ctx)) return false;
  if (tags.inPlace(first.start, last.end)) return true;
  if (hit.commonWord) return false;
  return len > 1 || corroborated(i, ctx);
}
