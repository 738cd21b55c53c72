/**
 * Firms named after people. "Merrill Lynch said" reads as a person to any name tagger; "Merrill Lynch and Co"
 * or "Merrill Lynch Capital Markets" elsewhere in the archive shows it is a firm. Extraction marks, per article,
 * the person names it saw used as an institution (followed by an organization word); this pass, run over the
 * corpus after extraction, removes such a name from every article's people when institutional uses are a
 * real share of its articles. A person whose name a firm also carries now and then ("Walt Disney" beside
 * "Walt Disney Co") keeps it while articles about the person far outnumber the firm's.
 *
 * Counts in, decisions out: `countUses` and `firmNames` are shared with `EntityDictionary` (dictionary.ts),
 * which keeps the counts across batches.
 */

/** Institutional articles needed, as a share of the articles naming the person. */
export const INSTITUTION_SHARE = 0.1;

/** Articles naming each name as a person, and as an institution (each name once per article). */
export interface UseCounts {
  asPerson: Map<string, number>;
  asInstitution: Map<string, number>;
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

/** Adds the articles' uses to `into`. */
export function countUses(
  articles: readonly { people: readonly string[]; institutions?: readonly string[] }[],
  into: UseCounts = { asPerson: new Map(), asInstitution: new Map() },
): UseCounts {
  for (const a of articles) {
    for (const p of new Set(a.people)) bump(into.asPerson, p);
    for (const p of new Set(a.institutions ?? [])) bump(into.asInstitution, p);
  }
  return into;
}

/** Is a name with these counts a firm? At least one institutional article, and `INSTITUTION_SHARE` of its person articles. */
export const isFirm = (asPerson: number, asInstitution: number): boolean => asInstitution >= Math.max(1, INSTITUTION_SHARE * asPerson);

/** Names whose institutional uses make them a firm. */
export function firmNames({ asPerson, asInstitution }: UseCounts): Set<string> {
  const firms = new Set<string>();
  for (const [name, n] of asInstitution) if (isFirm(asPerson.get(name) ?? 0, n)) firms.add(name);
  return firms;
}

/** Removes the firms from every article's people and drops the `institutions` marks, which have served. */
export function dropFirms(articles: { people: string[]; institutions?: string[] }[], firms: ReadonlySet<string>): void {
  for (const a of articles) {
    if (firms.size && a.people.some((p) => firms.has(p))) a.people = a.people.filter((p) => !firms.has(p));
    delete a.institutions;
  }
}

/** The pass over a whole corpus in one go. */
export function dropCorpusInstitutions(articles: { people: string[]; institutions?: string[] }[]): void {
  dropFirms(articles, firmNames(countUses(articles)));
}
