/**
 * What compromise said about each stretch of the text: a flat, offset-sorted view of its terms plus the spans of
 * `doc.places()`, so the gazetteer scanner can ask "is this range a date / a proper noun / tagged as a place?"
 * by character offset.
 */
import type nlp from 'compromise';

type Doc = ReturnType<typeof nlp>;

/** A compromise view reduced to what is read here: the shared document and the view's spans. */
export interface SpanView {
  document: Doc['document'];
  pointer: Doc['pointer'];
}

/** The compromise term fields we read (its `Term` type omits `offset`). */
export interface NlpTerm {
  text: string;
  pre: string;
  post: string;
  tags?: Set<string>;
  offset?: { start: number; length: number };
}

export interface TagIndex {
  /** Any term overlapping [start, end) is a month, weekday or other date word. */
  isDate(start: number, end: number): boolean;
  /** Any term overlapping [start, end) belongs to a `doc.places()` span. */
  inPlace(start: number, end: number): boolean;
  /** Any term overlapping [start, end) is a proper noun or demonym, not a function word ("In" at a sentence start). */
  isNameWord(start: number, end: number): boolean;
  /** Any term overlapping [start, end) is a role noun (compromise's `Actor`: "goalkeeper", "photographers"). */
  isRole(start: number, end: number): boolean;
  /** Any term overlapping [start, end) is tagged as (part of) an organization or a place by compromise. */
  isEntityWord(start: number, end: number): boolean;
}

const PLACE = 1;
const DATE = 2;
const NAME_WORD = 4;
const ROLE = 8;
const ORG_OR_PLACE = 16;
const DATE_TAGS = ['Date', 'Month', 'WeekDay'];
const FUNCTION_TAGS = ['Preposition', 'Determiner', 'Conjunction', 'Pronoun', 'Adverb', 'Verb'];

/** Flags that come from the term's own tags. */
function termFlags(term: NlpTerm): number {
  const tags = term.tags;
  if (!tags) return 0;
  const date = DATE_TAGS.some((t) => tags.has(t)) ? DATE : 0;
  const name = (tags.has('ProperNoun') || tags.has('Demonym')) && !FUNCTION_TAGS.some((t) => tags.has(t)) ? NAME_WORD : 0;
  const role = tags.has('Actor') ? ROLE : 0;
  const entity = tags.has('Organization') || tags.has('Place') ? ORG_OR_PLACE : 0;
  return date | name | role | entity;
}

/** The terms covered by a view's spans. */
function spanTerms(view: SpanView): Set<NlpTerm> {
  const out = new Set<NlpTerm>();
  const sentences = view.document as unknown as NlpTerm[][];
  for (const [n, start, end] of view.pointer ?? []) {
    const sentence = n === undefined ? undefined : sentences[n];
    if (!sentence || start === undefined || end === undefined) continue;
    for (let i = start; i < end; i++) if (sentence[i]) out.add(sentence[i]!);
  }
  return out;
}

/** The index of a text compromise did not read: nothing is tagged. */
export const EMPTY_TAGS: TagIndex = {
  isDate: () => false,
  inPlace: () => false,
  isNameWord: () => false,
  isRole: () => false,
  isEntityWord: () => false,
};

/** Builds the index; `doc` must have had `compute('offset')` run, `places` is `doc.places()`. */
export function buildTagIndex(doc: SpanView, places: SpanView): TagIndex {
  const inPlaces = spanTerms(places);
  const starts: number[] = [];
  const ends: number[] = [];
  const flags: number[] = [];
  for (const sentence of doc.document as unknown as NlpTerm[][]) {
    for (const term of sentence) {
      if (!term.offset) continue;
      starts.push(term.offset.start);
      ends.push(term.offset.start + term.offset.length);
      flags.push((inPlaces.has(term) ? PLACE : 0) | termFlags(term));
    }
  }

  /** Index of the first term whose end is after `pos` (binary search; terms are in text order). */
  const firstEndingAfter = (pos: number): number => {
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid]! <= pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const any = (start: number, end: number, flag: number): boolean => {
    for (let i = firstEndingAfter(start); i < starts.length && starts[i]! < end; i++) if (flags[i]! & flag) return true;
    return false;
  };
  return {
    isDate: (s, e) => any(s, e, DATE),
    inPlace: (s, e) => any(s, e, PLACE),
    isNameWord: (s, e) => any(s, e, NAME_WORD),
    isRole: (s, e) => any(s, e, ROLE),
    isEntityWord: (s, e) => any(s, e, ORG_OR_PLACE),
  };
}
