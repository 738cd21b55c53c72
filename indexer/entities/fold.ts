/**
 * Turns one article's person mentions into people. Within the article:
 * - a surname-only mention ("Putin", "President Putin") folds into the full name it ends ("Vladimir Putin");
 *   a lone given name ("Joe") folds into the full name it starts, or is dropped as a fragment; any other lone
 *   word that folds nowhere stays only if compromise tags it a surname ("Gorbachev", not "Parliament");
 * - a shorter full name folds into a longer one with the same first and last words ("Steven Udvar-Hazy" into
 *   "Steven F. Udvar-Hazy");
 * - a single hyphenated compound ("Putin-Abbas") is either someone's hyphenated surname, or split into
 *   surnames that each fold into a full name; parts that fold nowhere are dropped, the compound never kept;
 * - a full name that is another full name with a descriptor in front ("Scientologist Tom Cruise") folds
 *   into it;
 * - a lone word that ends no full name but starts one whose given name is hyphenated ("Kwok" and
 *   "Kwok Ka-ki": Chinese and Korean names put the surname first) folds into it.
 * Case and accents are ignored when comparing; the first-seen spelling is kept.
 */
import { personKey } from './normalize.ts';
import type { PersonMention } from './people.ts';

interface Person {
  name: string;
  words: string[];
  /** personKey of each word. */
  keys: string[];
  first: number;
}

function newPerson(words: string[], start: number): Person {
  return { name: words.join(' '), words, keys: words.map(personKey), first: start };
}

/** The full name a single word belongs to: the one it ends (or, for a given name, starts), nearest before `at`. */
function ownerOf(word: string, at: number, full: Person[], asGivenName: boolean): Person | undefined {
  const key = personKey(word);
  const matches = full.filter((p) => (asGivenName ? p.keys[0] : p.keys[p.keys.length - 1]) === key);
  const before = matches.filter((p) => p.first <= at);
  return before[before.length - 1] ?? matches[0];
}

/** People in order of first mention (of any of their mentions). */
export function foldPeople(mentions: PersonMention[]): string[] {
  const full = new Map<string, Person>();
  for (const m of mentions) {
    if (m.words.length < 2) continue;
    const key = personKey(m.words.join(' '));
    const known = full.get(key);
    if (known) known.first = Math.min(known.first, m.start);
    else full.set(key, newPerson(m.words, m.start));
  }
  // Shorter full names into longer ones with the same first and last word.
  const fullList = [...full.values()].sort((a, b) => b.words.length - a.words.length);
  const people: Person[] = [];
  for (const p of fullList) {
    const longer = people.find((q) => q.keys.length > p.keys.length && q.keys[0] === p.keys[0] &&
      q.keys[q.keys.length - 1] === p.keys[p.keys.length - 1]);
    if (longer) longer.first = Math.min(longer.first, p.first);
    else people.push(p);
  }
  // "Scientologist Tom Cruise" into "Tom Cruise": the longer name ends with the whole shorter one.
  for (let i = people.length - 1; i >= 0; i--) {
    const p = people[i]!;
    const core = people.find((q) => q !== p && q.keys.length >= 2 && q.keys.length < p.keys.length &&
      q.keys.every((k, j) => k === p.keys[p.keys.length - q.keys.length + j]));
    if (!core) continue;
    core.first = Math.min(core.first, p.first);
    people.splice(i, 1);
  }
  people.sort((a, b) => a.first - b.first);

  const singles = new Map<string, Person>();
  const attach = (owner: Person | undefined, at: number): boolean => {
    if (owner) owner.first = Math.min(owner.first, at);
    return owner !== undefined;
  };
  for (const m of mentions) {
    const word = m.words[0];
    if (m.words.length !== 1 || word === undefined) continue;
    if (m.firstNameOnly) {
      attach(ownerOf(word, m.start, people, true), m.start);
      continue;
    }
    if (attach(ownerOf(word, m.start, people, false), m.start)) continue;
    const surnameFirst = ownerOf(word, m.start, people, true);
    if (surnameFirst?.words[surnameFirst.words.length - 1]!.includes('-') && attach(surnameFirst, m.start)) continue;
    if (word.includes('-')) {
      for (const part of word.split('-')) attach(ownerOf(part, m.start, people, false), m.start);
      continue;
    }
    if (!m.surname) continue;
    const key = personKey(word);
    const known = singles.get(key);
    if (known) known.first = Math.min(known.first, m.start);
    else singles.set(key, newPerson([word], m.start));
  }
  return [...people, ...singles.values()].sort((a, b) => a.first - b.first).map((p) => p.name);
}

/**
 * compromise's mentions plus the name rules' (name-rules.ts). A rule mention that covers compromise mentions
 * and more ("Raymond Chan" inside "Raymond Chan Chi-chuen") replaces them; one that overlaps a mention it does
 * not cover is dropped, since compromise saw more of the sentence.
 */
export function mergeMentions(fromNlp: PersonMention[], fromRules: PersonMention[]): PersonMention[] {
  let out = [...fromNlp];
  for (const r of fromRules) {
    const overlapping = out.filter((m) => m.start < r.end && r.start < m.end);
    if (!overlapping.every((m) => m.start >= r.start && m.end <= r.end && m.end - m.start < r.end - r.start)) continue;
    out = out.filter((m) => !overlapping.includes(m));
    out.push(r);
  }
  return out.sort((a, b) => a.start - b.start);
}
