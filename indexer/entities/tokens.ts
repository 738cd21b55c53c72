/**
 * A small word tokenizer with character offsets, used to scan raw text against the gazetteer. It is independent
 * of compromise so that hyphenated compounds ("Israel-Palestine") and dotted abbreviations ("U.S.") come out
 * the way gazetteer keys are built.
 */
import { isCapitalized } from './normalize.ts';

export interface Token {
  /** The word as written, possibly with a trailing dot or possessive ("U.S.", "Russia's"). */
  text: string;
  start: number;
  end: number;
  /** Upper-case initial, or an elided article before one ("d'Ivoire", "l'Aquila"). */
  nameLike: boolean;
  /** Lower-case word allowed inside a multi-word name ("of", "and", "de", "upon"). */
  connector: boolean;
  /** The word closes a name: possessive, or sentence-final dot. */
  closes: boolean;
  /** The text between this token and the next can sit inside a name: spaces, one hyphen or one comma. */
  joinsNext: boolean;
}

// A word: letters/digits, optionally continued by apostrophe- or dot-joined pieces ("d'Ivoire", "U.S", "Putin's"),
// optionally followed by one dot.
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’.][\p{L}\p{M}\p{N}]+)*\.?/gu;
const CONNECTORS = new Set(['of', 'and', 'the', 'de', 'del', 'da', 'do', 'dos', 'das', 'di', 'du', 'la', 'le', 'les', 'en', 'upon', 'on', 'am', 'al', 'el', 'y']);
const JOIN_GAP = /^\s*[-–,]?\s*$/;

/** Is a trailing dot a sentence end rather than part of an abbreviation or an initial? */
function endsSentence(word: string): boolean {
  if (!word.endsWith('.')) return false;
  const core = word.slice(0, -1);
  return core.length > 1 && !core.includes('.');
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const word = m[0];
    const start = m.index;
    tokens.push({
      text: word,
      start,
      end: start + word.length,
      nameLike: isCapitalized(word) && /^\p{L}/u.test(word) ? true : /^\p{Ll}{1,2}['’]\p{Lu}/u.test(word),
      connector: CONNECTORS.has(word),
      closes: /['’]s?$/.test(word) || endsSentence(word),
      joinsNext: false,
    });
  }
  for (let i = 0; i + 1 < tokens.length; i++) {
    const a = tokens[i]!;
    const b = tokens[i + 1]!;
    a.joinsNext = !a.closes && JOIN_GAP.test(text.slice(a.end, b.start));
  }
  return tokens;
}
