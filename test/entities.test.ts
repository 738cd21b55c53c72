import { describe, expect, it } from 'vitest';
import { canonicalPerson, canonicalPlace, createEntityExtractor, resolvePlace } from '../lib/entities/index.ts';

// One extractor for the file, as the build uses it: gazetteers load once, extract() is reused.
const extractor = createEntityExtractor();
const extract = (title: string, body: string) => extractor.extract(title, body);

// Written for this test; it reproduces the traps of the 2021-11-23 seed article in other words.
const TITLE = 'Putin hosts Abbas for talks on the Middle East';
const BODY = [
  'On Monday, Russian President Vladimir Putin restated his government\'s view on Palestine, saying that the',
  'future of the Western Asian country must follow earlier UN Security Council resolutions. Putin\'s comments came',
  'as he received his Palestinian counterpart Mahmoud Abbas in Sochi. Putin told Abbas that Moscow would keep',
  'working toward peace.',
  '',
  'Putin-Abbas held a telephone call last December',
  '',
  'In that call Putin spoke of Russia\'s readiness to help end the Palestinian-Israeli conflict. Mohammad Dahlan,',
  'a rival of President Abbas, travelled to Moscow this month to meet Russian Foreign Minister Sergey Bogdonav.',
  'Palestine hopes the US keeps its promises: as the US President, Joe Biden\'s administration treats Palestine',
  'as a partner and backs a two-state answer to the Israel-Palestine dispute. Putin last visited Bethlehem in',
  'January 2020.',
].join('\n');

describe('extract() on a seed-like article', () => {
  const { people, locations } = extract(TITLE, BODY);

  it('finds the full names, titles and possessives stripped, in order of first mention', () => {
    expect(people).toEqual(['Vladimir Putin', 'Mahmoud Abbas', 'Mohammad Dahlan', 'Sergey Bogdonav', 'Joe Biden']);
  });

  it('never yields a surname alone, a given-name fragment or a hyphen compound', () => {
    for (const bad of ['Putin', 'Abbas', 'Joe', 'Putin-Abbas', "Putin's", 'President Vladimir Putin', 'Biden']) {
      expect(people).not.toContain(bad);
    }
  });

  it('finds countries and gazetteer cities, in order of first mention', () => {
    expect(locations).toEqual(['Palestine', 'Sochi', 'Moscow', 'Russia', 'United States', 'Israel', 'Bethlehem']);
  });

  it('rejects demonyms and descriptions as places', () => {
    for (const bad of ['Russian', 'Palestinian', 'Israeli', 'Western Asian country', 'Middle East', 'UN']) {
      expect(locations).not.toContain(bad);
    }
  });

  it('is repeatable: the extractor keeps no state between calls', () => {
    expect(extract(TITLE, BODY)).toEqual({ people, locations });
  });
});

describe('extract(): places', () => {
  it('folds US, U.S., USA and the long forms into "United States"', () => {
    const body = 'Officials in the US said. The U.S. agreed. USA Today is a paper. The United States of America and the United States.';
    expect(extract('', body).locations).toEqual(['United States']);
  });

  it('uses world-countries common names for official names and alternative spellings', () => {
    const body = 'Talks between the Russian Federation, the Republic of Turkey and the UK resumed.';
    expect(extract('', body).locations).toEqual(['Russia', 'Türkiye', 'United Kingdom']);
  });

  it('scans hyphenated compounds for countries but not for demonyms', () => {
    expect(extract('', 'The Israel-Palestine dispute continues.').locations).toEqual(['Israel', 'Palestine']);
    expect(extract('', 'The Palestinian-Israeli conflict continues.').locations).toEqual([]);
  });

  it('does not read qualified names as the bare country ("New Jersey", "Northern Ireland")', () => {
    expect(extract('', 'She moved from New Jersey to Northern Ireland.').locations).toEqual([]);
  });

  it('does not take months, currency prefixes or words of a person name as places', () => {
    const body = 'The deal closes in March. It cost US$ 20 million. Michael Jordan sued the company, and Jordan said he ' +
      'was misled. Paris Hilton arrived and Paris waved.';
    expect(extract('', body).locations).toEqual([]);
  });

  it('does not take ordinary words or company names that are also towns', () => {
    const body = 'Reading the report, analysts at the Federal Reserve said the Union Carbide deal was Nice work.';
    expect(extract('', body).locations).toEqual([]);
  });

  it('accepts a small city with locative context and a known city anywhere', () => {
    expect(extract('', 'Leaders met in Sochi on Friday.').locations).toEqual(['Sochi']);
    expect(extract('', 'Lisbon and Moscow signed the accord.').locations).toEqual(['Lisbon', 'Moscow']);
  });

  it('ignores an all-caps title (Reuters headlines) but reads the body', () => {
    expect(extract('JAPAN SAYS U.S. TRADE TALKS IN TOKYO WENT WELL', 'Trade officials met in Tokyo.'))
      .toEqual({ people: [], locations: ['Tokyo'] });
  });
});

describe('extract(): people', () => {
  it('folds a surname-only mention into the full name of the same article', () => {
    const body = 'Chancellor Angela Merkel spoke first. Later, Merkel said the plan would work.';
    expect(extract('', body).people).toEqual(['Angela Merkel']);
  });

  it('orders a folded person by the earliest of its mentions (the title counts first)', () => {
    expect(extract('Macron visits Berlin', 'French President Emmanuel Macron arrived on Sunday.').people)
      .toEqual(['Emmanuel Macron']);
  });

  it('keeps hyphenated given names and surnames whole', () => {
    expect(extract('', 'North Korean leader Kim Jong-un met the delegation.').people).toEqual(['Kim Jong-un']);
  });

  it('drops company names that look like people', () => {
    expect(extract('', 'McDonnell Douglas Corp said it won the contract.').people).toEqual([]);
  });

  it('drops a hyphen compound whose parts match no one in the article', () => {
    expect(extract('', 'The Smith-Jones talks were held in secret.').people).toEqual([]);
  });
});

describe('canonicalPlace()', () => {
  it.each([
    ['U.S.', 'United States'],
    ['US', 'United States'],
    ['usa', 'United States'],
    ['United States of America', 'United States'],
    ['moscow', 'Moscow'],
    ['  Sochi ', 'Sochi'],
    ['UK', 'United Kingdom'],
    ['State of Palestine', 'Palestine'],
    ['Turkey', 'Türkiye'],
    ['Burma', 'Myanmar'],
    ['Russia\'s', 'Russia'],
    ['  Narnia  Town ', 'Narnia Town'],
  ])('%j -> %j', (input, expected) => {
    expect(canonicalPlace(input)).toBe(expected);
  });
});

describe('canonicalPerson()', () => {
  it.each([
    ['President Vladimir Putin', 'Vladimir Putin'],
    ["Putin's", 'Putin'],
    ['  Joe   Biden ', 'Joe Biden'],
    ['"Mahmoud Abbas"', 'Mahmoud Abbas'],
    ['Mr. Smith', 'Smith'],
    ['Russian Foreign Minister Sergey Lavrov', 'Sergey Lavrov'],
    ['French Stewart', 'French Stewart'],
    ['President', 'President'],
  ])('%j -> %j', (input, expected) => {
    expect(canonicalPerson(input)).toBe(expected);
  });
});

describe('resolvePlace()', () => {
  it('knows countries, with themselves as country', () => {
    expect(resolvePlace('Russia')).toEqual({ name: 'Russia', kind: 'country', country: 'Russia' });
    expect(resolvePlace('U.S.A.')).toEqual({ name: 'United States', kind: 'country', country: 'United States' });
  });

  it('knows cities and their canonical country', () => {
    expect(resolvePlace('Sochi')).toEqual({ name: 'Sochi', kind: 'city', country: 'Russia' });
    expect(resolvePlace('lisbon')).toEqual({ name: 'Lisbon', kind: 'city', country: 'Portugal' });
  });

  it('prefers the administratively prominent city among namesakes', () => {
    expect(resolvePlace('Bethlehem')).toEqual({ name: 'Bethlehem', kind: 'city', country: 'Palestine' });
    expect(resolvePlace('Moscow')?.country).toBe('Russia');
  });

  it('prefers the exact spelling over an accented namesake', () => {
    expect(resolvePlace('Santa Barbara')).toEqual({ name: 'Santa Barbara', kind: 'city', country: 'United States' });
  });

  it('does not resolve region names to namesake towns (Florida is not a town in Uruguay)', () => {
    expect(resolvePlace('Florida')).toBeNull();
    expect(canonicalPlace('florida')).toBe('Florida');
  });

  it('returns null for ambiguous short forms, unknown names and demonyms', () => {
    expect(resolvePlace('Korea')).toBeNull();
    expect(resolvePlace('Narnia')).toBeNull();
    expect(resolvePlace('Russian')).toBeNull();
    expect(resolvePlace('')).toBeNull();
  });
});
