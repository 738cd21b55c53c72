/**
 * String helpers shared by the gazetteers and the name cleaners. Pure functions, no state.
 */

import { foldAccents } from '../../core/text.ts';

/** Apostrophes as they appear in news text. */
const APOSTROPHES = /['’‘`]/g;

/**
 * Lookup key for a place name: accents folded, lower case, dots and apostrophes dropped, hyphens, commas and
 * whitespace collapsed to one space. "U.S." and "US" share a key, as do "Guinea-Bissau" and "Guinea Bissau".
 *
 * @example placeKey('Washington, D.C.') // 'washington dc'
 */
export function placeKey(name: string): string {
  return spellingKey(foldAccents(name));
}

/** Like `placeKey` but keeping accents, to prefer the city spelled exactly as written ("Santa Barbara", not "Santa Bárbara"). */
export function spellingKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/\./g, '')
    .replace(APOSTROPHES, '')
    .replace(/[\s,\-–—/]+/g, ' ')
    .trim();
}

// One accent folding for the index and the entities: a place folded here is the word search folds.
export { foldAccents };

/** Lower-case, accent-free comparison key for a person name or one of its words. */
export function personKey(name: string): string {
  return foldAccents(name).toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Drops a trailing possessive: "Putin's" -> "Putin", "Reuters'" -> "Reuters". */
export function stripPossessive(word: string): string {
  return word.replace(/['’](?:s|S)?$/, '');
}

/** Collapses runs of whitespace to single spaces and trims. */
export function collapseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Removes quotes, brackets and punctuation around a word, keeping the dot of an initial ("F."). */
export function trimPunctuation(word: string): string {
  const core = word.replace(/^[^\p{L}\p{N}]+/u, '').replace(/[^\p{L}\p{N}.]+$/u, '');
  if (/^\p{L}\.$/u.test(core)) return core;
  return core.replace(/\.+$/, '');
}

/** True when the text has letters and none of them is lower case (e.g. Reuters headlines). */
export function isAllCaps(text: string): boolean {
  return /\p{Lu}/u.test(text) && !/\p{Ll}/u.test(text);
}

/** True when the first letter of the word is upper case. */
export function isCapitalized(word: string): boolean {
  const first = word.match(/\p{L}/u);
  return first !== null && first[0] !== first[0].toLowerCase();
}
