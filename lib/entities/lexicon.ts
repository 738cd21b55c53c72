/**
 * Read-only questions to compromise's built-in English lexicon, used to tell place names from ordinary words.
 * The lexicon is part of the compromise package; nothing here mutates it.
 */
import nlp from 'compromise';

type LexiconValue = string | string[] | undefined;

let lexicon: Record<string, LexiconValue> | undefined;

function tagsOf(word: string): string[] {
  lexicon ??= (nlp.model() as { one: { lexicon: Record<string, LexiconValue> } }).one.lexicon;
  const value = lexicon[word.toLowerCase()];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

const PLACE_TAGS = new Set(['Place', 'City', 'Country', 'Region', 'Address']);

/** True when the lexicon lists the word as a place ("moscow" is a City, "burma" a Country). */
export function isLexiconPlace(word: string): boolean {
  return tagsOf(word).some((tag) => PLACE_TAGS.has(tag));
}

/**
 * True when the lexicon knows the word as something other than a place or a bare proper noun: an English word
 * ("nice", "reading", "mobile", "of"), a month or weekday, a demonym ("thai") or a given name / surname
 * ("victoria", "chester", "mann"). Words the lexicon does not know at all return false.
 */
export function isLexiconNonPlace(word: string): boolean {
  const tags = tagsOf(word);
  if (tags.length === 0) return false;
  return !tags.some((tag) => PLACE_TAGS.has(tag) || tag === 'ProperNoun');
}
