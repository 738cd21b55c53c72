import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadIndex } from '../core/search/load-index.ts';
import { createEntityExtractor, datelinePlace, leadingDateline, resolvePlace, resolvePlaceAmong } from '../indexer/entities/index.ts';
import { parseSearchParams, rawQueryFromString } from '../core/http/params.ts';
import { search } from '../core/search/search.ts';
import { addCountries } from '../indexer/hierarchy.ts';
import { buildFromInputs } from '../indexer/build.ts';
import { validateRecord } from '../indexer/validate.ts';
import { article } from './helpers/memory-index.ts';

const extractor = createEntityExtractor();

describe('datelinePlace()', () => {
  it.each([
    ['SAN JOSE, Calif., Feb 26', 'San Jose, California', 'United States'],
    ['READING, Penn., Feb 26', 'Reading, Pennsylvania', 'United States'],
    ['FLORENCE, Ala.', 'Florence, Alabama', 'United States'],
    ['MORRIS TOWNSHIP, N.J., March 2', 'Morris Township, New Jersey', 'United States'],
    ['Scarborough, Ontario, Feb 26', 'Scarborough, Ontario', 'Canada'],
    ['NEW YORK, March 3', 'New York City', 'United States'],
    ['TORONTO, March 2', 'Toronto', 'Canada'],
    ['PEKING, April 1', 'Beijing', 'China'],
    ['BASLE', 'Basel', 'Switzerland'],
    ['FRANKFURT, March 3', 'Frankfurt am Main', 'Germany'],
    ['LONDON (Reuters)', 'London', 'United Kingdom'],
  ])('%j is %j in %j', (dateline, name, country) => {
    expect(datelinePlace(dateline)).toMatchObject({ name, country });
  });

  it('files a town GeoNames does not know under its qualifier', () => {
    expect(datelinePlace('KILLINGTON, Vt., March 2')).toEqual({ name: 'Killington, Vermont', kind: 'city', country: 'United States' });
  });

  it('returns null for datelines that name no place', () => {
    for (const d of ['MAR8', 'April 7', '', 'NARNIA, Feb 2', `${'X'.repeat(200)}, Calif.`]) expect(datelinePlace(d)).toBeNull();
  });
});

describe('leadingDateline()', () => {
  it('finds a wire dateline opening a body', () => {
    expect(leadingDateline('WASHINGTON, March 3 - The Treasury said')).toBe('WASHINGTON, March 3');
    expect(leadingDateline('LONDON (Reuters) - Shares fell')).toBe('LONDON');
    expect(leadingDateline('Taipei, Taiwan — Lanterns lit the sky')).toBe('Taipei, Taiwan');
  });

  it('leaves ordinary first sentences alone', () => {
    for (const b of ['The president said - no more', 'Putin said on Monday - or so', 'In 1987 - a year', '- bullet']) {
      expect(leadingDateline(b)).toBeNull();
    }
  });
});

describe('resolvePlace() with regions and qualifiers', () => {
  it('resolves region names to their country instead of namesake towns', () => {
    expect(resolvePlace('Florida')).toEqual({ name: 'Florida', kind: 'region', country: 'United States' });
    expect(resolvePlace('Ontario')).toEqual({ name: 'Ontario', kind: 'region', country: 'Canada' });
  });

  it('resolves "City, Region" and "City, Country" within the qualifier', () => {
    expect(resolvePlace('Paris, Texas')).toEqual({ name: 'Paris, Texas', kind: 'city', country: 'United States' });
    expect(resolvePlace('Paris')?.country).toBe('France');
    expect(resolvePlace('Kanata, Ontario')?.country).toBe('Canada');
    expect(resolvePlace('Washington, D.C.')).toEqual({ name: 'Washington, D.C.', kind: 'city', country: 'United States' });
  });

  it('reads state abbreviations only when asked (datelines), since "Pa" and "La" are words', () => {
    expect(resolvePlace('Reading, Pa.', { abbreviations: true })?.country).toBe('United States');
    expect(resolvePlace('Reading, Pa.')?.country).not.toBe('United States');
  });

  it('knows the former names wire copy used for cities', () => {
    expect(resolvePlace('Bombay')).toMatchObject({ name: 'Mumbai', country: 'India' });
    expect(resolvePlace('Cologne')).toMatchObject({ country: 'Germany' });
  });
});

describe('locations of an article, and the places it is about', () => {
  const filler = 'Officials gave no further details of the plan on Tuesday and said talks would go on. '.repeat(8);

  it('puts the dateline place first and files it under its country', () => {
    const { locations, about } = extractor.extract('Excelan offers shares', 'Excelan Inc said it is making an offering.', { dateline: 'SAN JOSE, Calif., Feb 26' });
    expect(locations).toEqual(['San Jose, California']);
    expect(about).toEqual(['San Jose, California']);
    const filed = addCountries(article({ id: 'x', locations, about }), resolvePlaceAmong);
    expect(filed.locations).toEqual(['San Jose, California', 'United States']);
    expect(filed.about).toEqual(['San Jose, California', 'United States']);
  });

  it('uses a dateline opening the body when the input has none', () => {
    expect(extractor.extract('', 'TOKYO, March 3 - The yen rose against the dollar.').locations).toEqual(['Tokyo']);
  });

  it('is about places in the lede and places mentioned twice, not a single passing mention late in the story', () => {
    const body = `Brazil raised its coffee export quota. ${filler} Traders in Luxembourg and Kenya took note. ${filler} Kenya may follow.`;
    const { locations, about } = extractor.extract('', body);
    expect(locations).toEqual(['Brazil', 'Luxembourg', 'Kenya']);
    expect(about).toEqual(['Brazil', 'Kenya']);
  });
});

describe('given names from the name lists', () => {
  it('finds unfamiliar given name + surname pairs that compromise misses', () => {
    const { people } = extractor.extract('', 'In the 90th minute, Belgium made a change, as Nacer Chadli replaced Axel Witsel. The keeper was Thibaut Courtois.');
    expect(people).toEqual(expect.arrayContaining(['Nacer Chadli', 'Axel Witsel', 'Thibaut Courtois']));
  });

  it('does not take captions, longer capitalized runs or institutions as people', () => {
    const { people } = extractor.extract('', 'Black Widow and Captain America Image: Nick Moreau.\n\nShe studied at the Grant Thornton Institute in Dublin.');
    for (const bad of ['America Image', 'Grant Thornton']) expect(people).not.toContain(bad);
  });
});

describe('dateline in input records', () => {
  it('accepts a dateline string and rejects other types, naming the field', () => {
    const ok = validateRecord({ id: 'a', date: '1987-02-26', body: 'x', dateline: ' SAN JOSE,  Calif. ' });
    expect(ok).toEqual({ ok: true, article: expect.objectContaining({ dateline: 'SAN JOSE, Calif.' }) });
    expect(validateRecord({ id: 'a', date: '1987-02-26', body: 'x', dateline: 7 })).toEqual({ ok: false, reason: expect.stringMatching(/dateline/) });
    expect(validateRecord({ id: 'a', date: '1987-02-26', body: 'x', dateline: 'X'.repeat(500) })).toEqual({ ok: false, reason: expect.stringMatching(/dateline/) });
  });

  it('lets location=United States find a story whose only clue is its dateline, through the real build', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ns-dateline-'));
    try {
      const file = join(dir, 'in.ndjson');
      await writeFile(file, [
        { id: 'earnings', date: '1987-02-26', title: 'EXCELAN INC 1ST QTR NET', body: 'Shr 12 cts vs ten cts. Net 1.2 mln vs 900,000.', dateline: 'SAN JOSE, Calif., Feb 26' },
        { id: 'yen', date: '1987-02-26', title: 'Yen firm', body: 'The yen rose in quiet trading.', dateline: 'TOKYO, Feb 26' },
        { id: 'coffee', date: '1987-02-27', title: 'Coffee quota', body: `Brazil raised its coffee export quota. ${'Officials gave no further details of the plan and said talks would go on. '.repeat(8)}Traders in Luxembourg took note.` },
      ].map((r) => JSON.stringify(r)).join('\n'));
      const report = await buildFromInputs({ inputs: [file], workers: 1 });
      expect(report.indexed).toBe(3);
      const index = await loadIndex(async (name) => report.bundle.files!.get(name)!);
      const us = await search(index, parseSearchParams(rawQueryFromString('location=United States')));
      expect(us.hits.map((h) => h.id)).toEqual(['earnings']);
      const all = await search(index, parseSearchParams(rawQueryFromString('')));
      expect(all.facets.location).toEqual(expect.arrayContaining([{ value: 'Japan', count: 1 }, { value: 'San Jose, California', count: 1 }]));
      // A passing mention is a location of the story, not what it is about.
      const ids = async (qs: string) => (await search(index, parseSearchParams(rawQueryFromString(qs)))).hits.map((h) => h.id);
      expect(await ids('location=Luxembourg')).toEqual(['coffee']);
      expect(await ids('about=Luxembourg')).toEqual([]);
      expect(await ids('about=Brazil')).toEqual(['coffee']);
      expect(all.facets.about).toEqual(expect.arrayContaining([{ value: 'United States', count: 1 }, { value: 'Brazil', count: 1 }]));
      expect(all.facets.about.map((f) => f.value)).not.toContain('Luxembourg');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
