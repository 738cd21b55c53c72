/**
 * Canonical form of an explicit person name, as given in input files: no NLP, just cleanup.
 */
import { getGazetteer } from './gazetteer.ts';
import { collapseSpace, placeKey, stripPossessive, trimPunctuation } from './normalize.ts';
import { isTitleWord } from './titles.ts';

/**
 * Canonical form of an explicit person name: whitespace collapsed, surrounding quotes and punctuation removed,
 * a possessive and leading honorifics / job titles stripped, with a demonym in front of a title ("Russian
 * Foreign Minister"). A name made only of titles is returned cleaned but otherwise unchanged rather than emptied.
 *
 * @example canonicalPerson('  President  Vladimir Putin ')  // 'Vladimir Putin'
 * @example canonicalPerson("Mr. Biden's")                    // 'Biden'
 * @example canonicalPerson('"Mahmoud Abbas"')                // 'Mahmoud Abbas'
 */
export function canonicalPerson(name: string): string {
  const raw = collapseSpace(name).split(' ');
  const words = raw
    .map((w, i) => trimPunctuation(i === raw.length - 1 ? stripPossessive(trimQuotes(w)) : w))
    .filter((w) => w !== '');
  const demonyms = getGazetteer().countries.demonyms;
  const leading = (k: number): boolean =>
    isTitleWord(words[k]!) || (demonyms.has(placeKey(words[k]!)) && isTitleWord(words[k + 1] ?? ''));
  let i = 0;
  while (i < words.length - 1 && leading(i)) i++;
  if (i === words.length - 1 && words.length > 1 && isTitleWord(words[i]!)) return words.join(' ');
  return words.slice(i).join(' ');
}

/** All lower case, words joined by hyphens: "james-baker", "conable", "de-la-madrid". */
export function isSlug(value: string): boolean {
  return /^\p{Ll}+(?:-\p{Ll}+)*$/u.test(value);
}

/** Name particles kept in lower case inside a name read from a slug ("de-la-madrid" -> "de la Madrid"). */
const PARTICLES = new Set(['de', 'la', 'le', 'du', 'da', 'di', 'del', 'della', 'der', 'den', 'van', 'von', 'bin', 'al', 'y']);

/**
 * A name written as a slug, as archives and tag systems store them (Reuters-21578 lists "james-baker" and
 * "conable"): all lower case, words joined by hyphens. Read back as words in name case, for a slug the corpus
 * pass cannot match to a name found in the text (`corpus-aliases.ts`). `null` for anything else: a real name
 * has capitals, so "Jean-Claude Juncker" is left alone.
 *
 * @example nameFromSlug('james-baker')  // 'James Baker'
 * @example nameFromSlug('de-la-madrid') // 'de la Madrid'
 */
export function nameFromSlug(value: string): string | null {
  if (!isSlug(value)) return null;
  const words = value.split('-');
  const last = words.length - 1;
  return words
    .map((w, i) => (i < last && PARTICLES.has(w) ? w : w[0]!.toUpperCase() + w.slice(1)))
    .join(' ');
}

/** Strips closing quotes so a possessive inside them ("Putin's"") is still seen. */
function trimQuotes(word: string): string {
  return word.replace(/["'“”‘’»«]+$/u, (m) => (/^['’]$/.test(m) ? m : ''));
}
