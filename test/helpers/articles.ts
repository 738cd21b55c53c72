import { buildBundle, type Bundle } from '../../indexer/build-bundle.ts';
import type { StoredArticle } from '../../core/types.ts';

/**
 * Small corpora written here (no shared data): each edition has its own ids (`<edition>-001`…), its
 * own marker word in every title and body, and its own article count, so a response can be checked
 * to come wholly from one edition.
 */
export interface Edition {
  name: string;
  articles: StoredArticle[];
}

const PEOPLE = [['Alice Smith', 'Bob Jones'], ['Alice Smith'], ['Bob Jones', 'Carol White'], ['Alice Smith', 'Bob Jones'], [], ['Carol White']];
const PLACES = [['Paris', 'France'], ['London'], ['Paris'], ['Tokyo', 'Japan'], ['London', 'Paris'], []];

export function edition(name: string, count = 6): Edition {
  const articles: StoredArticle[] = [];
  for (let i = 0; i < count; i++) {
    const id = `${name}-${String(i + 1).padStart(3, '0')}`;
    articles.push({
      id,
      date: `2021-0${1 + (i % 9)}-1${i % 10}`,
      title: `${name} report ${i + 1}: oil and markets`,
      body: `Edition ${name}. Oil prices moved on day ${i + 1} as traders in ${PLACES[i % 6]?.[0] ?? 'Geneva'} watched supply. ${name} closes the story.`,
      url: `https://news.example.org/${id}`,
      people: PEOPLE[i % 6] ?? [],
      locations: PLACES[i % 6] ?? [],
      about: (PLACES[i % 6] ?? []).slice(0, 1),
    });
  }
  return { name, articles };
}

/** A bundle with small doc chunks (many lazily read parts) and a fixed build time. */
export function bundleOf(ed: Edition, builtAt: string): Promise<Bundle> {
  return buildBundle(ed.articles, { docChunkSize: 2, now: () => new Date(builtAt), flexsearchVersion: 'test' });
}
