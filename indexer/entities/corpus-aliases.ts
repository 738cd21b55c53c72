/**
 * One canonical value per person across an archive. Extraction works one article at a time, so an article
 * that only says "Volcker" files him under "Volcker", another under "Paul Volcker", a third under
 * "Paul A. Volcker". This pass runs over the whole corpus after extraction and before bundling (or batch by
 * batch through `EntityDictionary`, dictionary.ts, which feeds the same decisions with its running counts):
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

/** Articles per spelling: a name counts once per article however often the article repeats it. */
export type SpellingCounts = Map<string, number>;

/** Per last word of a canonical full name: articles per such name (what a slug is matched against). */
export type TargetCounts = Map<string, Map<string, number>>;

const bump = (m: Map<string, number>, k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);

/** Adds each article's spellings (slugs left out: they are matched against the others) to `into`. */
export function countSpellings(articles: readonly { people: readonly string[] }[], into: SpellingCounts = new Map()): SpellingCounts {
  for (const a of articles) for (const name of new Set(a.people)) if (!isSlug(name)) bump(into, name);
  return into;
}

/** Spellings grouped by key, with the article counts summed; the spelling most articles use stands for its key. */
function variantsOf(spellings: ReadonlyMap<string, number>): Map<string, Variant> {
  const byKey = new Map<string, Array<[string, number]>>();
  for (const [name, n] of spellings) {
    const key = personKey(name);
    const list = byKey.get(key) ?? [];
    list.push([name, n]);
    byKey.set(key, list);
  }
  const out = new Map<string, Variant>();
  for (const [key, list] of byKey) {
    const [name] = list.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0]!;
    out.set(key, { name, keys: key.split(' '), articles: list.reduce((s, [, n]) => s + n, 0) });
  }
  return out;
}

/**
 * Canonical name for every key (`personKey`) of the counted spellings: full names by first + last word and
 * descriptors, then lone surnames. Counts in, decisions out: the result depends only on the counts, so a
 * corpus counted in one go or batch by batch (`dictionary.ts`) decides alike.
 */
export function canonicalNames(spellings: ReadonlyMap<string, number>): Map<string, string> {
  const variants = variantsOf(spellings);
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
    bump(counts, target, v.articles);
    bySurname.set(last, counts);
  }
  for (const v of variants.values()) {
    if (v.keys.length !== 1) continue;
    const counts = bySurname.get(v.keys[0]!);
    if (!counts) continue;
    const total = [...counts.values()].reduce((s, n) => s + n, 0);
    // The name tie-break only makes the order total: a tie at the top never reaches DOMINANCE.
    const [best, n] = [...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0]!;
    if (n / total >= DOMINANCE) out.set(v.keys[0]!, best);
  }
  return out;
}

/** The value a (non-slug) name is filed under. */
export const canonicalOf = (canon: ReadonlyMap<string, string>, name: string): string => canon.get(personKey(name)) ?? name;

/** Words of a name for matching a slug: lower case, accents folded, hyphens as spaces. */
const slugWords = (name: string): string[] => personKey(name).replace(/-/g, ' ').split(' ').filter(Boolean);

/**
 * The last word of a name's key. Every decision about a name (its spelling, descriptor, lone surname) only
 * weighs names with the same last word, so a batch can be decided from those alone (dictionary.ts).
 */
export const lastKeyWord = (name: string): string => personKey(name).split(' ').pop()!;

/** The word a slug is looked up by: the last of the name's words, hyphens as spaces ("Leigh-Pemberton" -> "pemberton"). */
export const slugTail = (name: string): string | undefined => slugWords(name).pop();

/** Do a name's words end with a slug's ("Robin Leigh-Pemberton", "leigh-pemberton")? Case, accents and hyphens ignored. */
export function endsWithSlug(name: string, slug: string): boolean {
  const words = slug.split('-');
  const tail = words.join(' ');
  const t = slugWords(name);
  return t.length > words.length ? t.slice(-words.length).join(' ') === tail : t.join(' ') === tail;
}

/** Adds `n` articles for a canonical name; names of one word are never a slug's target and are skipped. */
export function addTarget(into: TargetCounts, target: string, n: number): void {
  const words = slugWords(target);
  if (words.length < 2) return;
  const last = words[words.length - 1]!;
  const counts = into.get(last) ?? new Map<string, number>();
  bump(counts, target, n);
  into.set(last, counts);
}

/** Adds, per article, each canonical full name it names once (slugs left out) to `into`. */
export function countTargets(articles: readonly { people: readonly string[] }[], canon: ReadonlyMap<string, string>, into: TargetCounts = new Map()): TargetCounts {
  for (const a of articles) {
    const targets = new Set(a.people.filter((p) => !isSlug(p)).map((p) => canonicalOf(canon, p)));
    for (const target of targets) addTarget(into, target, 1);
  }
  return into;
}

/**
 * Each slug's value: the canonical full name (2+ words) whose words end with the slug's and that accounts
 * for at least `DOMINANCE` of the articles of all such names, else the slug read as a name.
 */
export function slugTargets(slugs: Iterable<string>, targets: TargetCounts): Map<string, string> {
  const out = new Map<string, string>();
  for (const slug of slugs) {
    const words = slug.split('-');
    const candidates = [...(targets.get(words[words.length - 1]!) ?? [])].filter(([target]) => endsWithSlug(target, slug));
    const total = candidates.reduce((s, [, n]) => s + n, 0);
    const best = candidates.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0];
    out.set(slug, best && best[1] / total >= DOMINANCE ? best[0] : (nameFromSlug(slug) as string));
  }
  return out;
}

/** The slugs the articles name. */
export const slugsIn = (articles: readonly { people: readonly string[] }[]): Set<string> =>
  new Set(articles.flatMap((a) => a.people.filter(isSlug)));

/**
 * Rewrites every article's `people` in place to its canonical values, keeping first-mention order and
 * dropping duplicates the rewriting creates.
 */
export function rewritePeople(articles: { people: string[] }[], canon: ReadonlyMap<string, string>, slugs: ReadonlyMap<string, string>): void {
  for (const a of articles) {
    const seen = new Set<string>();
    const people: string[] = [];
    for (const name of a.people) {
      const value = slugs.get(name) ?? canonicalOf(canon, name);
      const key = personKey(value);
      if (seen.has(key)) continue;
      seen.add(key);
      people.push(value);
    }
    a.people = people;
  }
}

/**
 * Rewrites every article's `people` in place to one canonical value per person, keeping first-mention order
 * and dropping duplicates the rewriting creates. Deterministic: the result depends only on the set of articles.
 * A whole corpus in one go; `EntityDictionary` (dictionary.ts) does the same batch by batch.
 *
 * @example
 * const articles = [{ people: ['Paul Volcker'] }, { people: ['Volcker'] }, { people: ['Paul Volcker', 'Baker'] }];
 * resolveCorpusAliases(articles);
 * // articles[1].people -> ['Paul Volcker']
 */
export function resolveCorpusAliases(articles: { people: string[] }[]): void {
  const canon = canonicalNames(countSpellings(articles));
  const slugs = slugsIn(articles);
  rewritePeople(articles, canon, slugs.size ? slugTargets(slugs, countTargets(articles, canon)) : new Map());
}
