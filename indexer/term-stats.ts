import { foldWord, stemOf, tokenize, wordSpans } from '../core/text.ts';
import type { StemClasses, TermsPart, VocabPart } from '../core/format/parts.ts';

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/**
 * Term statistics of a set of articles (a segment, or the whole index as a sum of segments): rows per
 * term, the terms of each analyzer language, and how words are written where that differs from their
 * folded form. A segment stores its own (`TermsPart`); the index-wide vocabulary (`VocabPart`) is
 * made from their sum.
 */
export class TermStats {
  readonly df = new Map<string, number>();
  /** Per analyzer language: term → rows of that language holding it (so a language's words leave with its last article). */
  readonly langs = new Map<string, Map<string, number>>();
  /** term → lower-cased spelling → occurrences. */
  readonly spellings = new Map<string, Map<string, number>>();
  /**
   * Occurrences of every term (collection frequency): with the spellings, how often a term is written
   * plainly. Kept for every term, not just those with other spellings here, so that the sum over
   * segments is the whole archive's count.
   */
  readonly occurrences = new Map<string, number>();

  /**
   * Counts one article; returns its title and body token counts (for length normalization) and
   * tokens (what FlexSearch indexes).
   */
  addArticle(title: string, body: string, lang: string): { titleTokens: string[]; bodyTokens: string[] } {
    let langWords = this.langs.get(lang);
    if (!langWords) this.langs.set(lang, (langWords = new Map<string, number>()));
    const seen = new Set<string>();
    const out: string[][] = [];
    for (const text of [title, body]) {
      if (!ASCII.test(text)) {
        for (const { start, end, term } of wordSpans(text)) {
          // Written otherwise than folded ("Café", "музей")? Count the lower-cased spelling.
          const lower = text.slice(start, end).toLowerCase();
          if (lower !== term) {
            let m = this.spellings.get(term);
            if (!m) this.spellings.set(term, (m = new Map<string, number>()));
            m.set(lower, (m.get(lower) ?? 0) + 1);
          }
        }
      }
      const tokens = tokenize(text);
      for (const t of tokens) seen.add(t);
      out.push(tokens);
    }
    for (const t of seen) {
      this.df.set(t, (this.df.get(t) ?? 0) + 1);
      langWords.set(t, (langWords.get(t) ?? 0) + 1);
    }
    return { titleTokens: out[0] as string[], bodyTokens: out[1] as string[] };
  }

  /** Counts the occurrences of the terms of a title or body. */
  countOccurrences(tokens: readonly string[]): void {
    for (const t of tokens) this.occurrences.set(t, (this.occurrences.get(t) ?? 0) + 1);
  }

  /** Adds another set's statistics to these (`sign` −1 subtracts them, for deleted rows). */
  merge(o: TermStats, sign: 1 | -1 = 1): void {
    for (const [t, n] of o.df) {
      const v = (this.df.get(t) ?? 0) + sign * n;
      if (v > 0) this.df.set(t, v);
      else this.df.delete(t);
    }
    if (sign < 0) {
      for (const [lang, words] of o.langs) {
        const mine = this.langs.get(lang);
        if (!mine) continue;
        for (const [w, n] of words) {
          const v = (mine.get(w) ?? 0) - n;
          if (v > 0) mine.set(w, v);
          else mine.delete(w);
        }
        if (mine.size === 0) this.langs.delete(lang);
      }
      for (const [t, m] of o.spellings) {
        const mine = this.spellings.get(t);
        if (!mine) continue;
        for (const [s, n] of m) {
          const v = (mine.get(s) ?? 0) - n;
          if (v > 0) mine.set(s, v);
          else mine.delete(s);
        }
        if (mine.size === 0) this.spellings.delete(t);
      }
      for (const [t, n] of o.occurrences) {
        const v = (this.occurrences.get(t) ?? 0) - n;
        if (v > 0) this.occurrences.set(t, v);
        else this.occurrences.delete(t);
      }
      return;
    }
    for (const [lang, words] of o.langs) {
      let mine = this.langs.get(lang);
      if (!mine) this.langs.set(lang, (mine = new Map<string, number>()));
      for (const [w, n] of words) mine.set(w, (mine.get(w) ?? 0) + n);
    }
    for (const [t, m] of o.spellings) {
      let mine = this.spellings.get(t);
      if (!mine) this.spellings.set(t, (mine = new Map<string, number>()));
      for (const [s, n] of m) mine.set(s, (mine.get(s) ?? 0) + n);
    }
    for (const [t, n] of o.occurrences) this.occurrences.set(t, (this.occurrences.get(t) ?? 0) + n);
  }

  toPart(): TermsPart {
    const terms = [...this.df.keys()].sort();
    const index = new Map(terms.map((t, i) => [t, i]));
    return {
      terms,
      df: terms.map((t) => this.df.get(t) as number),
      langs: [...this.langs]
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([lang, words]) => {
          const refs = [...words.keys()].map((w) => index.get(w) as number).sort((a, b) => a - b);
          return { lang, refs, counts: refs.map((r) => words.get(terms[r] as string) as number) };
        }),
      spellings: [...this.spellings].flatMap(([t, m]) => [...m].map(([s, n]) => [index.get(t) as number, s, n] as [number, string, number])).sort(byFirst),
      cf: terms.map((t) => this.occurrences.get(t) ?? 0),
    };
  }

  static fromPart(p: TermsPart): TermStats {
    const s = new TermStats();
    p.terms.forEach((t, i) => s.df.set(t, p.df[i] as number));
    for (const { lang, refs, counts } of p.langs) s.langs.set(lang, new Map(refs.map((r, i) => [p.terms[r] as string, counts[i] as number])));
    for (const [r, spelling, n] of p.spellings) {
      const t = p.terms[r] as string;
      let m = s.spellings.get(t);
      if (!m) s.spellings.set(t, (m = new Map<string, number>()));
      m.set(spelling, n);
    }
    p.terms.forEach((t, i) => {
      const n = p.cf[i] as number;
      if (n > 0) s.occurrences.set(t, n);
    });
    return s;
  }

  /** The index-wide vocabulary: terms of live articles with their document frequencies, spellings and stem classes. */
  toVocab(): VocabPart {
    const terms = [...this.df.keys()].sort();
    const termIndex = new Map(terms.map((t, i) => [t, i]));
    return {
      terms,
      df: terms.map((t) => this.df.get(t) as number),
      shown: shownSpellings(terms, this.spellings, this.occurrences),
      stems: [...this.langs].sort((a, b) => (a[0] < b[0] ? -1 : 1)).flatMap(([lang, words]) => stemClasses(lang, new Set(words.keys()), terms, termIndex)),
    };
  }
}

const byFirst = (a: [number, ...unknown[]], b: [number, ...unknown[]]) => a[0] - b[0] || (String(a[1]) < String(b[1]) ? -1 : String(a[1]) > String(b[1]) ? 1 : 0);

/**
 * The spelling to show for each term written otherwise than folded: its most common lower-cased
 * surface form, if that is not the folded term itself ("музей", "hôpital"; "cafe" stays when most
 * articles write it so).
 */
function shownSpellings(terms: string[], spellings: Map<string, Map<string, number>>, occurrences: Map<string, number>): VocabPart['shown'] {
  const refs: number[] = [];
  const forms: string[] = [];
  terms.forEach((t, i) => {
    const m = spellings.get(t);
    if (!m) return;
    let plain = occurrences.get(t) ?? 0;
    for (const n of m.values()) plain -= n;
    const best = [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] as [string, number];
    if (best[1] > plain && foldWord(best[0]) === t) {
      refs.push(i);
      forms.push(best[0]);
    }
  });
  return { refs, forms };
}

/**
 * Terms by stem in one language, for matching other forms of a query word. A stem whose only term is
 * the stem itself is left out (the exact term finds it); one whose only term differs ("elect" →
 * elections) is kept, so a query for a form the archive never uses still finds the others. Words no
 * longer in the vocabulary (every article holding them deleted) are skipped.
 */
function stemClasses(lang: string, words: Set<string>, terms: string[], termIndex: Map<string, number>): StemClasses[] {
  const byStem = new Map<string, number[]>();
  for (const w of words) {
    const r = termIndex.get(w);
    if (r === undefined) continue;
    const key = stemOf(w, lang);
    const list = byStem.get(key);
    if (list) list.push(r);
    else byStem.set(key, [r]);
  }
  const sizes: number[] = [];
  const refs: number[] = [];
  const stems: StemClasses['stems'] = [];
  let last = 0;
  for (const key of [...byStem.keys()].sort()) {
    const list = (byStem.get(key) as number[]).sort((a, b) => a - b);
    if (list.length === 1 && termIndex.get(key) === list[0]) continue;
    sizes.push(list.length);
    for (const r of list) {
      refs.push(r - last);
      last = r;
    }
    const first = terms[list[0] as number] as string;
    let p = 0;
    while (p < key.length && key[p] === first[p]) p++;
    stems.push(p === key.length ? p : [p, key.slice(p)]);
  }
  return sizes.length ? [{ lang, sizes, refs, stems }] : [];
}
