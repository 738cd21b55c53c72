import { escapeHtml, wordSpans, type WordSpan } from '../text.ts';

export const SNIPPET_LENGTH = 200;
/** Bodies longer than this are only scanned this far for matches; keeps a 100 kB article cheap. */
const SCAN_LIMIT = 20_000;

export interface Highlighter {
  /** Exact terms (folded) to mark. */
  terms: ReadonlySet<string>;
  /** A trailing prefix (folded) to mark, or null. */
  prefix: string | null;
}

/**
 * An excerpt of `body` around the densest cluster of matches, HTML-escaped, with every match wrapped
 * in `<mark>`. Without matches it is the start of the body. Whitespace is collapsed for display.
 */
export function makeSnippet(body: string, hl: Highlighter, length = SNIPPET_LENGTH): string {
  const text = body.length > SCAN_LIMIT ? body.slice(0, SCAN_LIMIT) : body;
  const spans = wordSpans(text);
  const isMatch = (w: WordSpan) => hl.terms.has(w.term) || (hl.prefix !== null && w.term.startsWith(hl.prefix));
  const matches = spans.filter(isMatch);

  let start = 0;
  if (matches.length > 0) {
    // Window starting a little before each match; keep the one covering the most distinct terms.
    let best = -1;
    for (let i = 0; i < matches.length; i++) {
      const from = (matches[i] as WordSpan).start;
      const distinct = new Set<string>();
      let count = 0;
      for (let j = i; j < matches.length && (matches[j] as WordSpan).end <= from + length; j++) {
        distinct.add((matches[j] as WordSpan).term);
        count++;
      }
      const value = distinct.size * 1000 + count;
      if (value > best) {
        best = value;
        start = from;
      }
    }
    start = backToWordStart(spans, Math.max(0, start - 40));
  }
  let end = Math.min(text.length, start + length);
  if (end < text.length) {
    // Cut at the end of the last whole word inside the window.
    const lastWord = spans.filter((w) => w.end <= end).pop();
    if (lastWord && lastWord.end > start) end = lastWord.end;
  }

  let out = start > 0 ? '…' : '';
  let pos = start;
  for (const w of spans) {
    if (w.start < start || w.end > end) continue;
    if (!isMatch(w)) continue;
    out += display(text.slice(pos, w.start)) + '<mark>' + display(text.slice(w.start, w.end)) + '</mark>';
    pos = w.end;
  }
  out += display(text.slice(pos, end));
  if (end < body.length) out += '…';
  return out.replace(/^… /, '…').trim();
}

function display(s: string): string {
  return escapeHtml(s.replace(/\s+/g, ' '));
}

function backToWordStart(spans: WordSpan[], pos: number): number {
  for (const w of spans) {
    if (w.end > pos) return w.start <= pos ? w.start : w.start;
  }
  return pos;
}
