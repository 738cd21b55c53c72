/**
 * One canonical value per person across an archive. Extraction works one article at a time, so an article
 * that only says "Volcker" files him under "Volcker", another under "Paul Volcker", a third under
 * "Paul A. Volcker". This pass runs once over the whole corpus, after extraction and before bundling:
 * - variants with the same first and last word ("Paul Volcker", "Paul A. Volcker"), or differing only in case
 *   and accents, become the variant most articles use;
 * - a full name behind a descriptor ("Scientologist Tom Cruise") becomes the full name when that is known;
 * - a lone surname ("Volcker") becomes the full name that ends with it, when one full name accounts for at
 *   least `DOMINANCE` of the articles naming any such person ("Baker" stays "Baker" in an archive that has
 *   both James Baker and Howard Baker in similar numbers);
 * - a name given as a slug ("james-baker", "leigh-pemberton", "conable", as Reuters-21578 lists people) becomes
 *   the full name found in the text whose words end with the slug's, hyphens ignored ("James Baker", "Robin
 *   Leigh-Pemberton", "Barber Conable"), under the same dominance rule; otherwise it is read as words in name case.
 */
import { personKey } from './normalize.ts';
import { isSlug, nameFromSlug } from './person-name.ts';

/** Share of the candidates' articles a full name needs before a lone surname is filed under it. */
export const DOMINANCE = 0.8;

const GENERATION = /^(?:jr|sr|ii|iii|iv)\.?$/;

interface Variant {
  name: string;
  keys: string[];
  articles: number;
}

/** Article counts per spelling and per key; the spelling most articles use stands for its key. */
function countVariants(articles: { people: string[] }[]): Map<string, Variant> {
  const spellings = new Map<string, Map<string, number>>();
  for (const a of articles) {
    for (const name of new Set(a.people)) {
      const key = personKey(name);
      const bySpelling = spellings.get(key) ?? new Map<string, number>();
      bySpelling.set(name, (bySpelling.get(name) ?? 0) + 1);
      spellings.set(key, bySpelling);
    }
  }
  const out = new Map<string, Variant>();
  for (const [key, bySpelling] of spellings) {
    const [name] = [...bySpelling].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0]!;
    out.set(key, { name, keys: key.split(' '), articles: [...bySpelling.values()].reduce((s, n) => s + n, 0) });
  }
  return out;
}

/** Canonical name for every key: full names by first + last word and descriptors, then lone surnames. */
function canonicalNames(variants: Map<string, Variant>): Map<string, string> {
  const full = [...variants.values()].filter((v) => v.keys.length >= 2);
  // Most articles first, then longer names, so each group's first member is its canonical form.
  full.sort((a, b) => b.articles - a.articles || b.keys.length - a.keys.length || (a.name < b.name ? -1 : 1));
  const byEnds = new Map<string, Variant>();
  const canon = new Map<string, Variant>();
  for (const v of full) {
    const ends = `${v.keys[0]} ${v.keys[v.keys.length - 1]}`;
    const head = byEnds.get(ends) ?? v;
    byEnds.set(ends, head);
    canon.set(v.keys.join(' '), head);
  }
  // "Scientologist Tom Cruise": the last two or more words are a full name named at least as often on its own.
  // Not across a generational suffix: "Bainum Sr" is what is left of "Stewart Bainum Sr", not a person.
  for (const v of full) {
    if (GENERATION.test(v.keys[v.keys.length - 1]!)) continue;
    for (let k = 1; k <= v.keys.length - 2; k++) {
      const core = canon.get(v.keys.slice(k).join(' '));
      if (core && core.articles >= v.articles) {
        canon.set(v.keys.join(' '), core);
        break;
      }
    }
  }
  const out = new Map<string, string>();
  for (const [key, v] of canon) out.set(key, v.name);
  // Lone surnames: the canonical full names ending with them, by the articles they account for.
  const bySurname = new Map<string, Map<string, number>>();
  for (const v of full) {
    const target = canon.get(v.keys.join(' '))!.name;
    const last = v.keys[v.keys.length - 1]!;
    const counts = bySurname.get(last) ?? new Map<string, number>();
    counts.set(target, (counts.get(target) ?? 0) + v.articles);
    bySurname.set(last, counts);
  }
  for (const v of variants.values()) {
    if (v.keys.length !== 1) continue;
    const counts = bySurname.get(v.keys[0]!);
    if (!counts) continue;
    const total = [...counts.values()].reduce((s, n) => s + n, 0);
    const [best, n] = [...counts].sort((x, y) => y[1] - x[1])[0]!;
    if (n / total >= DOMINANCE) out.set(v.keys[0]!, best);
  }
  return out;
}

/**
 * Rewrites every article's `people` in place to one canonical value per person, keeping first-mention order
 * and dropping duplicates the rewriting creates. Deterministic: the result depends only on the set of articles.
 *
 * @example
 * const articles = [{ people: ['Paul Volcker'] }, { people: ['Volcker'] }, { people: ['Paul Volcker', 'Baker'] }];
 * resolveCorpusAliases(articles);
 * // articles[1].people -> ['Paul Volcker']
 */
export function resolveCorpusAliases(articles: { people: string[] }[]): void {
  const named = articles.map((a) => ({ people: a.people.filter((p) => !isSlug(p)) }));
  const canon = canonicalNames(countVariants(named));
  const slugs = slugTargets(articles, named, canon);
  for (const a of articles) {
    const seen = new Set<string>();
    const people: string[] = [];
    for (const name of a.people) {
      const value = slugs.get(name) ?? canon.get(personKey(name)) ?? name;
      const key = personKey(value);
      if (seen.has(key)) continue;
      seen.add(key);
      people.push(value);
    }
    a.people = people;
  }
}

/** Words of a name for matching a slug: lower case, accents folded, hyphens as spaces. */
const slugWords = (name: string): string[] => personKey(name).replace(/-/g, ' ').split(' ').filter(Boolean);

/**
 * Each slug's value: the canonical full name (2+ words) whose words end with the slug's and that accounts
 * for at least `DOMINANCE` of the articles of all such names, else the slug read as a name.
 */
function slugTargets(articles: { people: string[] }[], named: { people: string[] }[], canon: Map<string, string>): Map<string, string> {
  const slugs = new Set(articles.flatMap((a) => a.people.filter(isSlug)));
  const out = new Map<string, string>();
  if (slugs.size === 0) return out;
  // Articles per canonical full name, indexed by its last word.
  const byLast = new Map<string, Map<string, number>>();
  for (const a of named) {
    for (const target of new Set(a.people.map((p) => canon.get(personKey(p)) ?? p))) {
      const words = slugWords(target);
      if (words.length < 2) continue;
      const counts = byLast.get(words[words.length - 1]!) ?? new Map<string, number>();
      counts.set(target, (counts.get(target) ?? 0) + 1);
      byLast.set(words[words.length - 1]!, counts);
    }
  }
  for (const slug of slugs) {
    const words = slug.split('-');
    const tail = words.join(' ');
    const candidates = [...(byLast.get(words[words.length - 1]!) ?? [])].filter(([target]) => {
      const t = slugWords(target);
      return t.length > words.length ? t.slice(-words.length).join(' ') === tail : t.join(' ') === tail;
    });
    const total = candidates.reduce((s, [, n]) => s + n, 0);
    const best = candidates.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0];
    out.set(slug, best && best[1] / total >= DOMINANCE ? best[0] : (nameFromSlug(slug) as string));
  }
  return out;
}
