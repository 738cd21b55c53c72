/**
 * The extractor: one compromise parse per article, on the focused text (focus.ts), gives people
 * (`doc.people()`); places come from a gazetteer scan of the full text checked against compromise's tags
 * (`doc.places()`, dates, proper nouns) and the people found.
 */
import { foldPeople, mergeMentions } from './fold.ts';
import { focusText, keptTokens } from './focus.ts';
import { getGazetteer } from './gazetteer.ts';
import { findNameRuleMentions } from './name-rules.ts';
import { findPersonMentions } from './people.ts';
import { findPlaces } from './places.ts';
import { tag } from './tagger.ts';
import { buildTagIndex, EMPTY_TAGS } from './tags.ts';
import { articleText } from './text.ts';
import { tokenize } from './tokens.ts';
import type { EntityExtractor, ExtractedEntities } from './types.ts';

/**
 * Creates an extractor. The gazetteers are built on the first call in a process or worker and shared
 * read-only afterwards; `extract` itself keeps no state between calls.
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
      const tokens = tokenize(text);
      const focused = focusText(text, tokens, keptTokens(text, tokens, gaz));
      let names: string[] = [];
      let tags = EMPTY_TAGS;
      if (focused !== null) {
        const doc = tag(focused);
        tags = buildTagIndex(doc, doc.places());
        const fromNlp = findPersonMentions(doc.people(), gaz);
        names = foldPeople(mergeMentions(fromNlp, findNameRuleMentions(text, tokens, gaz, tags, fromNlp)));
      }
      return { people: names, locations: findPlaces(text, tokens, gaz, tags, names).map((p) => p.name) };
    },
  };
}
