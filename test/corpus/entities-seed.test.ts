import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEntityExtractor } from '../../indexer/entities/index.ts';

// The raw seed article, `../shared/data` next to the repository. It starts with " date 2021-11-23 " on the same
// line as the body; that prefix is cut here so only article text reaches the extractor.
const SEED = resolve(import.meta.dirname, '../../../shared/data/seed/article-2021-11-23.txt');
const body = readFileSync(SEED, 'utf8').replace(/^\s*date\s+\d{4}-\d{2}-\d{2}\s+/, '');

describe('entity extraction on the 2021-11-23 seed article', () => {
  const { people, locations } = createEntityExtractor().extract('', body);

  it('finds the people, by full name', () => {
    expect(people).toEqual(
      expect.arrayContaining(['Vladimir Putin', 'Mahmoud Abbas', 'Joe Biden', 'Mohammad Dahlan', 'Sergey Bogdonav']),
    );
  });

  it('finds the places, canonical', () => {
    expect(locations).toEqual(
      expect.arrayContaining(['Sochi', 'Moscow', 'Bethlehem', 'Russia', 'Palestine', 'Israel', 'United States']),
    );
  });

  it('yields no fragments, compounds, demonyms or descriptions', () => {
    const all = [...people, ...locations];
    for (const bad of ['Putin', 'Abbas', 'Joe', 'Putin-Abbas', 'Western Asian country', 'Russian', 'Palestinian', 'US', 'U.S.']) {
      expect(all).not.toContain(bad);
    }
  });

  it('lists each entity once, in order of first mention', () => {
    expect(new Set(people).size).toBe(people.length);
    expect(new Set(locations).size).toBe(locations.length);
    const firstIndex = (name: string): number => body.indexOf(name.split(' ').pop()!);
    expect(people.indexOf('Vladimir Putin')).toBeLessThan(people.indexOf('Mahmoud Abbas'));
    expect(firstIndex('Sochi')).toBeLessThan(firstIndex('Bethlehem'));
    expect(locations.indexOf('Sochi')).toBeLessThan(locations.indexOf('Bethlehem'));
  });
});
