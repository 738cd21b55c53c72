/**
 * The entity dictionary: what the two corpus passes (`corpus-institutions.ts`, `corpus-aliases.ts`) learn about
 * an archive, kept as counts so a build can apply them one batch at a time in bounded memory and an
 * incremental ingest can file a new story that only says "Putin" under the "Vladimir Putin" the archive knows.
 *
 * It holds, per name as extraction wrote it, the number of articles naming it as a person and as an
 * institution. Both passes decide from such counts alone, so a batch is decided from the dictionary's counts
 * plus the batch's own, by the same functions the one-go passes use: one batch on an empty dictionary gives
 * exactly what `dropCorpusInstitutions` then `resolveCorpusAliases` give. Batch by batch, an article is
 * decided with what the archive knew when it arrived; nothing already filed is revisited.
 *
 * One approximation: a slug ("james-baker") is matched against the articles per canonical full name. For the
 * batch those are counted per article, as the one-go pass does; for earlier batches only per spelling, so an
 * earlier article naming "Paul Volcker" and "Paul A. Volcker" counts twice there. It only weighs candidates.
 *
 * Time: a name's canonical value depends only on names with the same last word (`lastKeyWord`), so a batch
 * is decided from the stored names sharing a last word with its own (or the tail of one of its slugs), found
 * through an index, not from the whole dictionary: the same decisions, in time that grows with the batch.
 *
 * Size: counts, never article lists. Past `maxNames` names the rarest are pruned, all names with at most t
 * articles for the smallest t that fits (names seen once go first); a pruned name starts again from zero.
 */
import { countUses, dropFirms, firmNames, type UseCounts } from './corpus-institutions.ts';
import {
  addTarget,
  canonicalNames,
  canonicalOf,
  countTargets,
  lastKeyWord,
  rewritePeople,
  slugsIn,
  slugTail,
  slugTargets,
  type SpellingCounts,
} from './corpus-aliases.ts';
import { isSlug } from './person-name.ts';

/** Names kept by default: about 4 MB of JSON, enough for the people of a million-article archive seen twice or more. */
export const DEFAULT_MAX_NAMES = 200_000;

/** One name: [name, articles naming it as a person, articles naming it as an institution (left out when 0)]. */
export type NameEntry = [name: string, asPerson: number] | [name: string, asPerson: number, asInstitution: number];

/** The dictionary as stored (JSON). */
export interface EntityDictionaryData {
  version: 1;
  /** Articles learned, pruned or not. */
  articles: number;
  /** Names kept at most; the rarest go beyond it. */
  maxNames: number;
  /** Names pruned so far (for reports: 0 means the counts are exact). */
  pruned: number;
  /** Sorted by name (UTF-16 code units), so equal dictionaries serialize alike. */
  names: NameEntry[];
}

export interface EntityDictionaryOptions {
  /** Names kept at most (default `DEFAULT_MAX_NAMES`). */
  maxNames?: number;
}

type BatchArticle = { people: string[]; institutions?: string[] };

const bump = <K>(m: Map<K, number>, k: K, n: number) => m.set(k, (m.get(k) ?? 0) + n);

/** Counts of `a` and `b` summed, in a new map. */
function sum(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): Map<string, number> {
  const out = new Map(a);
  for (const [k, n] of b) bump(out, k, n);
  return out;
}

export class EntityDictionary {
  /** Articles naming each name as a person / as an institution, raw names (before either pass). */
  private readonly uses: UseCounts = { asPerson: new Map(), asInstitution: new Map() };
  /** Stored person names (slugs aside) by the last word of their key, and those last words by slug tail. */
  private readonly byLast = new Map<string, Set<string>>();
  private readonly lastByTail = new Map<string, Set<string>>();
  private articles = 0;
  private pruned = 0;

  private constructor(readonly maxNames: number) {}

  static empty(options: EntityDictionaryOptions = {}): EntityDictionary {
    const maxNames = options.maxNames ?? DEFAULT_MAX_NAMES;
    if (!Number.isSafeInteger(maxNames) || maxNames < 1) throw new Error(`entity dictionary: maxNames must be a positive integer, got ${maxNames}`);
    return new EntityDictionary(maxNames);
  }

  /** Validates; throws an Error naming what is wrong. */
  static fromJSON(data: unknown): EntityDictionary {
    const fail = (what: string): never => {
      throw new Error(`entity dictionary: ${what}`);
    };
    const count = (v: unknown, where: string, min = 0): number =>
      typeof v === 'number' && Number.isSafeInteger(v) && v >= min ? v : fail(`${where} must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return fail('expected an object');
    const d = data as Record<string, unknown>;
    if (d['version'] !== 1) fail(`unsupported version ${JSON.stringify(d['version'])} (expected 1)`);
    const dict = EntityDictionary.empty({ maxNames: count(d['maxNames'], 'maxNames', 1) });
    dict.articles = count(d['articles'], 'articles');
    dict.pruned = count(d['pruned'], 'pruned');
    const names = d['names'];
    if (!Array.isArray(names)) return fail('names must be an array');
    names.forEach((entry: unknown, i) => {
      const where = `names[${i}]`;
      if (!Array.isArray(entry) || entry.length < 2 || entry.length > 3) return fail(`${where} must be [name, asPerson] or [name, asPerson, asInstitution]`);
      const [name, person, institution] = entry as unknown[];
      if (typeof name !== 'string' || name === '') return fail(`${where}[0] must be a non-empty string`);
      if (dict.uses.asPerson.has(name) || dict.uses.asInstitution.has(name)) fail(`${where}: duplicate name ${JSON.stringify(name)}`);
      const p = count(person, `${where}[1]`);
      const n = entry.length === 3 ? count(institution, `${where}[2]`, 1) : 0;
      if (p === 0 && n === 0) fail(`${where}: ${JSON.stringify(name)} has no articles`);
      if (p) dict.addPerson(name, p);
      if (n) dict.uses.asInstitution.set(name, n);
    });
    return dict;
  }

  toJSON(): EntityDictionaryData {
    const { asPerson, asInstitution } = this.uses;
    const names = [...new Set([...asPerson.keys(), ...asInstitution.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return {
      version: 1,
      articles: this.articles,
      maxNames: this.maxNames,
      pruned: this.pruned,
      names: names.map((name): NameEntry => {
        const n = asInstitution.get(name);
        return n ? [name, asPerson.get(name) ?? 0, n] : [name, asPerson.get(name) ?? 0];
      }),
    };
  }

  /** Number of names it holds (for reports). */
  get size(): number {
    let n = this.uses.asPerson.size;
    for (const name of this.uses.asInstitution.keys()) if (!this.uses.asPerson.has(name)) n++;
    return n;
  }

  /**
   * Runs both corpus passes on one batch (mutating `people`, deleting `institutions`, exactly like
   * `dropCorpusInstitutions` then `resolveCorpusAliases` do), using what the dictionary knows plus the batch
   * itself; then learns from the batch. Within a batch the order of articles does not matter.
   */
  applyBatch(articles: BatchArticle[]): void {
    // Raw counts first: what is learned is what extraction wrote, so later decisions start from the same facts.
    const batch = countUses(articles);
    const asInstitution = sum(this.uses.asInstitution, batch.asInstitution);
    // Person counts only for the few names ever used as an institution: no copy of the whole dictionary.
    const asPerson = new Map([...asInstitution.keys()].map((name) => [name, (this.uses.asPerson.get(name) ?? 0) + (batch.asPerson.get(name) ?? 0)]));
    const firms = firmNames({ asPerson, asInstitution });
    dropFirms(articles, firms);
    // The alias pass counts what the institution pass left: every name but slugs and firms. Of the stored
    // ones, those sharing a last word with the batch's names decide alike; slugs also need the names they
    // may stand for, found by their tail.
    const named = (name: string) => !isSlug(name) && !firms.has(name);
    const slugs = slugsIn(articles);
    const lasts = new Set<string>();
    for (const name of batch.asPerson.keys()) if (!isSlug(name)) lasts.add(lastKeyWord(name));
    for (const slug of slugs) for (const last of this.lastByTail.get(slugTail(slug) ?? '') ?? []) lasts.add(last);
    const stored: SpellingCounts = new Map();
    for (const last of lasts) for (const name of this.byLast.get(last) ?? []) if (named(name)) stored.set(name, this.uses.asPerson.get(name)!);
    const spellings = sum(stored, new Map([...batch.asPerson].filter(([name]) => named(name))));
    const canon = canonicalNames(spellings);
    let slugValues = new Map<string, string>();
    if (slugs.size) {
      const targets = countTargets(articles, canon);
      for (const [name, n] of stored) addTarget(targets, canonicalOf(canon, name), n);
      slugValues = slugTargets(slugs, targets);
    }
    rewritePeople(articles, canon, slugValues);
    this.learn(batch, articles.length);
  }

  /**
   * Forgets articles taken down (a purge): each person they are filed under counts one article less,
   * and a name no other article carries leaves the dictionary, so no trace of it stays in the index.
   */
  forget(articles: ReadonlyArray<{ people: readonly string[] }>): void {
    for (const a of articles) {
      for (const name of new Set(a.people)) {
        const n = this.uses.asPerson.get(name);
        if (n === undefined) continue;
        if (n > 1) this.uses.asPerson.set(name, n - 1);
        else if (this.uses.asInstitution.has(name)) this.uses.asPerson.delete(name);
        else this.removeName(name);
      }
    }
    this.articles = Math.max(0, this.articles - articles.length);
  }

  private learn(batch: UseCounts, articles: number): void {
    for (const [name, n] of batch.asPerson) this.addPerson(name, n);
    for (const [name, n] of batch.asInstitution) bump(this.uses.asInstitution, name, n);
    this.articles += articles;
    if (this.size > this.maxNames) this.prune();
  }

  private addPerson(name: string, n: number): void {
    const before = this.uses.asPerson.get(name);
    this.uses.asPerson.set(name, (before ?? 0) + n);
    if (before !== undefined || isSlug(name)) return;
    const last = lastKeyWord(name);
    const names = this.byLast.get(last) ?? new Set<string>();
    names.add(name);
    this.byLast.set(last, names);
    const tail = slugTail(name) ?? '';
    const lasts = this.lastByTail.get(tail) ?? new Set<string>();
    lasts.add(last);
    this.lastByTail.set(tail, lasts);
  }

  private removeName(name: string): void {
    this.uses.asInstitution.delete(name);
    if (!this.uses.asPerson.delete(name) || isSlug(name)) return;
    const last = lastKeyWord(name);
    const names = this.byLast.get(last);
    names?.delete(name);
    if (names?.size) return;
    this.byLast.delete(last);
    const tail = slugTail(name) ?? '';
    const lasts = this.lastByTail.get(tail);
    lasts?.delete(last);
    if (lasts?.size === 0) this.lastByTail.delete(tail);
  }

  /** Drops every name with at most t articles (person + institution), for the smallest t that fits `maxNames`. */
  private prune(): void {
    const { asPerson, asInstitution } = this.uses;
    const totals = new Map<string, number>(asPerson);
    for (const [name, n] of asInstitution) bump(totals, name, n);
    const byTotal = new Map<number, number>();
    for (const n of totals.values()) bump(byTotal, n, 1);
    let left = totals.size;
    let t = 0;
    for (const [total, names] of [...byTotal].sort((a, b) => a[0] - b[0])) {
      if (left <= this.maxNames) break;
      left -= names;
      t = total;
    }
    for (const [name, n] of totals) {
      if (n > t) continue;
      this.removeName(name);
      this.pruned++;
    }
  }
}
