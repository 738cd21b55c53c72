import type { Validated } from './validate.ts';
import { validateRecord } from './validate.ts';

// The first token is `date`; it may follow whitespace (or a BOM) and the body may continue on the
// same line: ` date 2021-11-23 On Tuesday, ...`.
const HEADER = /^\uFEFF?\s*date\s+(\S+)[ \t]*\r?\n?/;

/** Parses a plain-text article. The id is derived from the file name by the caller. */
export function parsePlainText(text: string, id: string): Validated {
  const m = HEADER.exec(text);
  if (!m) return { ok: false, reason: "plain-text article must start with 'date YYYY-MM-DD'" };
  return validateRecord({ id, date: m[1], body: text.slice(m[0].length) });
}
