/**
 * Speed: compromise's tagger costs ~5 ms per newswire story, and most of a story cannot hold a name. This
 * module picks the words compromise must see and blanks the rest, so the tagger runs on ~a third of the text.
 *
 * A word is a *cue* when it may be (part of) a person's name or a city, the two things whose detection reads
 * compromise's tags: a capitalized word that is not a month or weekday, a job title, a country name or demonym,
 * an all-caps acronym, or an ordinary English word. An ordinary word stays a cue when a city name starts with it
 * ("Reading", "Union"): such cities count only where compromise tags them as places. Country names need no
 * tags (places.ts accepts them on their own), and a name made only of ordinary words is one compromise does not
 * tag as a person either.
 *
 * Each cue keeps `CONTEXT` words on either side, the reach of compromise's tagging patterns ("Mr", "said",
 * "in", a first name before a surname). Blanked stretches become spaces, with a line break at the first
 * position so compromise starts a new sentence there instead of joining distant words; every kept word stays
 * at its offset, so compromise's offsets are offsets in the article text.
 */
import { CITY_MIN_POPULATION, lookupPlace, type Gazetteer } from './gazetteer.ts';
import { isCalendarWord, isLexiconOrdinaryWord, isOrgWord, isPlaceNoun } from './lexicon.ts';
import { isAllCaps, placeKey, stripPossessive } from './normalize.ts';
import { isTitleWord } from './titles.ts';
import type { Token } from './tokens.ts';

/** Words kept on each side of a cue. */
export const CONTEXT = 3;

/** Does a city name (big enough to count in running text) start at token i? "The Hague", "New York", "Reading". */
function startsCity(tokens: Token[], i: number, gaz: Gazetteer): boolean {
  let name = '';
  for (let len = 1; len <= gaz.maxWords && i + len <= tokens.length; len++) {
    const t = tokens[i + len - 1]!;
    if (len > 1 && !(tokens[i + len - 2]!.joinsNext && (t.nameLike || t.connector))) break;
    name += (len > 1 ? ' ' : '') + stripPossessive(t.text);
    if (t.nameLike && lookupPlace(gaz, name, CITY_MIN_POPULATION)?.kind === 'city') return true;
  }
  return false;
}

/** A word alone on its line: a sign-off ("Reuter") or a heading, never read as a name. */
function aloneOnLine(text: string, token: Token): boolean {
  const before = text.lastIndexOf('\n', token.start - 1);
  const after = text.indexOf('\n', token.end);
  return /^\s*$/.test(text.slice(before + 1, token.start)) && /^[\s.]*$/.test(text.slice(token.end, after < 0 ? text.length : after));
}

/** Could token i be part of a person's name or a city name? */
export function isCue(text: string, tokens: Token[], i: number, gaz: Gazetteer): boolean {
  const token = tokens[i]!;
  if (!token.nameLike) return false;
  const word = stripPossessive(token.text);
  if (isAllCaps(word) && word.replace(/\./g, '').length > 1) return false;
  if (isCalendarWord(word) || isTitleWord(word) || aloneOnLine(text, token)) return false;
  const key = placeKey(word);
  if (gaz.countries.byKey.has(key) || gaz.countries.demonyms.has(key)) return false;
  const bare = word.replace(/\.$/, '');
  if (!isLexiconOrdinaryWord(bare) && !isOrgWord(bare) && !isPlaceNoun(bare)) return true;
  return gaz.cityFirstWords.has(key) && startsCity(tokens, i, gaz);
}

/** Which tokens compromise must see: cues and their context, widened so no kept stretch ends inside a word. */
export function keptTokens(text: string, tokens: Token[], gaz: Gazetteer): boolean[] {
  const kept = new Array<boolean>(tokens.length).fill(false);
  tokens.forEach((_, i) => {
    if (!isCue(text, tokens, i, gaz)) return;
    for (let j = Math.max(0, i - CONTEXT); j <= Math.min(tokens.length - 1, i + CONTEXT); j++) kept[j] = true;
  });
  // "Kim Jong-un", "d'Ivoire": a boundary between tokens with no whitespace between them would split a word.
  const glued = (i: number) => !/\s/.test(text.slice(tokens[i]!.end, tokens[i + 1]!.start));
  for (let i = 0; i + 1 < tokens.length; i++) if (kept[i] && !kept[i + 1] && glued(i)) kept[i + 1] = true;
  for (let i = tokens.length - 2; i >= 0; i--) if (!kept[i] && kept[i + 1] && glued(i)) kept[i] = true;
  return kept;
}

/**
 * The text with everything but the kept tokens blanked, same length. Returns null when nothing is kept, so the
 * caller can skip compromise altogether.
 */
export function focusText(text: string, tokens: Token[], kept: boolean[]): string | null {
  if (!kept.includes(true)) return null;
  const chars = text.split('');
  let i = 0;
  while (i < tokens.length) {
    if (kept[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < tokens.length && !kept[j + 1]) j++;
    // Blank from the first whitespace after the previous kept token to the last one before the next kept token,
    // so punctuation and quotes touching a kept word stay with it.
    const from = i === 0 ? 0 : firstSpace(text, tokens[i - 1]!.end);
    const to = j + 1 === tokens.length ? text.length : lastSpace(text, tokens[j + 1]!.start) + 1;
    for (let k = from; k < to; k++) chars[k] = ' ';
    if (i > 0 && from < to) chars[from] = '\n';
    i = j + 1;
  }
  return chars.join('');
}

function firstSpace(text: string, from: number): number {
  let k = from;
  while (k < text.length && !/\s/.test(text[k]!)) k++;
  return k;
}

function lastSpace(text: string, before: number): number {
  let k = before - 1;
  while (k >= 0 && !/\s/.test(text[k]!)) k--;
  return k;
}
