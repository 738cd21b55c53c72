/**
 * Person names that compromise does not tag, found by their shape or their neighbourhood in our own tokens:
 * - a role noun or job title right before two or three name words ("goalkeeper Mouez Hassen",
 *   "athletes Vitas Gerulaitis", "Prime Minister, Najib Razak"): compromise tags the role (`Actor`) but not
 *   the unfamiliar name after it;
 * - a short surname before a hyphenated two-syllable given name, the usual romanization of Chinese and Korean
 *   names ("Kwok Ka-ki", "Hwang Hee-chan"), optionally after an English given name ("Raymond Chan Chi-chuen");
 * - a given name from the name lists (given-names.ts) before an unfamiliar word that is no place or organization
 *   ("Nacer Chadli replaced Axel Witsel"), where compromise knows neither;
 * - two or three name words listed together with a person already found ("Romelu Lukaku, Yannick Carrasco,
 *   and Dries Mertens", where compromise knows only Yannick): the items of one list are of one kind.
 * A name word is title-case letters that the lexicon does not know as an ordinary, organization or place word,
 * is no country, demonym, month or title, and that compromise did not tag as part of an organization or place.
 */
import { CITY_MIN_POPULATION, lookupPlace, type Gazetteer } from './gazetteer.ts';
import { isListedGivenName } from './given-names.ts';
import { isCalendarWord, isLexiconFunctionWord, isLexiconGivenName, isLexiconOrdinaryWord, isNumberWord, isOrgWord, isPlaceNoun } from './lexicon.ts';
import { placeKey, stripPossessive } from './normalize.ts';
import { personShaped, type PersonMention } from './person-words.ts';
import type { TagIndex } from './tags.ts';
import { isTitleWord } from './titles.ts';
import type { Token } from './tokens.ts';

/** A word as a reader sees it: hyphen-joined tokens merged ("Ka-ki"), possessive dropped. */
interface NameWord {
  text: string;
  start: number;
  end: number;
  /** Nothing but one space before the next word, and no possessive or full stop closing this one. */
  continues: boolean;
}

function words(text: string, tokens: Token[]): NameWord[] {
  const out: NameWord[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = out[out.length - 1];
    if (prev && i > 0 && text.slice(tokens[i - 1]!.end, t.start) === '-' && !tokens[i - 1]!.closes) {
      prev.text += `-${t.text}`;
      prev.end = t.end;
    } else {
      out.push({ text: t.text, start: t.start, end: t.end, continues: false });
    }
  }
  for (let i = 0; i + 1 < out.length; i++) {
    const w = out[i]!;
    w.continues = text.slice(w.end, out[i + 1]!.start) === ' ' && !/(?:['’]s?|\.)$/.test(w.text);
  }
  return out;
}

const TITLE_CASE = /^\p{Lu}[\p{Ll}\p{M}]+(?:-\p{L}[\p{Ll}\p{M}]*)?$/u;
const HYPHEN_GIVEN = /^\p{Lu}\p{Ll}{1,5}-(\p{L}\p{Ll}{0,5})$/u;

/**
 * How name-like a word is. 1: a title-case word that is no title, month, country, demonym, organization or
 * function word (in a list with a person, "Newton" and "Dries" are names although English knows them as words);
 * 2: also not an ordinary English word (the surname rule: compromise reads "Park" and "Kwok" as places, the
 * hyphenated given name after them is evidence enough); 3: also no place noun and not tagged as an organization
 * or place by compromise.
 */
function nameLevel(w: NameWord, gaz: Gazetteer, tags: TagIndex): number {
  const word = bare(w.text);
  if (!TITLE_CASE.test(word)) return 0;
  if (isTitleWord(word) || isCalendarWord(word) || isOrgWord(word) || isLexiconFunctionWord(word)) return 0;
  const key = placeKey(word);
  if (gaz.countries.byKey.has(key) || gaz.countries.demonyms.has(key) || tags.isDate(w.start, w.end)) return 0;
  if (isLexiconOrdinaryWord(word)) return 1;
  return isPlaceNoun(word) || tags.isEntityWord(w.start, w.end) ? 2 : 3;
}

/** The word without a possessive or a sentence-final full stop. */
const bare = (word: string): string => stripPossessive(word.replace(/\.$/, ''));

function mention(run: NameWord[], gaz: Gazetteer): PersonMention | null {
  const names = run.map((w) => bare(w.text));
  if (lookupPlace(gaz, names.join(' '), CITY_MIN_POPULATION) || !personShaped(names)) return null;
  return { words: names, start: run[0]!.start, end: run[run.length - 1]!.end, firstNameOnly: false, surname: false };
}

/** "Kwok Ka-ki": the given name's second syllable must not be an English word ("Hong Kong-based"). */
function hyphenatedGivenName(word: string): boolean {
  const m = HYPHEN_GIVEN.exec(stripPossessive(word));
  return m !== null && !(m[1]!.length > 3 && isLexiconOrdinaryWord(m[1]!));
}

/** Separators between the items of a list: ", ", " and ", ", and ", " & ". */
const LIST_GAP = /^(?:\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+)$/;

/**
 * Runs of two or three name-like words (level 1+, the first of level 3 or a known given name: "Helmut Newton"),
 * not after a determiner ("the Civic Party"), grouped into lists; a list with an item overlapping `known`
 * yields all its items.
 */
function listMentions(text: string, ws: NameWord[], level: number[], gaz: Gazetteer, known: PersonMention[]): PersonMention[] {
  const runs: [number, number][] = [];
  for (let i = 0; i < ws.length; i++) {
    if (!level[i]) continue;
    let j = i;
    while (j + 1 < ws.length && j - i < 2 && level[j + 1] && ws[j]!.continues) j++;
    const longer = j + 1 < ws.length && level[j + 1] && ws[j]!.continues;
    // A determiner before it makes a name an institution: "the Civic Party".
    const determined = i > 0 && /^(?:the|a|an)$/i.test(ws[i - 1]!.text);
    if (j > i && !longer && !determined && (level[i] === 3 || isLexiconGivenName(bare(ws[i]!.text)))) runs.push([i, j]);
    i = j;
  }
  const out: PersonMention[] = [];
  const overlaps = (m: PersonMention) => known.some((k) => k.start < m.end && m.start < k.end);
  for (let a = 0; a < runs.length;) {
    let b = a;
    while (b + 1 < runs.length && LIST_GAP.test(text.slice(ws[runs[b]![1]]!.end, ws[runs[b + 1]![0]]!.start))) b++;
    const items = runs.slice(a, b + 1).map(([i, j]) => mention(ws.slice(i, j + 1), gaz));
    if (items.length > 1 && items.some((m) => m && overlaps(m))) {
      for (const m of items) if (m && !overlaps(m)) out.push(m);
    }
    a = b + 1;
  }
  return out;
}

/**
 * Does the name ending at word `last` run on into something that is not a person: more capitalized words
 * ("Kleinwort Benson Cross Financing"), a title ("National Security Adviser") or an organization word, directly
 * or after "and" ("Morgan Stanley and Co")?
 */
function continuesAsInstitution(text: string, ws: NameWord[], last: number): boolean {
  const next = ws[last + 1];
  if (!next || !ws[last]!.continues) return false;
  const word = bare(next.text);
  if (/^\p{Lu}/u.test(word) || isTitleWord(word) || isOrgWord(word)) return true;
  const after = ws[last + 2];
  return /^(?:and|&)$/.test(word) && after !== undefined && next.continues && isOrgWord(bare(after.text));
}

/**
 * Person mentions from the rules, in text order; they may overlap compromise's own mentions (`known`), which
 * the list rule builds on.
 */
export function findNameRuleMentions(text: string, tokens: Token[], gaz: Gazetteer, tags: TagIndex,
  known: PersonMention[]): PersonMention[] {
  const ws = words(text, tokens);
  const level = ws.map((w) => nameLevel(w, gaz, tags));
  const ok = level.map((l) => l === 3);
  const loose = level.map((l) => l >= 2);
  const out: PersonMention[] = [];
  for (let i = 0; i < ws.length; i++) {
    // Surname + hyphenated given name, with an English given name before it if there is one.
    if (i + 1 < ws.length && loose[i] && loose[i + 1] && ws[i]!.continues && stripPossessive(ws[i]!.text).length <= 6 &&
        !ws[i]!.text.includes('-') && hyphenatedGivenName(ws[i + 1]!.text)) {
      const given = i > 0 && loose[i - 1] && ws[i - 1]!.continues && isLexiconGivenName(ws[i - 1]!.text);
      const m = mention(ws.slice(given ? i - 1 : i, i + 2), gaz);
      if (m) out.push(m);
      i++;
      continue;
    }
    // A listed given name, then an unfamiliar surname, standing alone: not inside a longer run of capitalized
    // words ("Captain America Image: ...", a caption) and not a label before a colon.
    const before = ws[i - 1];
    const alone = !before || !before.continues || !/^\p{Lu}/u.test(before.text);
    if (i + 1 < ws.length && level[i]! >= 1 && ok[i + 1] && ws[i]!.continues && alone && !(before && /^(?:the|a|an)$/i.test(before.text)) &&
        text[ws[i + 1]!.end] !== ':' && !isNumberWord(bare(ws[i]!.text)) && isListedGivenName(bare(ws[i]!.text)) &&
        !continuesAsInstitution(text, ws, i + 1)) {
      const m = mention(ws.slice(i, i + 2), gaz);
      if (m) {
        out.push(m);
        i++;
        continue;
      }
    }
    // Role noun or title, then two or three name words; a title may be set off by a comma ("Prime Minister,
    // Najib Razak said").
    const role = ws[i]!;
    const isTitle = isTitleWord(bare(role.text));
    const next = ws[i + 1];
    const joined = role.continues || (isTitle && next !== undefined && text.slice(role.end, next.start) === ', ');
    if (!joined || !(tags.isRole(role.start, role.end) || isTitle) || ok[i]) continue;
    let n = 0;
    while (n < 3 && i + 1 + n < ws.length && ok[i + 1 + n] && (n === 0 || ws[i + n]!.continues)) n++;
    if (n >= 2 && !continuesAsInstitution(text, ws, i + n)) {
      const m = mention(ws.slice(i + 1, i + 1 + n), gaz);
      if (m) out.push(m);
      i += n;
    }
  }
  return [...out, ...listMentions(text, ws, level, gaz, [...known, ...out])].sort((a, b) => a.start - b.start);
}
