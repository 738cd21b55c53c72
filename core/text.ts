/**
 * The one analyzer. The indexer, the query parser, the vocabulary, ranking, the snippet highlighter
 * and suggestions all use it, so a word that was indexed is exactly a word that can be found and
 * highlighted.
 *
 * A text becomes words (runs of letters, digits and combining marks; runs in scripts written without
 * spaces, such as Chinese, Japanese and Thai, are cut into words with `Intl.Segmenter`), each word is
 * folded (case, accents, compatibility forms: `foldWord`) and, for matching other forms of a word, has
 * a stem in the index's language (`stemOf`). Folding happens before stemming, so a query typed without
 * accents ("hopitaux") finds the same forms as one typed with them ("hôpitaux").
 */
import porter2 from 'wink-porter2-stemmer';
import { stemmer as arabic } from '@orama/stemmers/arabic';
import { stemmer as danish } from '@orama/stemmers/danish';
import { stemmer as dutch } from '@orama/stemmers/dutch';
import { stemmer as finnish } from '@orama/stemmers/finnish';
import { stemmer as french } from '@orama/stemmers/french';
import { stemmer as german } from '@orama/stemmers/german';
import { stemmer as italian } from '@orama/stemmers/italian';
import { stemmer as norwegian } from '@orama/stemmers/norwegian';
import { stemmer as portuguese } from '@orama/stemmers/portuguese';
import { stemmer as russian } from '@orama/stemmers/russian';
import { stemmer as spanish } from '@orama/stemmers/spanish';
import { stemmer as swedish } from '@orama/stemmers/swedish';

// A word: a letter or digit, then letters, digits and combining marks (Thai vowels, Devanagari vowel
// signs, a decomposed accent), and the zero-width (non-)joiners some scripts write inside words.
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}\u200c\u200d]*/gu;
/** Scripts written without spaces between words: a run holding one is cut with `Intl.Segmenter`. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const MARKS = /\p{M}+/gu;

/**
 * Marks folding removes after compatibility decomposition: accents of Latin, Greek and Cyrillic
 * letters (except the breve of Cyrillic й and ў, separate letters), Cyrillic titlo, Hebrew points,
 * Arabic harakat, Quranic marks and tatweel, and the zero-width joiners. Marks that are part of a
 * letter elsewhere (Indic vowel signs, Thai vowels and tones, the Japanese voicing mark) are kept.
 */
// eslint-disable-next-line no-misleading-character-class -- ranges of combining marks, on purpose
const STRIP = /(?<![иИуУ])\u0306|[\u0300-\u0305\u0307-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed\u1ab0-\u1aff\u1dc0-\u1dff\u200c\u200d\u20d0-\u20ff\ufe20-\ufe2f]/g;
/** Letters without a decomposition that readers type without their stroke or ligature. */
const LETTERS: Readonly<Record<string, string>> = { ß: 'ss', ł: 'l', ø: 'o', đ: 'd', ħ: 'h', ı: 'i', æ: 'ae', œ: 'oe', þ: 'th', ς: 'σ' };
const SPECIAL = /[ßłøđħıæœþς]/g;

/** Removes combining marks after Unicode decomposition: "Türkiye" → "Turkiye" (case kept). */
export function foldAccents(text: string): string {
  return text.normalize('NFKD').replace(MARKS, '');
}

/**
 * Case- and accent-folded form of one word, the key the index holds: "Zoë" → "zoe", "Straße" →
 * "strasse", "Łódź" → "lodz", "ＡＢＣ" → "abc", "كِتَاب" → "كتاب"; "Сергей" → "сергей" (й is a letter
 * of its own); "が" stays "が". The empty string for a word of marks only (a lone tatweel).
 */
export function foldWord(word: string): string {
  // Fast path: plain ASCII needs no Unicode decomposition.
  if (ASCII.test(word)) return word.toLowerCase();
  let w = word.normalize('NFKD').replace(STRIP, '').toLowerCase();
  SPECIAL.lastIndex = 0;
  if (SPECIAL.test(w)) w = w.replace(SPECIAL, (c) => LETTERS[c] as string);
  return w.normalize('NFC');
}

let segmenter: Intl.Segmenter | undefined;

/**
 * Calls `emit` for each word of `text` with its offset, in order, until it returns false. Only runs of
 * letters that hold a character of a script written without spaces go through `Intl.Segmenter`
 * (about 100 times slower than the regex): "国家主席习近平周二…上海" → 国家|主席|习|近平|周二|…|上海.
 */
function eachWord(text: string, emit: (surface: string, start: number) => boolean | void): void {
  const segment = !ASCII.test(text) && UNSPACED.test(text);
  for (const m of text.matchAll(WORD)) {
    const w = m[0];
    if (segment && UNSPACED.test(w)) {
      segmenter ??= new Intl.Segmenter('und', { granularity: 'word' });
      for (const s of segmenter.segment(w)) if (LETTER_OR_DIGIT.test(s.segment) && emit(s.segment, m.index + s.index) === false) return;
    } else if (emit(w, m.index) === false) {
      return;
    }
  }
}

/**
 * Visits the words of `text` in order (folded, with the offsets of what is written) until `visit`
 * returns false: for readers that stop early, such as the snippet highlighter.
 */
export function scanWords(text: string, visit: (word: string, start: number, end: number) => boolean | void): void {
  eachWord(text, (surface, start) => {
    const word = foldWord(surface);
    return word ? visit(word, start, start + surface.length) : true;
  });
}

/**
 * Whether a word is in a script written without spaces (Chinese, Japanese, Thai, …): segmentation
 * decides its extent, so "上海" may stand alone in one sentence and inside "上海市" in another.
 */
export function isUnspaced(word: string): boolean {
  return !ASCII.test(word) && UNSPACED.test(word);
}

/** Folded words of a text, in order, repeats kept (positions matter to FlexSearch's scoring). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  eachWord(text, (w) => {
    const f = foldWord(w);
    if (f) out.push(f);
  });
  return out;
}

export interface WordSpan {
  start: number;
  end: number;
  term: string;
}

/** Words of a text with their character offsets and folded form (`term`), for highlighting. */
export function wordSpans(text: string): WordSpan[] {
  const out: WordSpan[] = [];
  eachWord(text, (w, start) => {
    const term = foldWord(w);
    if (term) out.push({ start, end: start + w.length, term });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Languages and stemming

/**
 * Stemmers by language (ISO 639-1). English is Porter2 (wink-porter2-stemmer); the others are the
 * Snowball algorithms as packaged by @orama/stemmers, one small module each (Arabic: its light
 * stemmer, which strips the article and common affixes: "القاهرة" and "بالقاهرة" → قاهر). Chosen by measurement
 * (README "Languages"): Porter2 is what the Snowball project recommends for English (Porter's 1980
 * algorithm, in `stemmer`, `natural` and @orama's English, conflates news/new and general/generic),
 * and snowball-stemmers, with every language in one module, adds 36 kB gzipped and ~20 ms of import
 * to a cold start against 13 kB and nothing measurable for these twelve.
 */
const STEMMER_TABLE: Readonly<Record<string, (word: string) => string>> = {
  en: porter2,
  de: german,
  fr: french,
  es: spanish,
  it: italian,
  pt: portuguese,
  nl: dutch,
  sv: swedish,
  no: norwegian,
  da: danish,
  fi: finnish,
  ru: russian,
  ar: arabic,
};
const STEMMERS: ReadonlyMap<string, (word: string) => string> = new Map(Object.entries(STEMMER_TABLE));

/** The algorithm behind each stemmer, for the index manifest. */
export function stemmerName(lang: string): string | null {
  if (!STEMMERS.has(lang)) return null;
  if (lang === 'en') return 'Porter2 (wink-porter2-stemmer)';
  return lang === 'ar' ? 'Arabic light stemmer (@orama/stemmers)' : `Snowball ${lang} (@orama/stemmers)`;
}

/** Languages whose words are stemmed; any other language (and `none`) only folds words. */
export const STEMMED_LANGUAGES: readonly string[] = [...STEMMERS.keys()];
/** The analyzer an index gets unless the build says otherwise (`--language`). */
export const DEFAULT_LANGUAGE = 'en';

/** Which script a language's stemmer understands; words in other scripts are left alone. */
const SCRIPT: ReadonlyMap<string, RegExp> = new Map([['ru', /\p{Script=Cyrillic}/u], ['ar', /\p{Script=Arabic}/u]]);
const LATIN = /[a-z]/;

/**
 * A language tag as the index records it: the primary subtag, lower case ("en-GB" → "en", "nb" and
 * "nn" → "no"), or `none`. Null when `tag` is not a language tag.
 */
export function normalizeLanguage(tag: string): string | null {
  const t = tag.trim().toLowerCase();
  if (t === 'none') return 'none';
  const m = /^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$/.exec(t);
  if (!m) return null;
  const primary = m[1] as string;
  return primary === 'nb' || primary === 'nn' ? 'no' : primary;
}

/**
 * The stem of a folded word in `lang` (folded again: "elections" → "elect", "banks" → "bank",
 * "hôpitaux" → "hopital"); the word itself for languages without a stemmer, for words in another
 * script than the stemmer's, and for words with digits.
 */
export function stemOf(word: string, lang: string): string {
  const stem = STEMMERS.get(lang);
  if (!stem || word.length < 3 || /\d/.test(word)) return word;
  if (!(SCRIPT.get(lang) ?? LATIN).test(word)) return word;
  return foldWord(stem(word)) || word;
}

/** One word of a text, as analyzed for the index and for queries. */
export interface Token {
  /** Folded word: what the index holds and what a query word matches exactly. */
  word: string;
  /** Folded stem in the analyzer's language: words with the same stem are forms of one word. */
  stem: string;
  /** The word as written. */
  surface: string;
  /** Offsets of `surface` in the text (UTF-16 code units, end exclusive). */
  start: number;
  end: number;
}

/**
 * Every word of `text` in order: its folded form, its stem in `lang` (`none` or a language without a
 * stemmer: the folded form), what was written and where. A word of a script written without spaces
 * may become several tokens ("习近平" → 习, 近平): match them as adjacent tokens (a phrase).
 */
export function analyze(text: string, lang: string = DEFAULT_LANGUAGE): Token[] {
  const out: Token[] = [];
  eachWord(text, (surface, start) => {
    const word = foldWord(surface);
    if (word) out.push({ word, stem: stemOf(word, lang), surface, start, end: start + surface.length });
  });
  return out;
}

/**
 * The tokens one query word stands for: usually one, several for a word of a script written without
 * spaces (all of them required, adjacent for a phrase). `analyze` on the word, named for readers.
 */
export function queryTerms(word: string, lang: string = DEFAULT_LANGUAGE): Token[] {
  return analyze(word, lang);
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
  const endsInWord = /[\p{L}\p{N}\p{M}]$/u.test(q);
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

const capitals = (s: string) => s.replace(/[^\p{Lu}]/gu, '').length;

/**
 * The spelling shown for a facet value written several ways ("reagan" from a label, "Reagan" from
 * the text): the one most articles carry, then the one with more capitals, then the first in code
 * order. Used by the build within a segment and by the loader across segments.
 */
export function preferredSpelling(counts: ReadonlyMap<string, number>): string {
  return ([...counts].sort((a, b) => b[1] - a[1] || capitals(b[0]) - capitals(a[0]) || (a[0] < b[0] ? -1 : 1))[0] as [string, number])[0];
}
