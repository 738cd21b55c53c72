/**
 * Counting and name matching shared by the entity evaluations. Scores are micro-averaged over
 * (article, entity) pairs: every article's true positives, false positives and misses are summed first.
 */

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Score extends Counts {
  precision: number;
  recall: number;
  f1: number;
}

export const zero = (): Counts => ({ tp: 0, fp: 0, fn: 0 });

export function add(into: Counts, c: Counts): void {
  into.tp += c.tp;
  into.fp += c.fp;
  into.fn += c.fn;
}

/** Precision and recall of an empty side count as 1, so a facet with nothing to find and nothing found is perfect. */
export function score(c: Counts): Score {
  const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...c, precision, recall, f1 };
}

/**
 * Comparison key for a name: Wikipedia's disambiguator dropped ("Helena Wong (politician)"), accents folded,
 * lower case, dots and apostrophes dropped, hyphens and spaces collapsed. "Steven F. Udvar-Házy" and
 * "Steven F Udvar Hazy" share a key; "Cres Eastman" and "Creswell Eastman" do not.
 */
export function matchKey(name: string): string {
  return name
    .replace(/\s*\([^)]*\)\s*/g, ' ')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[.'’‘`]/g, '')
    .replace(/[\s\-–,]+/g, ' ')
    .trim();
}

/**
 * Matches predictions to gold entities, each gold entity at most once. A gold entity is a set of accepted keys
 * (its title and the other spellings the rule allows). Predictions that match an entity already taken are
 * duplicates and count as false positives: a facet should hold one value per entity. Predictions in `neutral`
 * (real entities the gold set leaves out on purpose) count neither way.
 */
/**
 * Does a prediction name this gold entity? Its key is one of the entity's forms, or (with `partial`, for
 * people) two or more whole words inside one of them: "Chris Gregoire" in "Governor of Washington Chris
 * Gregoire", "Ron Hubbard" in "L. Ron Hubbard", "Raymond Chan" in "Raymond Chan Chi-chuen".
 */
function names(key: string, forms: Set<string>, partial: boolean): boolean {
  if (forms.has(key)) return true;
  if (!partial || !key.includes(' ')) return false;
  for (const f of forms) if (` ${f} `.includes(` ${key} `)) return true;
  return false;
}

export function matchSets(predicted: string[], gold: Set<string>[], neutral: Set<string> = new Set(), partial = false): Counts & {
  falsePositives: string[];
  misses: number[];
} {
  const taken = new Set<number>();
  const falsePositives: string[] = [];
  let tp = 0;
  for (const p of predicted) {
    const key = matchKey(p);
    const i = gold.findIndex((forms, j) => !taken.has(j) && names(key, forms, partial));
    if (i >= 0) {
      taken.add(i);
      tp++;
    } else if (!neutral.has(key)) {
      falsePositives.push(p);
    }
  }
  const misses = gold.map((_, j) => j).filter((j) => !taken.has(j));
  return { tp, fp: falsePositives.length, fn: misses.length, falsePositives, misses };
}
