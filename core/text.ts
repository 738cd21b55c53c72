/**
 * The one tokenizer. The indexer, the query parser, the vocabulary and the snippet highlighter all
 * use it, so a word that was indexed is exactly a word that can be found and highlighted.
 */

// Letters and digits of any script; everything else separates words.
const WORD = /[\p{L}\p{N}]+/gu;
const MARKS = /\p{M}+/gu;

/** Removes combining marks after Unicode decomposition: "Türkiye" → "Turkiye" (case kept). */
export function foldAccents(text: string): string {
  return text.normalize('NFKD').replace(MARKS, '');
}

/** Case- and accent-folded form of one word ("Zoë" → "zoe"). */
export function foldWord(word: string): string {
  // Fast path: plain ASCII needs no Unicode decomposition.
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(word)) return word.toLowerCase();
  return foldAccents(word).toLowerCase();
}

/** Folded terms of a text, in order, repeats kept (positions matter to FlexSearch's scoring). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) out.push(foldWord(m[0]));
  return out;
}

export interface WordSpan {
  start: number;
  end: number;
  term: string;
}

/** Words of a text with their character offsets, for highlighting. */
export function wordSpans(text: string): WordSpan[] {
  const out: WordSpan[] = [];
  for (const m of text.matchAll(WORD)) {
    out.push({ start: m.index, end: m.index + m[0].length, term: foldWord(m[0]) });
  }
  return out;
}

export interface ParsedQuery {
  /** Terms that must match exactly. */
  terms: string[];
  /** The last term when the query does not end with a separator: it matches as a prefix. */
  prefix: string | null;
}

/**
 * Splits a query into exact terms and a trailing prefix. "putin abb" → terms [putin], prefix "abb";
 * "putin abbas " (trailing space) → terms [putin, abbas], no prefix: the user finished the word.
 */
export function parseQuery(q: string): ParsedQuery {
  const terms = tokenize(q);
  const endsInWord = /[\p{L}\p{N}]$/u.test(q);
  const prefix = endsInWord && terms.length > 0 ? (terms.pop() as string) : null;
  return { terms: [...new Set(terms)].filter((t) => t !== prefix), prefix };
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/** Identity of a facet value: case, Unicode form and spacing do not matter ("reagan" = "Reagan"). */
export function facetKey(value: string): string {
  return value.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}
