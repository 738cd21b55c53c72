import { describe, expect, it } from 'vitest';
import { resolvePlace } from '../lib/entities/index.ts';
import { parseSearchParams, rawQueryFromString } from '../lib/http/params.ts';
import { search } from '../lib/search/search.ts';
import { addCountries } from '../index-build/hierarchy.ts';
import { article, memoryIndex } from './helpers/memory-index.ts';

describe('location hierarchy', () => {
  it('files a city under its country once, keeping explicit countries', () => {
    expect(addCountries(article({ id: 'a', locations: ['Sochi', 'Moscow'] }), resolvePlace).locations).toEqual(['Sochi', 'Moscow', 'Russia']);
    expect(addCountries(article({ id: 'b', locations: ['Russia', 'Sochi'] }), resolvePlace).locations).toEqual(['Russia', 'Sochi']);
    expect(addCountries(article({ id: 'c', locations: ['Narnia'] }), resolvePlace).locations).toEqual(['Narnia']);
  });

  it('lets location=Russia find a story that mentions only Sochi, counting each article once', async () => {
    const arts = [
      article({ id: 'only-sochi', locations: ['Sochi'] }),
      article({ id: 'sochi-and-moscow', locations: ['Sochi', 'Moscow'] }),
      article({ id: 'lisbon', locations: ['Lisbon'] }),
    ].map((a) => addCountries(a, resolvePlace));
    const { index } = await memoryIndex(arts);
    const res = await search(index, parseSearchParams(rawQueryFromString('location=Russia')));
    expect(res.hits.map((h) => h.id).sort()).toEqual(['only-sochi', 'sochi-and-moscow']);
    expect(res.facets.location).toEqual([
      { value: 'Russia', count: 2 },
      { value: 'Sochi', count: 2 },
      { value: 'Moscow', count: 1 },
    ]);
  });
});
