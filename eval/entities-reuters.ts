/**
 * Places on Reuters-21578, whose gold `places` are country codes ("usa", "west-germany", "ussr"). A code means
 * the story concerns that country, whether or not the text names it.
 *
 * Rule: every extracted location is mapped to its country (a country to itself, a city to the country it lies
 * in), gold codes are decoded to country names through the same gazetteer, and both sides are compared as
 * present-day states (West Germany and Germany are one; see `presentDayCountry`). Extraction sees what a
 * build reads from an input record: title, body and the dateline ("SAN JOSE, Calif., Feb 26", where the story
 * was filed); the gold labels are never passed in. Codes the gazetteer cannot decode count as misses and are
 * listed.
 */
import { presentDayCountry } from '../indexer/entities/historical.ts';
import { resolvePlace } from '../indexer/entities/index.ts';
import type { Counts } from './entities-score.ts';

export interface ReutersArticle {
  id: string;
  title: string;
  body: string;
  places: string[];
  /** People the story is about, as slugs ("james-baker", "volcker"); scored in entities-people.ts. */
  people: string[];
  dateline?: string;
}

export interface ReutersResult extends Counts {
  /** Gold codes with no country in the gazetteer, with how often they occur. */
  undecoded: Map<string, number>;
  /** Per present-day country: [gold count, found count], for the per-country table. */
  perCountry: Map<string, [number, number]>;
  /** Extracted countries that no gold code asked for, with counts. */
  extra: Map<string, number>;
}

/**
 * Reuters codes that are abbreviations or contractions rather than names. Everything else decodes by turning
 * hyphens into spaces ("south-korea" -> "south korea") and asking the gazetteer.
 */
const CODE_NAMES: Record<string, string> = {
  'yemen-arab-republic': 'North Yemen',
  'yemen-demo-republic': 'South Yemen',
  'trinidad-tobago': 'Trinidad and Tobago',
  'us-virgin-islands': 'United States Virgin Islands',
};

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

/** Present-day country of a gold code, or null when the gazetteer does not know it. */
export function decodeCode(code: string): string | null {
  const hit = resolvePlace(CODE_NAMES[code] ?? code.replace(/-/g, ' '));
  return hit?.kind === 'country' && hit.country ? presentDayCountry(hit.country) : null;
}

/** Present-day country of an extracted location, or null for a place in no known country. */
export function countryOfLocation(location: string): string | null {
  const country = resolvePlace(location)?.country;
  return country ? presentDayCountry(country) : null;
}

export function scoreReuters(articles: ReutersArticle[], locations: string[][]): ReutersResult {
  const out: ReutersResult = { tp: 0, fp: 0, fn: 0, undecoded: new Map(), perCountry: new Map(), extra: new Map() };
  articles.forEach((a, k) => {
    const gold = new Set<string>();
    for (const code of a.places) {
      const country = decodeCode(code);
      if (country) gold.add(country);
      else {
        bump(out.undecoded, code);
        out.fn++;
      }
    }
    const found = new Set(locations[k]!.map(countryOfLocation).filter((c): c is string => c !== null));
    for (const c of gold) {
      const row = out.perCountry.get(c) ?? [0, 0];
      row[0]++;
      if (found.has(c)) {
        row[1]++;
        out.tp++;
      } else out.fn++;
      out.perCountry.set(c, row);
    }
    for (const c of found) {
      if (gold.has(c)) continue;
      out.fp++;
      bump(out.extra, c);
    }
  });
  return out;
}
