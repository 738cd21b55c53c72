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
  /** The subset of `locations` the story is about: dateline, title, lede, or mentioned twice (`LEDE_CHARS`). */
  about: string[];
  /**
   * Names of `people` this article also uses as an organization ("Merrill Lynch and Co"); absent when none.
   * `dropCorpusInstitutions` weighs them across the archive.
   */
  institutions?: string[];
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
  /**
   * People and locations found in title and body, canonical, deduplicated, sorted by first mention (the
   * dateline's place first), and the locations the story is about (see `LEDE_CHARS`).
   */
  extract(title: string, body: string, options?: ExtractOptions): ExtractedEntities;
}

export interface ExtractOptions {
  /**
   * Where the story was filed ("SAN JOSE, Calif., Feb 26"), from the input's `dateline` field. Without it, a
   * dateline opening the body ("LONDON (Reuters) - ...") is used.
   */
  dateline?: string;
}

/** What the gazetteer knows about a place name. */
export interface PlaceInfo {
  /**
   * Canonical name: world-countries `name.common` for countries, the country-region-data name for regions
   * ("California"), the GeoNames name for cities, "City, Region" for a city named with its qualifier.
   */
  name: string;
  kind: 'country' | 'region' | 'city';
  /**
   * Canonical name of the country the place lies in. For a country this is its own name; `null` only when a
   * city's country code is not in world-countries.
   */
  country: string | null;
}
