import { describe, expect, it } from 'vitest';
import { withStockSweep } from '../indexer/entities/fast-sweep.ts';
import { focusText, isCue, keptTokens } from '../indexer/entities/focus.ts';
import { foldPeople } from '../indexer/entities/fold.ts';
import { getGazetteer } from '../indexer/entities/gazetteer.ts';
import {
  canonicalPerson,
  canonicalPlace,
  createEntityExtractor,
  presentDayCountry,
  resolveCorpusAliases,
  resolvePlace,
} from '../indexer/entities/index.ts';
import { findPersonMentions } from '../indexer/entities/people.ts';
import { tag } from '../indexer/entities/tagger.ts';
import { articleText } from '../indexer/entities/text.ts';
import { tokenize } from '../indexer/entities/tokens.ts';

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
    expect(people).toContain('Vladimir Putin'); // not vacuous: there are people to look through
    for (const bad of ['Putin', 'Abbas', 'Joe', 'Putin-Abbas', "Putin's", 'President Vladimir Putin', 'Biden']) {
      expect(people).not.toContain(bad);
    }
  });

  it('finds countries and gazetteer cities, in order of first mention', () => {
    expect(locations).toEqual(['Palestine', 'Sochi', 'Moscow', 'Russia', 'United States', 'Israel', 'Bethlehem']);
  });

  it('says what the story is about: the lede\'s places, not the passing mentions at its end', () => {
    expect(extractor.extract(TITLE, BODY).about).toEqual(['Palestine', 'Sochi', 'Moscow', 'Russia', 'United States']);
  });

  it('rejects demonyms and descriptions as places', () => {
    expect(locations).toContain('Palestine'); // not vacuous: there are places to look through
    for (const bad of ['Russian', 'Palestinian', 'Israeli', 'Western Asian country', 'Middle East', 'UN']) {
      expect(locations).not.toContain(bad);
    }
  });

  it('is repeatable: the extractor keeps no state between calls', () => {
    // Self-contained: its own extractor, and a probe article whose answer would change if anything
    // learnt from the seed article (its full names, its places) carried over to the next call.
    const own = createEntityExtractor();
    const probe = () => own.extract('', 'Abbas met Putin in Sochi on Monday.');
    const alone = { people: ['Abbas', 'Putin'], locations: ['Sochi'], about: ['Sochi'] };
    expect(probe()).toEqual(alone);
    const first = own.extract(TITLE, BODY);
    expect(first.people).toEqual(['Vladimir Putin', 'Mahmoud Abbas', 'Mohammad Dahlan', 'Sergey Bogdonav', 'Joe Biden']);
    expect(probe()).toEqual(alone);
    expect(own.extract(TITLE, BODY)).toEqual(first);
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
      .toEqual({ people: [], locations: ['Tokyo'], about: ['Tokyo'] });
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
    expect(resolvePlace('Florida')?.country).toBe('United States');
    expect(canonicalPlace('florida')).toBe('Florida');
  });

  it('returns null for ambiguous short forms, unknown names and demonyms', () => {
    expect(resolvePlace('Korea')).toBeNull();
    expect(resolvePlace('Narnia')).toBeNull();
    expect(resolvePlace('Russian')).toBeNull();
    expect(resolvePlace('')).toBeNull();
  });
});

describe('articleText(): hard-wrapped newswire', () => {
  it('joins wrapped lines without moving any character, keeping paragraphs and short table lines', () => {
    const body = 'Treasury Secretary James Baker told reporters on Friday that\nthe dollar had fallen far enough, officials said.\n    A new paragraph.\nShr 12 cts\nNet 5 mln';
    const text = articleText('', body);
    expect(text.length).toBe(body.length);
    expect(text).toContain('that the dollar');
    expect(text).toContain('\n    A new paragraph.\nShr 12 cts\nNet 5 mln');
  });

  it('reads a name broken across a line wrap as one name', () => {
    const body = 'The meeting was attended by Treasury Secretary James\nBaker and his Japanese counterpart in Paris.';
    expect(extract('', body).people).toEqual(['James Baker']);
  });
});

describe('speed: compromise reads only the words around possible names (focus.ts)', () => {
  const gaz = getGazetteer();
  const prepared = (body: string) => {
    const text = articleText('', body);
    const tokens = tokenize(text);
    return { text, tokens, kept: keptTokens(text, tokens, gaz) };
  };

  it('keeps every kept word at its offset and blanks the rest with spaces and line breaks', () => {
    const { text, tokens, kept } = prepared(BODY);
    const focused = focusText(text, tokens, kept)!;
    expect(focused.length).toBe(text.length);
    // Both branches below are exercised: some words kept, some blanked.
    expect(kept.filter(Boolean).length).toBeGreaterThan(0);
    expect(kept.filter(Boolean).length).toBeLessThan(tokens.length);
    expect(kept).toHaveLength(tokens.length);
    tokens.forEach((t, i) => {
      if (kept[i]) expect(focused.slice(t.start, t.end)).toBe(t.text);
      else expect(focused.slice(t.start, t.end).trim()).toBe('');
    });
  });

  it('keeps names, cities and their context, not months, titles, countries, demonyms or ordinary words', () => {
    const body = 'In March the Russian government and Japan said trade rose. The report was read by President Vladimir Putin in Sochi.';
    const { tokens, kept, text } = prepared(body);
    const cues = tokens.filter((_, i) => isCue(text, tokens, i, gaz)).map((t) => t.text);
    expect(cues).toEqual(['Vladimir', 'Putin', 'Sochi.']);
    const keptWords = tokens.filter((_, i) => kept[i]).map((t) => t.text);
    expect(keptWords).toContain('President');
    expect(keptWords).not.toContain('March');
  });

  it('skips compromise when nothing can be a name, and finds countries without it', () => {
    const { text, tokens, kept } = prepared('Exports to Japan rose 12 pct in the first quarter, the ministry said.');
    expect(focusText(text, tokens, kept)).toBeNull();
    expect(extract('', 'Exports to Japan rose 12 pct in the first quarter, the ministry said.').locations).toEqual(['Japan']);
  });

  it('finds the same people and places with and without the focus', () => {
    for (const body of [BODY, 'Chancellor Angela Merkel spoke in Berlin. Later, Merkel met Emmanuel Macron in Paris, officials said.']) {
      const { text } = prepared(body);
      const full = tag(text);
      const expected = foldPeople(findPersonMentions(full.people(), gaz));
      expect(expected.length, body.slice(0, 30)).toBeGreaterThan(0); // equal because both found people, not both none
      expect(extract('', body).people).toEqual(expected);
    }
  });

  it('tags exactly as stock compromise with the faster sweep', () => {
    const sig = (t: string) => JSON.stringify(tag(t).json().map((s: { terms: { tags: string[] }[] }) => s.terms.map((x) => x.tags)));
    for (const t of [BODY, 'Romelu Lukaku, Yannick Carrasco, and Dries Mertens played for Belgium in Sochi on Monday.']) {
      expect(sig(t)).toBe(withStockSweep(() => sig(t)));
    }
  });
});

describe('extract(): former countries of older news', () => {
  it('knows the Soviet Union, West Germany and East Germany by name and abbreviation', () => {
    const body = 'Trade between the USSR and West Germany grew, while East Germany and the Soviet Union signed a pact.';
    expect(extract('', body).locations).toEqual(['Soviet Union', 'West Germany', 'East Germany']);
  });

  it('does not take their demonyms as places', () => {
    expect(extract('', 'Soviet officials met West German bankers and East German traders.').locations).toEqual([]);
  });

  it('maps former states to the present-day state that continues them', () => {
    expect(presentDayCountry('Soviet Union')).toBe('Russia');
    expect(presentDayCountry('West Germany')).toBe('Germany');
    expect(presentDayCountry('France')).toBe('France');
    expect(canonicalPlace('west-germany')).toBe('West Germany');
    expect(canonicalPlace('Zaire')).toBe('DR Congo');
  });
});

describe('extract(): names compromise does not tag (name-rules.ts)', () => {
  it('takes two or three name words after a role noun or a title', () => {
    expect(extract('', "Tunisia's goalkeeper Mouez Hassen was replaced in the first half.").people).toEqual(['Mouez Hassen']);
    expect(extract('', "Malaysia's Prime Minister, Najib Razak said the navy would help.").people).toEqual(['Najib Razak']);
  });

  it('takes a surname before a hyphenated given name, not a place before a hyphenated word', () => {
    expect(extract('', "The camp's Kwok Ka-ki won a seat, and Kwok thanked voters.").people).toEqual(['Kwok Ka-ki']);
    expect(extract('', 'The Hong Kong-based company said profits rose.').people).toEqual([]);
  });

  it('takes names listed with a known person, but not institutions after a determiner', () => {
    expect(extract('', 'Belgium attacked with Romelu Lukaku, Yannick Carrasco, and Helmut Newton on Monday.').people)
      .toEqual(['Romelu Lukaku', 'Yannick Carrasco', 'Helmut Newton']);
    expect(extract('', 'Alvin Yeung from the Civic Party, Fernando Cheung and others won.').people)
      .toEqual(['Alvin Yeung', 'Fernando Cheung']);
  });

  it('folds a full name with a descriptor in front into the plain full name', () => {
    const body = 'A video featuring Scientologist Tom Cruise was removed. Tom Cruise did not comment.';
    expect(extract('', body).people).toEqual(['Tom Cruise']);
  });

  it('ends a name before a capitalized function word that starts the next sentence', () => {
    const people = extract('', "New People Party's Regina Ip In the Hong Kong Island constituency, turnout rose.").people;
    expect(people.length).toBeGreaterThan(0); // a name was found, and it does not run on into "In"
    expect(people.some((p) => / In$/.test(p))).toBe(false);
  });
});

describe('resolveCorpusAliases()', () => {
  it('files people given as slugs under the full name found in the text, hyphens ignored', () => {
    const articles = [
      { people: ['james-baker', 'James Baker'] },
      { people: ['james-baker'] },
      { people: ['James Baker', 'Robin Leigh-Pemberton'] },
      { people: ['leigh-pemberton', 'von-weizsaecker', 'Richard von Weizsaecker'] },
      { people: ['baker', 'Howard Baker'] },
      { people: ['de-la-madrid', 'subroto'] },
    ];
    resolveCorpusAliases(articles);
    expect(articles.map((a) => a.people)).toEqual([
      ['James Baker'],
      ['James Baker'],
      ['James Baker', 'Robin Leigh-Pemberton'],
      ['Robin Leigh-Pemberton', 'Richard von Weizsaecker'],
      // Two Bakers in similar numbers: the slug is only read as a name.
      ['Baker', 'Howard Baker'],
      // Nothing to match: read as words in name case, particles kept low.
      ['de la Madrid', 'Subroto'],
    ]);
  });

  it('files a lone surname under the one full name the corpus knows for it', () => {
    const articles = [{ people: ['Paul Volcker'] }, { people: ['Volcker', 'Nakasone'] }, { people: ['Paul Volcker'] }];
    resolveCorpusAliases(articles);
    expect(articles.map((a) => a.people)).toEqual([['Paul Volcker'], ['Paul Volcker', 'Nakasone'], ['Paul Volcker']]);
  });

  it('leaves a surname alone when two full names share it in similar numbers', () => {
    const articles = [{ people: ['James Baker'] }, { people: ['Howard Baker'] }, { people: ['Baker'] }];
    resolveCorpusAliases(articles);
    expect(articles[2]!.people).toEqual(['Baker']);
  });

  it('merges spellings and middle initials into the variant most articles use, keeping order and dropping duplicates', () => {
    const articles = [
      { people: ['Paul A. Volcker', 'James Baker'] },
      { people: ['Paul Volcker'] },
      { people: ['PAUL VOLCKER'] },
      { people: ['Paul Volcker', 'Volcker', 'Scientologist Tom Cruise', 'Tom Cruise'] },
      { people: ['Tom Cruise'] },
    ];
    resolveCorpusAliases(articles);
    expect(articles[0]!.people).toEqual(['Paul Volcker', 'James Baker']);
    expect(articles[3]!.people).toEqual(['Paul Volcker', 'Tom Cruise']);
  });
});

describe('extract(): what the sample archive taught (test/examples.test.ts)', () => {
  it('does not read continents as the towns GeoNames gives their names ("Asia", Philippines)', () => {
    const { locations } = extract('Bond sale', 'The bonds were placed mainly in Europe, the Middle East and Asia, the ministry in Warsaw said.');
    expect(locations).toEqual(['Warsaw']);
    expect(resolvePlace('Asia')).toBeNull();
  });

  it('does not take a currency for its country ("US dollars", "U.S. dlrs"), but the country itself still counts', () => {
    expect(extract('Stadium', 'The club in Lisbon said the project costs 45 million US dollars.').locations).toEqual(['Lisbon']);
    expect(extract('Profit', 'Net profit was 12 mln U.S. dlrs, the company in Toronto said.').locations).toEqual(['Toronto']);
    expect(extract('Bonds', 'Investors in the US bought 40 percent of the bonds sold in Warsaw.').locations).toEqual(['United States', 'Warsaw']);
  });

  it('takes the next items of a list that began with a place ("to Mombasa and Kisumu", "near Poznań and Łódź")', () => {
    expect(extract('Sensors', 'The institute plans to expand the network to Mombasa and Kisumu next year.').locations).toEqual(['Mombasa', 'Kisumu']);
    expect(extract('Rail', 'Funds will modernise rail sidings near Poznań and Łódź.').locations).toEqual(['Poznań', 'Łódź']);
    expect(extract('Trial', 'Yields were compared on plots in Machakos, Kitui and Makueni counties.').locations).toEqual(['Machakos', 'Kitui']);
    // A single word out of a list still needs its own context.
    expect(extract('Rail', 'Kisumu and Mombasa grew.').locations).not.toContain('Kisumu');
  });

  it('counts a list of places that starts in the lede as in the lede', () => {
    const lede = 'The festival opened on Friday in Toronto. '.padEnd(480, 'x ');
    const { about } = extract('Festival', `${lede}We have stages in Scarborough, North York and Etobicoke this year.`);
    expect(about).toEqual(expect.arrayContaining(['Toronto', 'Scarborough', 'North York', 'Etobicoke']));
  });

  it('reads "the Chilean port of San Antonio" and "the Lisbon district of Belém" as the namesakes there', () => {
    const chile = extract('Hydrogen', 'The delegation visited the Chilean port of San Antonio on Tuesday. San Antonio ships copper.');
    expect(chile.locations).toEqual(['San Antonio, Chile']);
    expect(resolvePlace('San Antonio, Chile')).toEqual({ name: 'San Antonio, Chile', kind: 'city', country: 'Chile' });
    const lisbon = extract('Tram line to Belém', 'The line will run from the western Lisbon district of Belém to the east.');
    expect(lisbon.locations).toEqual(['Belém, Portugal', 'Lisbon']);
    expect(resolvePlace('Belém, Portugal')?.country).toBe('Portugal');
    // A qualifier that agrees with the usual reading changes nothing.
    expect(extract('Port', 'Ships reached the Japanese port of Osaka.').locations).toEqual(['Osaka']);
    expect(extract('Belém', 'Flights reached the Brazilian city of Belém.').locations).toEqual(['Belém']);
  });

  it('does not take a square named after someone for that person ("Nathan Phillips Square")', () => {
    expect(extract('Jazz', 'Councillor Priya Raman introduced the concert at Nathan Phillips Square.').people).toEqual(['Priya Raman']);
    expect(extract('Jazz', 'Nathan Phillips spoke at Nathan Phillips Square.').people).toEqual(['Nathan Phillips']);
  });
});
