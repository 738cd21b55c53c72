// Entity extraction for the person and location facets.
export { resolveCorpusAliases } from './corpus-aliases.ts';
export { dropCorpusInstitutions } from './corpus-institutions.ts';
export { createEntityExtractor } from './extract.ts';
export { canonicalPlace, COUNTRY_NAMESAKE_REGIONS, regionalReading, resolvePlace, resolvePlaceAmong } from './gazetteer.ts';
export { presentDayCountry } from './historical.ts';
export { canonicalPerson } from './person-name.ts';
export { datelinePlace, leadingDateline } from './dateline.ts';
export type { EntityExtractor, ExtractedEntities, ExtractOptions, PlaceInfo } from './types.ts';
