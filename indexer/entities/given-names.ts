/**
 * Given names beyond compromise's lexicon: the `gender-detection-from-name` package's lists of first names in
 * English, French, German, Italian, Spanish and Turkish (~100,000 names). News names people compromise has
 * never seen ("Nacer Chadli replaced Axel Witsel"); a known given name before an unfamiliar word is the best
 * evidence short of a title that the pair is a person.
 */
import { getGender } from 'gender-detection-from-name';

/** Is this word a given name in any of the package's lists? Case-insensitive. */
export function isListedGivenName(word: string): boolean {
  return getGender(word) !== 'unknown';
}
