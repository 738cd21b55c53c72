/**
 * Former countries that archives of older news name constantly but that world-countries (today's states) lacks:
 * a 1987 wire story about "the Soviet Union" or "West Germany" should be filed under that name, not be missed,
 * and not be rewritten into today's state. Each is its own facet value; `successor` says which present-day
 * state continues it, for callers that compare across eras (the Reuters evaluation does).
 */

export interface HistoricalState {
  /** Canonical facet value. */
  name: string;
  /** Other names and abbreviations used in English news text. */
  aliases: string[];
  /** world-countries `name.common` of the state that continues it, when one clearly does. */
  successor: string | null;
  /** English demonyms ("Soviet", "West German"), rejected as places like any other demonym. */
  demonyms: string[];
}

export const HISTORICAL_STATES: readonly HistoricalState[] = [
  {
    name: 'Soviet Union',
    aliases: ['USSR', 'U.S.S.R.', 'Union of Soviet Socialist Republics'],
    successor: 'Russia',
    demonyms: ['Soviet', 'Soviets'],
  },
  { name: 'West Germany', aliases: [], successor: 'Germany', demonyms: ['West German', 'West Germans'] },
  {
    name: 'East Germany',
    aliases: ['German Democratic Republic'],
    successor: 'Germany',
    demonyms: ['East German', 'East Germans'],
  },
  { name: 'Yugoslavia', aliases: [], successor: null, demonyms: ['Yugoslav', 'Yugoslavs', 'Yugoslavian'] },
  { name: 'Czechoslovakia', aliases: [], successor: null, demonyms: ['Czechoslovak', 'Czechoslovaks'] },
  { name: 'North Yemen', aliases: ['Yemen Arab Republic'], successor: 'Yemen', demonyms: [] },
  { name: 'South Yemen', aliases: ["People's Democratic Republic of Yemen"], successor: 'Yemen', demonyms: [] },
];

/** Names under which a present-day state was known in older news, as extra aliases of that state. */
export const FORMER_NAMES: Readonly<Record<string, string[]>> = {
  'DR Congo': ['Zaire'],
  Cambodia: ['Kampuchea'],
};

const successors = new Map(HISTORICAL_STATES.map((s) => [s.name, s.successor]));

/**
 * The present-day state that continues a former one, or the name itself.
 *
 * @example presentDayCountry('Soviet Union') // 'Russia'
 * @example presentDayCountry('France')       // 'France'
 */
export function presentDayCountry(name: string): string {
  return successors.get(name) ?? name;
}

/**
 * Former and English names of cities (GeoNames' main names are the current local ones): 1980s wire copy files
 * from "PEKING" and "BOMBAY". Each is an extra name of the city, never its facet value.
 */
export const FORMER_CITY_NAMES: Readonly<Record<string, string[]>> = {
  Beijing: ['Peking'],
  Mumbai: ['Bombay'],
  Chennai: ['Madras'],
  Kolkata: ['Calcutta'],
  Yangon: ['Rangoon'],
  'Ho Chi Minh City': ['Saigon'],
  'Saint Petersburg': ['Leningrad'],
  Basel: ['Basle'],
  Düsseldorf: ['Duesseldorf'],
  Zürich: ['Zuerich'],
  Köln: ['Cologne'],
};
