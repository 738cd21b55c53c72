import { canonicalPerson, canonicalPlace, createEntityExtractor, type EntityExtractor } from './entities/index.ts';
import type { SourceArticle, StoredArticle } from '../core/types.ts';

/** A stored article plus what the corpus-wide passes need and then drop (see build.ts). */
export type EnrichedArticle = StoredArticle & { institutions?: string[] };

/**
 * Source article → stored article: extracted people and locations merged with the explicit ones
 * from the input, which are always kept (canonicalized, so "U.S." and "United States" are one place).
 */
export function enrich(extractor: EntityExtractor, a: SourceArticle): EnrichedArticle {
  const found = extractor.extract(a.title, a.body, a.dateline ? { dateline: a.dateline } : {});
  return {
    ...(found.institutions ? { institutions: found.institutions } : {}),
    id: a.id,
    date: a.date,
    title: a.title,
    body: a.body,
    url: a.url ?? null,
    people: union((a.people ?? []).map(canonicalPerson), found.people),
    locations: union((a.places ?? []).map(canonicalPlace), found.locations),
    // Places an editor listed are what the story is about.
    about: union((a.places ?? []).map(canonicalPlace), found.about),
    ...(a.lang ? { lang: a.lang } : {}),
  };
}

function union(first: string[], second: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of [...first, ...second]) {
    const key = v.toLowerCase();
    if (!v || seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}

export { createEntityExtractor };
