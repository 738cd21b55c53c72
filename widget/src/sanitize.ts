/**
 * Untrusted text → DOM. Article titles, names, snippets and URLs come from scraped news, so nothing
 * from the API is ever parsed as HTML: text becomes text nodes, and the one markup we honour, the
 * server's `<mark>` highlighting, is rebuilt as real elements by this module.
 */

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the entities an HTML escaper produces. Unknown or invalid entities stay as written. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]+);/g, (m, e: string) => {
    if (e[0] !== '#') return NAMED[e.toLowerCase()] ?? m;
    const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    const valid = cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
    return valid ? String.fromCodePoint(cp) : m;
  });
}

/**
 * Nodes for a snippet that is HTML-escaped text with `<mark>`…`</mark>` around matches.
 * Exactly `<mark>` and `</mark>` become elements; any other tag, even if the server failed to escape
 * it, is shown as literal text.
 */
export function snippetNodes(snippet: string, doc: Document = document): Node[] {
  const out: Node[] = [];
  let mark: HTMLElement | null = null;
  for (const token of snippet.split(/(<\/?mark>)/i)) {
    const t = token.toLowerCase();
    if (t === '<mark>') {
      if (!mark) {
        mark = doc.createElement('mark');
        mark.setAttribute('part', 'mark');
        out.push(mark);
      }
    } else if (t === '</mark>') {
      mark = null;
    } else if (token) {
      const text = doc.createTextNode(decodeEntities(token));
      if (mark) mark.append(text);
      else out.push(text);
    }
  }
  return out;
}

/** `raw` as an absolute http(s) URL, or null: `javascript:`, `data:` and anything else is never a link. */
export function safeHref(raw: string | null, base: string): string | null {
  if (!raw || !raw.trim()) return null;
  try {
    const u = new URL(raw.trim(), base);
    // Use the parsed form: what we checked is exactly what the browser will follow.
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}
