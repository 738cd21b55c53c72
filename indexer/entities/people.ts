/**
 * Person mentions from compromise's `doc.people()` spans. This file turns spans into word runs (continuing
 * hyphenated names, completing a lone given name, splitting at punctuation); `person-words.ts` cleans a run into
 * a name, and `fold.ts` merges the article's mentions into people.
 */
import type { Gazetteer } from './gazetteer.ts';
import { isOrgWord } from './lexicon.ts';
import { isCapitalized } from './normalize.ts';
import { toMention, type PersonMention, type Word } from './person-words.ts';
import type { NlpTerm, SpanView } from './tags.ts';
import { isTitleWord } from './titles.ts';

export type { PersonMention } from './person-words.ts';

const has = (t: NlpTerm, tag: string): boolean => t.tags?.has(tag) ?? false;
const BLOCKS_SURNAME = ['Place', 'Date', 'Value', 'Demonym', 'Honorific', 'Pronoun', 'Determiner', 'Preposition', 'Verb'];

/** The span's terms, continued across a hyphen ("Kim Jong-un") and completed after a lone given name ("Joe Biden's"). */
function spanTerms(sentence: NlpTerm[], start: number, end: number): NlpTerm[] {
  const terms = sentence.slice(start, end);
  let next = end;
  while (terms.length > 0 && terms[terms.length - 1]!.post === '-' && sentence[next]) terms.push(sentence[next++]!);
  const last = terms[terms.length - 1];
  const after = sentence[next];
  if (last && after && has(last, 'FirstName') && !has(last, 'LastName') && /^\s+$/.test(last.post) && after.pre === '' &&
      isCapitalized(after.text) && (has(after, 'ProperNoun') || has(after, 'Person')) &&
      !BLOCKS_SURNAME.some((tag) => has(after, tag)) && !isTitleWord(after.text)) {
    terms.push(after);
  }
  return terms;
}

/**
 * Splits a span where a name cannot continue: after punctuation other than a hyphen or an initial's dot
 * (",", ":", ";", brackets, quotes, a full stop) and after a possessive ("Maxwell's British Printing").
 */
function segments(terms: NlpTerm[]): NlpTerm[][] {
  const out: NlpTerm[][] = [[]];
  for (const t of terms) {
    out[out.length - 1]!.push(t);
    const post = t.post.trim();
    const initial = /^\p{Lu}$/u.test(t.text) && post === '.';
    if ((post !== '' && t.post !== '-' && !initial) || /\p{L}['’]s$/u.test(t.text)) out.push([]);
  }
  return out.filter((seg) => seg.length > 0);
}

/** Groups terms into words, joining hyphenated pieces. */
function toWords(terms: NlpTerm[]): Word[] {
  const words: Word[] = [];
  let prevPost = ' ';
  for (const t of terms) {
    const prev = words[words.length - 1];
    if (prev && prevPost === '-') prev.text += `-${t.text}`;
    else words.push({ text: t.text, start: t.offset?.start ?? 0, tags: t.tags ?? new Set() });
    prevPost = t.post;
  }
  return words;
}

/**
 * An organization word in compromise's sense ("Corp", "Pharmaceuticals", a term it tagged Organization). Of its
 * organization-word list only legal-form abbreviations and plurals count on their own, since singular ones are
 * also surnames ("Samantha Power", "Emily Post").
 */
function isOrgTerm(t: NlpTerm | undefined): boolean {
  if (t === undefined || !isCapitalized(t.text)) return false;
  if (has(t, 'Organization')) return true;
  return isOrgWord(t.text) && (/^(?:co|corp|inc|ltd|llc|plc|assoc)\.?$/i.test(t.text) || /s$/.test(t.text));
}

/**
 * Is the span really a name? Not when it is the whole sentence and a single word (a sign-off such as
 * "Reuter", a byline); not when a word of it, or the word after it (past an "and"/"&"), is an organization
 * word ("McDonnell Douglas Corp", "Merrill Lynch and Co").
 */
function nameLikeSpan(sentence: NlpTerm[], start: number, end: number): boolean {
  if (sentence.length === 1) return false;
  if (sentence.slice(start, end).some(isOrgTerm)) return false;
  const after = sentence[end];
  if (after && has(after, 'Possessive')) return true;
  return !(isOrgTerm(after) || (after && /^(?:and|&)$/.test(after.text) && isOrgTerm(sentence[end + 1])));
}

/** Cleaned mentions from a `doc.people()` view of a document that had `compute('offset')` run. */
export function findPersonMentions(people: SpanView, gaz: Gazetteer): PersonMention[] {
  const sentences = people.document as unknown as NlpTerm[][];
  const mentions: PersonMention[] = [];
  for (const [n, s, e] of people.pointer ?? []) {
    const sentence = n === undefined ? undefined : sentences[n];
    if (!sentence || s === undefined || e === undefined || !nameLikeSpan(sentence, s, e)) continue;
    for (const segment of segments(spanTerms(sentence, s, e))) {
      const mention = toMention(toWords(segment), gaz);
      if (mention) mentions.push(mention);
    }
  }
  return mentions;
}
