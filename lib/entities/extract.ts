/**
 * The extractor: one compromise parse per article, people from `doc.people()`, places from a gazetteer scan of
 * the same text checked against compromise's tags (`doc.places()`, dates, proper nouns) and the people found.
 */
import nlp from 'compromise';
import { foldPeople } from './fold.ts';
import { getGazetteer } from './gazetteer.ts';
import { isAllCaps } from './normalize.ts';
import { findPersonMentions } from './people.ts';
import { findPlaces } from './places.ts';
import { buildTagIndex } from './tags.ts';
import type { EntityExtractor, ExtractedEntities } from './types.ts';

/**
 * The text to analyse: title, then body. An all-caps part (Reuters headlines, tables) is left out: compromise
 * reads every capitalized word there as a name, and the body repeats what matters.
 */
function articleText(title: string, body: string): string {
  const parts = [title.trim(), body.trim()].filter((p) => p !== '' && !isAllCaps(p));
  return parts.join('\n\n');
}

/**
 * Creates an extractor. The gazetteers are built on the first call in a process or worker (about half a
 * second) and shared read-only afterwards; `extract` itself keeps no state between calls.
 *
 * @example
 * const extractor = createEntityExtractor();
 * const { people, locations } = extractor.extract(title, body);
 */
export function createEntityExtractor(): EntityExtractor {
  const gaz = getGazetteer();
  return {
    extract(title: string, body: string): ExtractedEntities {
      const text = articleText(title, body);
      if (text === '') return { people: [], locations: [] };
      const doc = nlp(text);
      doc.compute('offset');
      const people = doc.people();
      const tags = buildTagIndex(doc, doc.places());
      const names = foldPeople(findPersonMentions(people, gaz));
      return { people: names, locations: findPlaces(text, gaz, tags, names).map((p) => p.name) };
    },
  };
}
