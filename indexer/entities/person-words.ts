/**
 * Cleans one run of name words into a person mention: titles, leading demonyms and places, months, possessives,
 * punctuation and trailing initials go; runs that are places, ordinary words or too long are rejected.
 */
import { CITY_MIN_POPULATION, lookupPlace, type Gazetteer } from './gazetteer.ts';
import { isCalendarWord, isLexiconFunctionWord, isLexiconOrdinaryWord, isLexiconPlace, isPlaceNoun } from './lexicon.ts';
import { isAllCaps, isCapitalized, placeKey, stripPossessive, trimPunctuation } from './normalize.ts';
import { isTitleWord } from './titles.ts';

export interface PersonMention {
  /** Name words; a hyphenated word stays one word ("Jong-un", or the compound "Putin-Abbas"). */
  words: string[];
  /** Character offset of the first kept word. */
  start: number;
  /** Character offset just after the last kept word. */
  end: number;
  /** A lone given name ("Joe"), which only ever counts as part of a full name. */
  firstNameOnly: boolean;
  /** A lone word compromise tags as a surname ("Putin"), which may stand as a person on its own. */
  surname: boolean;
}

/** A word of a person span with compromise's tags for it. */
export interface Word {
  text: string;
  start: number;
  tags: Set<string>;
}

/** True for a word or name that denotes a place or a people rather than a person ("Palestine", "Russian", "Texas"). */
export function isPlaceName(name: string, gaz: Gazetteer): boolean {
  const key = placeKey(name);
  return gaz.countries.demonyms.has(key) || lookupPlace(gaz, name, CITY_MIN_POPULATION) !== null || isLexiconPlace(key);
}

/** "U.S", "UK": an abbreviated country name is never part of a person's name ("U.S. Soybean"). */
const isCountryAbbreviation = (word: string, gaz: Gazetteer): boolean =>
  /^(?:\p{Lu}\.?){2,}$/u.test(word) && gaz.countries.byKey.has(placeKey(word));
const isInitial = (w: Word): boolean => /^\p{Lu}\.?$/u.test(w.text);
/** Surname particles, after which an untagged word is still the surname ("Claudio De Vincenti"). */
const PARTICLES = /^(?:de|del|della|di|da|dos|du|van|von|der|den|ter|le|la|bin|ibn|al|el)$/i;
const isNamePart = (w: Word): boolean => w.tags.has('FirstName') || w.tags.has('LastName');
const isSurname = (w: Word): boolean => w.tags.has('LastName') && !PARTICLES.test(w.text);
/**
 * Final checks on a name's words: a place noun closing it makes it a place ("North Sea", "Hudson River",
 * "Persian Gulf"), and a wire agency alone is a source, not a person.
 */
export function personShaped(words: string[]): boolean {
  const last = words[words.length - 1] ?? '';
  if (words.length > 1 && (isPlaceNoun(last) || WATER.test(last))) return false;
  return !(words.length === 1 && NEWS_AGENCIES.test(last));
}

/** Bodies of water, which compromise's place nouns lack. */
const WATER = /^(?:Sea|Ocean|Gulf|Bay|River|Lake|Strait|Straits|Channel|Canal)$/;
/** Wire agencies, cited as sources ("a Reuter survey", "told Reuters"); compromise knows "Reuter" as a surname. */
const NEWS_AGENCIES = /^(?:Reuter|Reuters|AFP|UPI|Xinhua|Tass|Kyodo|Bernama|Yonhap)$/;
/** US party-and-state tags after a legislator's name: "R-Tenn", "D-Calif". */
const PARTY_STATE = /^[RDI]-\p{Lu}/u;

/**
 * Drops leading titles, months ("April" in "April U.S. Soybean") and lower-case words; leading places or
 * demonyms while at least two words would remain ("Russian", "Palestine" in "Palestine Mahmoud Abbas"); a
 * leading role noun before a given name ("NASA Administrator Charles Bolden"); and trailing titles, lower-case
 * words, function words, initials ("Richard R"), party-state tags ("John Duncan R-Tenn") and an untagged word
 * after a surname.
 */
function stripWords(words: Word[], gaz: Gazetteer): Word[] {
  let i = 0;
  while (i < words.length) {
    const w = words[i]!;
    const title = w.tags.has('Honorific') || isTitleWord(w.text) || !isCapitalized(w.text) || w.tags.has('Date') ||
      isCalendarWord(w.text);
    const descriptive = words.length - i >= 3 && (isPlaceName(w.text, gaz) ||
      ((w.tags.has('Actor') || isLexiconOrdinaryWord(w.text)) && words[i + 1]!.tags.has('FirstName')));
    if (title || descriptive) i++;
    else break;
  }
  let end = words.length;
  // A capitalized function word ends a caption that runs into the next sentence: "Regina Ip In the ...".
  const trailing = (w: Word): boolean => isTitleWord(w.text) || !isCapitalized(w.text) || isInitial(w) || PARTY_STATE.test(w.text) ||
    isLexiconFunctionWord(w.text);
  while (end > i && trailing(words[end - 1]!)) end--;
  // compromise runs on past a surname into the next capitalized word: "Andy Warhol Photographic", "Regina Ip In".
  while (end - i >= 3 && !isNamePart(words[end - 1]!) && isSurname(words[end - 2]!)) end--;
  return words.slice(i, end);
}

/** One cleaned mention from a run of words, or null when nothing person-like is left. */
export function toMention(raw: Word[], gaz: Gazetteer): PersonMention | null {
  const cleaned = raw.map((w, i) => ({ ...w, text: trimPunctuation(i === raw.length - 1 ? stripPossessive(w.text) : w.text) }));
  const words = stripWords(cleaned.filter((w) => w.text !== ''), gaz);
  const first = words[0];
  // Digits, plurals and number words are never part of a name ("Nine Mths", a table heading).
  if (!first || words.length > 5 || words.some((w) => /[\d/]/.test(w.text) || w.tags.has('Plural') || w.tags.has('Value'))) return null;
  const name = words.map((w) => w.text).join(' ');
  if (isPlaceName(name, gaz) || words.some((w) => isCountryAbbreviation(w.text, gaz))) return null;
  if (!personShaped(words.map((w) => w.text))) return null;
  if (words.length === 1 && (isLexiconOrdinaryWord(first.text) || isAllCaps(first.text))) return null;
  return {
    words: words.map((w) => w.text),
    start: first.start,
    end: words[words.length - 1]!.start + words[words.length - 1]!.text.length,
    firstNameOnly: words.length === 1 && first.tags.has('FirstName') && !first.tags.has('LastName'),
    surname: words.length === 1 && first.tags.has('LastName'),
  };
}
