import { escapeHtml, scanWords } from '../text.ts';
import { wordForms } from './forms.ts';
import type { SearchIndex } from './search-index.ts';

export const SNIPPET_LENGTH = 200;
/** After the first match, look this far for more matches to centre the excerpt on. */
const LOOK_AHEAD = 2_000;
const MAX_MATCHES = 64;
const CONTEXT_BEFORE = 40;

export interface Highlighter {
  /** Folded words to mark: the query's words and their other forms. */
  terms: ReadonlySet<string>;
  /** A trailing prefix (folded): every word starting with it is marked. Null for none. */
  prefix: string | null;
}

interface Span {
  start: number;
  end: number;
  term: string;
}

/** Bodies are scanned for matches this far at most; a 100 kB article costs like a short one. */
const SCAN_LIMIT = 30_000;

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/** Regex source matching `term` literally (ASCII terms: use with flag `i` on ASCII text). */
export function pattern(term: string): string {
  return term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Finds the words of a body that match the query, on the original text: a word matches when its
 * folded form (the tokenizer's, `scanWords`) is one of the query's words or their other forms, or
 * starts with the prefix, so "музей", "Straße", "Zoë" and "習近平" are marked as written, and
 * "elections" for "election". An ASCII body (no accents, no scripts to segment) takes one native
 * regex instead, which finds exactly the same words. Stops soon after the first cluster of matches,
 * which is all a snippet shows.
 */
export class Matcher {
  private static readonly cache = new Map<string, Matcher>();

  /** A shared matcher per distinct set of words: building the regex costs more than using it. */
  static for(terms: ReadonlySet<string>, prefix: string | null): Matcher {
    const key = `${[...terms].join(' ')}|${prefix ?? ''}`;
    let m = Matcher.cache.get(key);
    if (!m) {
      m = new Matcher({ terms, prefix });
      if (Matcher.cache.size >= 256) Matcher.cache.delete(Matcher.cache.keys().next().value as string);
      Matcher.cache.set(key, m);
    }
    return m;
  }

  /**
   * The matcher for a query's words (folded, as `parseQuery` gives them) on `index`: each word with
   * its other forms in the index (`wordForms`), the prefix with its forms and completions.
   */
  static forQuery(index: SearchIndex, terms: readonly string[], prefix: string | null): Matcher {
    const all = new Set<string>();
    for (const t of [...terms, ...(prefix === null ? [] : [prefix])]) {
      all.add(t);
      for (const f of wordForms(index, t)) all.add(f.term);
    }
    return Matcher.for(all, prefix);
  }

  private readonly regex: RegExp | null;
  constructor(readonly hl: Highlighter) {
    // Only ASCII bodies use the regex, and only ASCII words can match in them.
    const alts = [...hl.terms].filter((t) => ASCII.test(t)).map(pattern);
    if (hl.prefix && ASCII.test(hl.prefix)) alts.push(`${pattern(hl.prefix)}[a-z0-9]*`);
    this.regex = alts.length ? new RegExp(`(?<![A-Za-z0-9])(?:${alts.join('|')})(?![A-Za-z0-9])`, 'gi') : null;
  }

  find(body: string): Span[] {
    const text = body.length > SCAN_LIMIT ? body.slice(0, SCAN_LIMIT) : body;
    const out: Span[] = [];
    let stopAt = Infinity;
    if (!ASCII.test(text)) {
      const { terms, prefix } = this.hl;
      scanWords(text, (term, start, end) => {
        if (start > stopAt) return false;
        if (!terms.has(term) && (prefix === null || !term.startsWith(prefix))) return true;
        out.push({ start, end, term });
        if (out.length === 1) stopAt = start + LOOK_AHEAD;
        return out.length < MAX_MATCHES;
      });
      return out;
    }
    if (!this.regex) return [];
    const re = this.regex;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null && m.index <= stopAt; m = re.exec(text)) {
      out.push({ start: m.index, end: m.index + m[0].length, term: m[0].toLowerCase() });
      if (out.length === 1) stopAt = m.index + LOOK_AHEAD;
      if (out.length >= MAX_MATCHES) break;
    }
    return out;
  }
}

/**
 * An excerpt of `body` around the densest cluster of matches, HTML-escaped, with every match wrapped
 * in `<mark>`. Without matches it is the start of the body. Whitespace is collapsed for display.
 */
export function makeSnippet(body: string, matcher: Matcher, length = SNIPPET_LENGTH): string {
  const matches = matcher.find(body);
  let start = 0;
  if (matches.length > 0) {
    // Window starting at each match; keep the one covering the most distinct terms, then most hits.
    let best = -1;
    for (let i = 0; i < matches.length; i++) {
      const from = (matches[i] as Span).start;
      const distinct = new Set<string>();
      let count = 0;
      for (let j = i; j < matches.length && (matches[j] as Span).end <= from + length - CONTEXT_BEFORE; j++) {
        distinct.add((matches[j] as Span).term);
        count++;
      }
      const value = distinct.size * 1000 + count;
      if (value > best) {
        best = value;
        start = from;
      }
    }
    start = wordStartAtOrAfter(body, Math.max(0, start - CONTEXT_BEFORE), start);
  }
  let end = Math.min(body.length, start + length);
  if (end < body.length && isWordChar(body, end) && isWordChar(body, end - 1)) {
    // Do not cut a word in half: back up to the end of the previous word.
    let e = end;
    while (e > start && isWordChar(body, e - 1)) e--;
    while (e > start && !isWordChar(body, e - 1)) e--;
    if (e > start) end = e;
  }

  let out = start > 0 ? '…' : '';
  let pos = start;
  for (const m of matches) {
    if (m.start < start || m.end > end) continue;
    if (m.start === pos && out.endsWith('</mark>')) {
      // Adjacent matches (the tokens of one Chinese word: 习|近平) are one mark.
      out = out.slice(0, -'</mark>'.length) + display(body.slice(m.start, m.end)) + '</mark>';
    } else {
      out += display(body.slice(pos, m.start)) + '<mark>' + display(body.slice(m.start, m.end)) + '</mark>';
    }
    pos = m.end;
  }
  out += display(body.slice(pos, end));
  if (end < body.length) out += '…';
  return out.replace(/^…\s+/, '…').trim();
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

function isWordChar(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 128) return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122);
  return WORD_CHAR.test(s[i] as string);
}

/** First word start in [pos, limit]: the excerpt never begins mid-word. */
function wordStartAtOrAfter(s: string, pos: number, limit: number): number {
  if (pos === 0 || !isWordChar(s, pos - 1)) return pos;
  let i = pos;
  while (i < limit && isWordChar(s, i)) i++;
  while (i < limit && !isWordChar(s, i)) i++;
  return i;
}

function display(s: string): string {
  return escapeHtml(s.replace(/\s+/g, ' '));
}
