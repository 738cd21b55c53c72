import { describe, expect, it } from 'vitest';
import { resolvePlaceAmong } from '../lib/entities/index.ts';
import { parseSearchParams, rawQueryFromString } from '../lib/http/params.ts';
import { search } from '../lib/search/search.ts';
import { addCountries } from '../index-build/hierarchy.ts';
import { article, memoryIndex } from './helpers/memory-index.ts';

describe('location hierarchy', () => {
  it('files a city under its country once, keeping explicit countries', () => {
    expect(addCountries(article({ id: 'a', locations: ['Sochi', 'Moscow'] }), resolvePlaceAmong).locations).toEqual(['Sochi', 'Moscow', 'Russia']);
    expect(addCountries(article({ id: 'b', locations: ['Russia', 'Sochi'] }), resolvePlaceAmong).locations).toEqual(['Russia', 'Sochi']);
    expect(addCountries(article({ id: 'c', locations: ['Narnia'] }), resolvePlaceAmong).locations).toEqual(['Narnia']);
  });

  it('lets location=Russia find a story that mentions only Sochi, counting each article once', async () => {
    const arts = [
      article({ id: 'only-sochi', locations: ['Sochi'] }),
      article({ id: 'sochi-and-moscow', locations: ['Sochi', 'Moscow'] }),
      article({ id: 'lisbon', locations: ['Lisbon'] }),
    ].map((a) => addCountries(a, resolvePlaceAmong));
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

describe('hierarchy in context', () => {
  it('files a city name several countries share under the country the story names', () => {
    // GeoNames' most prominent Scarborough is the capital of Tobago; next to Canada it is the Toronto district.
    expect(resolvePlaceAmong('Scarborough', [])?.country).toBe('Trinidad and Tobago');
    expect(addCountries(article({ id: 'a', locations: ['Toronto', 'Scarborough', 'Canada'] }), resolvePlaceAmong).locations)
      .toEqual(['Toronto', 'Scarborough', 'Canada']);
    expect(addCountries(article({ id: 'b', locations: ['Scarborough'] }), resolvePlaceAmong).locations)
      .toEqual(['Scarborough', 'Trinidad and Tobago']);
  });
});

describe('hierarchy in context, implied countries', () => {
  it('uses the countries of the story\'s other places as context', () => {
    expect(addCountries(article({ id: 'c', locations: ['Toronto', 'Scarborough'] }), resolvePlaceAmong).locations)
      .toEqual(['Toronto', 'Scarborough', 'Canada']);
  });

  it('keeps a capital in its country beside small namesakes elsewhere', () => {
    // There are towns called Lisbon in Maine and Ohio; next to them the Portuguese capital stays Portuguese.
    expect(addCountries(article({ id: 'd', locations: ['Toronto', 'United States', 'Lisbon'] }), resolvePlaceAmong).locations)
      .toEqual(['Toronto', 'United States', 'Lisbon', 'Canada', 'Portugal']);
  });
});
