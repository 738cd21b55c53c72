/**
 * Public shapes of the entity extractor (person and location facets).
 * Plain data only, so results can cross worker-thread and process boundaries.
 */

/** People and locations found in one article. */
export interface ExtractedEntities {
  /** Canonical person names, deduplicated, in order of first mention (title before body). */
  people: string[];
  /** Canonical place names (countries by world-countries `name.common`, cities by GeoNames name), same order rule. */
  locations: string[];
}

/**
 * A reusable extractor. Build it once with `createEntityExtractor()` and call `extract` per article.
 *
 * @example
 * const extractor = createEntityExtractor();
 * extractor.extract('Putin meets Abbas', "Russian President Vladimir Putin met Mahmoud Abbas in Sochi.");
 * // { people: ['Vladimir Putin', 'Mahmoud Abbas'], locations: ['Sochi'] }
 */
export interface EntityExtractor {
  /** People and locations found in title and body, canonical, deduplicated, sorted by first mention. */
  extract(title: string, body: string): ExtractedEntities;
}

/** What the gazetteer knows about a place name. */
export interface PlaceInfo {
  /** Canonical name: world-countries `name.common` for countries, the GeoNames name for cities. */
  name: string;
  kind: 'country' | 'city';
  /**
   * Canonical name of the country the place lies in. For a country this is its own name; `null` only when a
   * city's country code is not in world-countries.
   */
  country: string | null;
}
