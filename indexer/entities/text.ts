/**
 * The text the extractor reads. Every transformation here keeps each character at its offset, so spans found in
 * the prepared text are spans of title + "\n\n" + body.
 */
import { isAllCaps } from './normalize.ts';

/**
 * Title, then body. An all-caps part (Reuters headlines, tables) is left out: compromise reads every
 * capitalized word there as a name, and the body repeats what matters.
 */
export function articleText(title: string, body: string): string {
  const parts = [title.trim(), body.trim()].filter((p) => p !== '' && !isAllCaps(p));
  return blankSignOff(unwrapLines(parts.join('\n\n')));
}

/**
 * Wire copy ends with the agency's sign-off on a line of its own ("Reuter", "REUTER", "AP"): no person or place.
 * Blanked with spaces, not cut, so every other character keeps its offset.
 */
function blankSignOff(text: string): string {
  return text.replace(/(?<=\n)[ \t]*(?:Reuters?|REUTERS?|AP|AFP|UPI)[ \t]*$|(?<=\S)[ \t]+(?:Reuters?|REUTERS?)[ \t]*$/, (m) => ' '.repeat(m.length));
}

/**
 * Hard-wrapped text (newswire, e-mail) breaks lines every 60-70 characters, mid-sentence. compromise ends a
 * sentence at every line break, which cuts "Treasury Secretary James\nBaker" into two sentences and two
 * half-names. A single line break after a line of 40+ characters and before a non-space character is such a
 * wrap and becomes a space; blank lines, indented paragraph starts and short lines (tables, lists) stay.
 */
export function unwrapLines(text: string): string {
  return text.replace(/(?<=^|\n)([^\n]{40,})\n(?=\S)/g, '$1 ');
}
