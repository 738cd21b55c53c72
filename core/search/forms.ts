import { foldWord, isUnspaced } from '../text.ts';
import { RANK } from './scoring.ts';
import type { SearchIndex } from './search-index.ts';

/**
 * A query word as vocabulary terms, each with the weight its evidence counts for in both stages of
 * ranking: the word itself (1), other forms of it, the terms sharing its stem in a language of the
 * index (`RANK.formWeight`: "election" for "elections"), and for a word still being typed its
 * completions (`RANK.completionWeight`: "carolyn" for "car"). A document with the word itself
 * outranks one with only another form, which outranks one with only a longer word. A word of a script
 * written without spaces also stands for the longer words starting with it that the segmenter kept
 * whole ("上海" for "上海市"), as other forms.
 */
export interface WeightedTerm {
  term: string;
  weight: number;
  /** Document frequency. */
  df: number;
}

/** Most other forms of one word, by document frequency (a cost bound; classes are rarely larger). */
export const MAX_FORMS = 32;

/**
 * The terms a query word stands for, heaviest first (then by document frequency). `word` is a query
 * token (any case and accents: it is folded here). `completions` bounds how many longer words a
 * trailing prefix expands to, the most frequent first; 0 for a finished word. Empty when nothing in
 * the vocabulary matches.
 */
export function wordForms(index: SearchIndex, word: string, completions = 0): WeightedTerm[] {
  const folded = foldWord(word);
  if (!folded) return [];
  const weights = new Map<number, number>();
  const exact = index.termIndex(folded);
  if (exact >= 0) weights.set(exact, 1);
  const forms = index.stemClass(folded).filter((i) => i !== exact);
  if (forms.length > MAX_FORMS) {
    forms.sort((a, b) => (index.df[b] as number) - (index.df[a] as number));
    forms.length = MAX_FORMS;
  }
  for (const i of forms) weights.set(i, RANK.formWeight);
  if (isUnspaced(folded)) {
    // A Chinese, Japanese or Thai word is also found where the segmenter kept it inside a longer
    // word ("上海" in "上海市"), as another form of it.
    const [start, end] = index.termRange(folded);
    const longer: number[] = [];
    for (let i = start; i < end; i++) if (!weights.has(i)) longer.push(i);
    if (longer.length > MAX_FORMS) {
      longer.sort((a, b) => (index.df[b] as number) - (index.df[a] as number));
      longer.length = MAX_FORMS;
    }
    for (const i of longer) weights.set(i, RANK.formWeight);
  }
  if (completions > 0) {
    const [start, end] = index.termRange(folded);
    const ids: number[] = [];
    for (let i = start; i < end; i++) if (!weights.has(i)) ids.push(i);
    if (ids.length > completions) {
      ids.sort((a, b) => (index.df[b] as number) - (index.df[a] as number));
      ids.length = completions;
    }
    for (const i of ids) weights.set(i, RANK.completionWeight);
  }
  return [...weights]
    .sort((a, b) => b[1] - a[1] || (index.df[b[0]] as number) - (index.df[a[0]] as number) || a[0] - b[0])
    .map(([i, weight]) => ({ term: index.terms[i] as string, weight, df: index.df[i] as number }));
}

/**
 * The document frequency a word's IDF is taken from: the word itself when the archive has it, else its
 * most common other form, else its most common completion. One IDF for all of a word's terms, so a
 * rare completion ("carolyn" for "car") never weighs more than the word.
 */
export function referenceDf(terms: readonly WeightedTerm[]): number {
  let best = 0;
  let bestWeight = -1;
  for (const t of terms) {
    if (t.weight > bestWeight || (t.weight === bestWeight && t.df > best)) {
      best = t.df;
      bestWeight = t.weight;
    }
  }
  return best;
}

/**
 * Weight of a folded token as evidence for a word (0 if none): for stage 2 (stored tokens) and
 * snippets (stored text). With a `prefix`, any longer word starting with it counts as a completion,
 * beyond the ones stage 1 looked up.
 */
export function formWeights(terms: readonly WeightedTerm[], prefix: string | null): (token: string) => number {
  const m = new Map(terms.map((t) => [t.term, t.weight]));
  const completion = RANK.completionWeight;
  return (token) => m.get(token) ?? (prefix !== null && token.startsWith(prefix) ? completion : 0);
}
