import { escapeHtml, foldWord } from '../text.ts';

export const SNIPPET_LENGTH = 200;
/** After the first match, look this far for more matches to centre the excerpt on. */
const LOOK_AHEAD = 2_000;
const MAX_MATCHES = 64;
const CONTEXT_BEFORE = 40;

export interface Highlighter {
  /** Exact terms (folded) to mark. */
  terms: ReadonlySet<string>;
  /** A trailing prefix (folded) to mark, or null. */
  prefix: string | null;
}

interface Span {
  start: number;
  end: number;
  term: string;
}

/** Bodies are scanned for matches this far at most; a 100 kB article costs like a short one. */
const SCAN_LIMIT = 30_000;

/**
 * Letters that fold to each base letter ("e" → "eèéêë…") over Latin-1 and Latin Extended, so one
 * native regex matches what the tokenizer's folding matches: "zoe" marks "Zoë".
 */
const VARIANTS: Map<string, string> = (() => {
  const m = new Map<string, string>();
  for (let cp = 0xc0; cp <= 0x24f; cp++) {
    const ch = String.fromCodePoint(cp);
    const base = foldWord(ch);
    if (base.length === 1 && base !== ch.toLowerCase() && /[a-z]/.test(base)) m.set(base, (m.get(base) ?? base) + ch);
  }
  return m;
})();

/** Regex source matching `term` case- and accent-insensitively (use with flags `iu`). */
export function pattern(term: string): string {
  let out = '';
  for (const c of term) {
    const v = VARIANTS.get(c);
    out += v ? `[${v}]` : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}

/**
 * Finds the words of a body that match the query, with one case- and accent-insensitive native
 * regex bounded by the tokenizer's notion of a word (letters and digits). Stops soon after the
 * first cluster of matches, which is all a snippet shows.
 */
export class Matcher {
  private static readonly cache = new Map<string, Matcher>();

  /** A shared matcher per distinct query: building the regex costs more than using it. */
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

  private readonly regex: RegExp | null;
  constructor(readonly hl: Highlighter) {
    const alts = [...hl.terms].map(pattern);
    if (hl.prefix) alts.push(`${pattern(hl.prefix)}[\\p{L}\\p{N}]*`);
    this.regex = alts.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${alts.join('|')})(?![\\p{L}\\p{N}])`, 'giu') : null;
  }

  find(body: string): Span[] {
    if (!this.regex) return [];
    const text = body.length > SCAN_LIMIT ? body.slice(0, SCAN_LIMIT) : body;
    const out: Span[] = [];
    const re = this.regex;
    re.lastIndex = 0;
    let stopAt = Infinity;
    for (let m = re.exec(text); m !== null && m.index <= stopAt; m = re.exec(text)) {
      out.push({ start: m.index, end: m.index + m[0].length, term: foldWord(m[0]) });
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
    out += display(body.slice(pos, m.start)) + '<mark>' + display(body.slice(m.start, m.end)) + '</mark>';
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
