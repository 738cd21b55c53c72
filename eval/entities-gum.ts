/**
 * People and places on the 24 GUM Wikinews articles, whose gold `people`/`places` are Wikipedia titles.
 *
 * Matching rule (printed with the results):
 * - names are compared by `matchKey` (disambiguator dropped, accents, case, dots and hyphens ignored);
 * - a gold entity also accepts its proper-noun mentions in the text, titles stripped by `canonicalPerson`
 *   (gold "Creswell Eastman" is written "Professor Cres Eastman"); a predicted person of two or more words also
 *   matches when its words stand together inside the title or such a mention ("Chris Gregoire" in "Governor of
 *   Washington Chris Gregoire", "Ron Hubbard" in "L. Ron Hubbard"); for places the part before a comma
 *   ("Kanata, Ontario" -> "Kanata") and the gazetteer's canonical name ("Turkey" -> "Türkiye");
 * - gold "people" that are groups (the title's last word is a plural noun: "Muslims", "Rohingya people")
 *   are not people and are left out;
 * - a prediction that names a GUM entity of the same type without a Wikipedia page ("Lydia Buchtmann") is a
 *   real person or place the gold list leaves out: neutral in the main score, a false positive in the strict one.
 */
import nlp from 'compromise';
import { canonicalPerson, resolvePlace, type ExtractedEntities } from '../indexer/entities/index.ts';
import { add, matchKey, matchSets, zero, type Counts } from './entities-score.ts';

export interface GumArticle {
  id: string;
  title: string;
  body: string;
  people: string[];
  places: string[];
  entities: { type: string; wikipedia: string | null; named_mentions: string[] }[];
}

export interface GumResult {
  people: Counts;
  peopleStrict: Counts;
  places: Counts;
  placesStrict: Counts;
  /** Per article: false positives and misses, for `--verbose`. */
  errors: string[];
}

const isGroup = (title: string): boolean => nlp(title.replace(/\s*\(.*\)$/, '')).terms().last().has('#Plural');

function placeForms(title: string, mentions: string[]): Set<string> {
  const bare = title.replace(/\s*\([^)]*\)\s*$/, '');
  const forms = [title, bare, bare.split(',')[0]!, ...mentions];
  const canonical = resolvePlace(bare)?.name;
  if (canonical) forms.push(canonical);
  return new Set(forms.map(matchKey));
}

function personForms(title: string, mentions: string[]): Set<string> {
  return new Set([title, ...mentions.map(canonicalPerson)].map(matchKey));
}

export function scoreGum(articles: GumArticle[], extracted: ExtractedEntities[]): GumResult {
  const out: GumResult = { people: zero(), peopleStrict: zero(), places: zero(), placesStrict: zero(), errors: [] };
  articles.forEach((a, k) => {
    const got = extracted[k]!;
    // One gold entity per Wikipedia title: GUM sometimes keeps two entities with the same identity.
    const ents = (type: string, linked: boolean) => a.entities.filter((e, i, all) => e.type === type &&
      (e.wikipedia !== null) === linked && (e.wikipedia === null || all.findIndex((o) => o.type === type && o.wikipedia === e.wikipedia) === i));
    const goldPeople = ents('person', true).filter((e) => !isGroup(e.wikipedia!))
      .map((e) => personForms(e.wikipedia!, e.named_mentions));
    const otherPeople = new Set(ents('person', false).flatMap((e) => e.named_mentions.map((m) => matchKey(canonicalPerson(m)))));
    const goldPlaces = ents('place', true).map((e) => placeForms(e.wikipedia!, e.named_mentions));
    const otherPlaces = new Set(ents('place', false).flatMap((e) => e.named_mentions.map(matchKey)));

    const people = matchSets(got.people, goldPeople, otherPeople, true);
    const places = matchSets(got.locations, goldPlaces, otherPlaces);
    add(out.people, people);
    add(out.places, places);
    add(out.peopleStrict, matchSets(got.people, goldPeople, new Set(), true));
    add(out.placesStrict, matchSets(got.locations, goldPlaces));
    const names = (sets: Set<string>[], idx: number[]) => idx.map((i) => [...sets[i]!][0]).join(' | ');
    if (people.fp || people.fn) out.errors.push(`${a.id} people  FP: ${people.falsePositives.join(' | ')}  FN: ${names(goldPeople, people.misses)}`);
    if (places.fp || places.fn) out.errors.push(`${a.id} places  FP: ${places.falsePositives.join(' | ')}  FN: ${names(goldPlaces, places.misses)}`);
  });
  return out;
}
