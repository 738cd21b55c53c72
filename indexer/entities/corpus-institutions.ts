/**
 * Firms named after people. "Merrill Lynch said" reads as a person to any name tagger; "Merrill Lynch and Co"
 * or "Merrill Lynch Capital Markets" elsewhere in the archive shows it is a firm. Extraction marks, per article,
 * the person names it saw used as an institution (followed by an organization word); this pass, run once over
 * the corpus after extraction, removes such a name from every article's people when institutional uses are a
 * real share of its articles. A person whose name a firm also carries now and then ("Walt Disney" beside
 * "Walt Disney Co") keeps it while articles about the person far outnumber the firm's.
 */

/** Institutional articles needed, as a share of the articles naming the person. */
export const INSTITUTION_SHARE = 0.1;

export function dropCorpusInstitutions(articles: { people: string[]; institutions?: string[] }[]): void {
  const asPerson = new Map<string, number>();
  const asInstitution = new Map<string, number>();
  for (const a of articles) {
    for (const p of new Set(a.people)) asPerson.set(p, (asPerson.get(p) ?? 0) + 1);
    for (const p of new Set(a.institutions ?? [])) asInstitution.set(p, (asInstitution.get(p) ?? 0) + 1);
  }
  const firms = new Set<string>();
  for (const [name, n] of asInstitution) if (n >= Math.max(1, INSTITUTION_SHARE * (asPerson.get(name) ?? 0))) firms.add(name);
  for (const a of articles) {
    if (firms.size && a.people.some((p) => firms.has(p))) a.people = a.people.filter((p) => !firms.has(p));
    delete a.institutions;
  }
}
