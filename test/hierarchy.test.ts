import { describe, expect, it } from 'vitest';
import { COUNTRY_NAMESAKE_REGIONS, regionalReading, resolvePlace, resolvePlaceAmong } from '../indexer/entities/index.ts';
import { getGazetteer } from '../indexer/entities/gazetteer.ts';
import { placeKey } from '../indexer/entities/normalize.ts';
import { getRegions } from '../indexer/entities/regions.ts';
import { parseSearchParams, rawQueryFromString } from '../core/http/params.ts';
import { search } from '../core/search/search.ts';
import { addCountries, placePasses } from '../indexer/hierarchy.ts';
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

describe('country names that are also regions (Georgia)', () => {
  const file = (locations: string[]) => placePasses(article({ id: 'a', locations }), resolvePlaceAmong, regionalReading);

  it('reads "City, Georgia" by where the city is', () => {
    expect(resolvePlace('Atlanta, Georgia')?.country).toBe('United States');
    expect(resolvePlace('Gori, Georgia')?.country).toBe('Georgia');
    expect(resolvePlace('Kano, Niger')?.country).toBe('Nigeria');
    expect(resolvePlace('Niamey, Niger')?.country).toBe('Niger');
    // A town GeoNames does not know is the state's: small towns are qualified by the state in English news.
    expect(resolvePlace('Smallville, Georgia')?.country).toBe('United States');
  });

  it('files Georgia in a story from Atlanta as the US state, and keeps the country elsewhere', () => {
    expect(file(['Atlanta', 'Georgia']).locations).toEqual(['Atlanta', 'Georgia, United States', 'United States']);
    expect(file(['Atlanta, Georgia', 'Georgia']).locations).toEqual(['Atlanta, Georgia', 'Georgia, United States', 'United States']);
    // Beside Tbilisi, or in a story filed from Moscow, or with nothing else to go by, it is the country.
    expect(file(['Washington', 'Georgia', 'Tbilisi']).locations).toEqual(['Washington', 'Georgia', 'Tbilisi', 'United States']);
    expect(file(['Moscow', 'Georgia', 'Washington']).locations).toEqual(['Moscow', 'Georgia', 'Washington', 'Russia', 'United States']);
    expect(file(['Georgia']).locations).toEqual(['Georgia']);
  });

  it('keeps about=Georgia to the country', async () => {
    const arts = [
      article({ id: 'state', locations: ['Atlanta', 'Georgia'] }),
      article({ id: 'country', locations: ['Tbilisi', 'Georgia'] }),
    ].map((a) => placePasses(a, resolvePlaceAmong, regionalReading));
    const { index } = await memoryIndex(arts);
    const ids = async (q: string) => (await search(index, parseSearchParams(rawQueryFromString(q)))).hits.map((h) => h.id);
    expect(await ids('about=Georgia')).toEqual(['country']);
    expect(await ids('about=United+States')).toEqual(['state']);
  });

  it('lists every country whose name another country uses for a region, apart from territories', () => {
    // Territories the region data files under their administering country are the same place either way.
    const territories = new Set(['American Samoa', 'Saint Barthélemy', 'Micronesia', 'Guadeloupe', 'Guam', 'Hong Kong', 'Macau', 'Saint Martin',
      'Marshall Islands', 'Northern Mariana Islands', 'Martinique', 'Mayotte', 'Palau', 'Puerto Rico', 'Réunion']);
    const namesakes = countryRegionNamesakes().filter(([country]) => !territories.has(country));
    expect(Object.fromEntries(namesakes)).toEqual(COUNTRY_NAMESAKE_REGIONS);
  });
});

/** [country, region's country] for every country name the region data also lists as another country's region. */
function countryRegionNamesakes(): Array<[string, string]> {
  const gaz = getGazetteer();
  const out: Array<[string, string]> = [];
  for (const [code, name] of gaz.countries.byCode) {
    const region = getRegions().byName.get(placeKey(name));
    if (region && region.countryCode !== code) out.push([name, gaz.countries.byCode.get(region.countryCode) as string]);
  }
  return out;
}

describe('namesakes the story itself places ("the Chilean port of San Antonio")', () => {
  it('files "San Antonio, Chile" and "Belém, Portugal" under the country the text gives, not Texas or Brazil', () => {
    const chile = placePasses(article({ id: 'h', locations: ['Santiago', 'San Antonio, Chile'], about: ['Santiago'] }), resolvePlaceAmong, regionalReading);
    expect(chile.locations).toEqual(['Santiago', 'San Antonio, Chile', 'Chile']);
    expect(chile.about).toEqual(['Santiago', 'Chile']);
    const lisbon = placePasses(article({ id: 't', locations: ['Lisbon', 'Belém, Portugal'] }), resolvePlaceAmong, regionalReading);
    expect(lisbon.locations).toEqual(['Lisbon', 'Belém, Portugal', 'Portugal']);
  });
});
