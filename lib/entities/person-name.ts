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

/** Strips closing quotes so a possessive inside them ("Putin's"") is still seen. */
function trimQuotes(word: string): string {
  return word.replace(/["'“”‘’»«]+$/u, (m) => (/^['’]$/.test(m) ? m : ''));
}
