import { describe, expect, it } from 'vitest';
import { createEntityExtractor, dropCorpusInstitutions } from '../indexer/entities/index.ts';

const extractor = createEntityExtractor();

describe('firms named after people', () => {
  it('marks names an article uses as an organization', () => {
    const got = extractor.extract('', 'Analysts at Merrill Lynch said demand was firm. Merrill Lynch Capital Markets led the issue.');
    expect(got.institutions).toEqual(['Merrill Lynch']);
    expect(extractor.extract('', 'Treasury Secretary James Baker said the dollar was stable.').institutions).toBeUndefined();
  });

  it('drops a name from every article once the archive uses it as a firm often enough', () => {
    const articles = [
      { people: ['Merrill Lynch', 'James Baker'] },
      { people: ['Merrill Lynch'], institutions: ['Merrill Lynch'] },
      { people: ['Walt Disney'] },
      ...Array.from({ length: 20 }, () => ({ people: ['Walt Disney'] })),
      { people: ['Walt Disney'], institutions: ['Walt Disney'] },
    ];
    dropCorpusInstitutions(articles);
    expect(articles[0]).toEqual({ people: ['James Baker'] });
    expect(articles[1]).toEqual({ people: [] });
    // One firm mention against 22 articles about the man: he stays a person.
    expect(articles.filter((a) => a.people.includes('Walt Disney'))).toHaveLength(22);
    expect(articles.every((a) => !('institutions' in a))).toBe(true);
  });
});

describe('wire copy noise', () => {
  it('never takes the agency sign-off, table headings or seas for people', () => {
    const body = 'Shr 1.20 dlrs vs 1.05 dlrs\n    Nine Mths\n    Shr 3.10 vs 2.90\nOil output in its North Sea properties rose, a Reuter survey shows, said John Smith.\n Reuter';
    const { people } = extractor.extract('', body);
    expect(people).toEqual(['John Smith']);
  });
});
