import { parseIsoDate } from '../core/dates.ts';
import { normalizeLanguage } from '../core/text.ts';
import type { SourceArticle } from '../core/types.ts';

export const MAX_BODY_CHARS = 1_000_000;
const MAX_ID_CHARS = 256;
export const MAX_TITLE_CHARS = 1_000;
const MAX_URL_CHARS = 2_048;
const MAX_NAMES = 100;
const MAX_NAME_CHARS = 200;
// Control characters other than tab and newlines: noise from old wire formats, never content.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

export type Validated = { ok: true; article: SourceArticle } | { ok: false; reason: string };

/**
 * Checks one JSON record. Unknown fields are ignored (corpora carry extra metadata such as
 * `categories`); every problem with a known field rejects the record with a reason.
 */
export function validateRecord(raw: unknown): Validated {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('record is not a JSON object');
  const r = raw as Record<string, unknown>;
  let id = r['id'];
  if (typeof id === 'number' && Number.isFinite(id)) id = String(id);
  if (typeof id !== 'string' || id.trim() === '') return fail('missing id (a non-empty string)');
  id = id.trim();
  if ((id as string).length > MAX_ID_CHARS) return fail(`id longer than ${MAX_ID_CHARS} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(id as string)) return fail('id contains control characters');
  const date = normalizeDate(r['date']);
  if (!date) return fail(`bad date ${JSON.stringify(r['date'])?.slice(0, 40) ?? 'undefined'} (want YYYY-MM-DD)`);
  const rawBody = r['body'];
  const body = typeof rawBody === 'string' ? rawBody.replace(CONTROL, '') : rawBody;
  if (typeof body !== 'string' || body.trim() === '') return fail('empty body');
  if (body.length > MAX_BODY_CHARS) return fail(`body longer than ${MAX_BODY_CHARS} characters`);
  const title = r['title'];
  if (title !== undefined && title !== null && typeof title !== 'string') return fail('title must be a string');
  if (typeof title === 'string' && title.length > MAX_TITLE_CHARS) return fail(`title longer than ${MAX_TITLE_CHARS} characters`);
  const url = r['url'];
  if (url !== undefined && url !== null && (typeof url !== 'string' || url.length > MAX_URL_CHARS || !isHttpUrl(url))) {
    return fail('url must be an http(s) URL of at most 2048 characters');
  }
  const dateline = r['dateline'];
  if (dateline !== undefined && dateline !== null && (typeof dateline !== 'string' || dateline.length > MAX_NAME_CHARS)) {
    return fail(`dateline must be a string of at most ${MAX_NAME_CHARS} characters`);
  }
  const people = stringList(r['people'], 'people');
  if (typeof people === 'string') return fail(people);
  const places = stringList(r['places'], 'places');
  if (typeof places === 'string') return fail(places);
  const rawLang = r['lang'];
  const lang = typeof rawLang === 'string' && rawLang.length <= 35 ? normalizeLanguage(rawLang) : null;
  if (rawLang !== undefined && rawLang !== null && lang === null) {
    return fail('lang must be a language tag such as "en", "de-CH" or "zh", or "none"');
  }
  const article: SourceArticle = {
    id: id as string,
    date,
    title: typeof title === 'string' && title.trim() ? title.replace(CONTROL, '').trim().replace(/\s+/g, ' ') : deriveTitle(body),
    body: body.trim(),
  };
  if (typeof url === 'string') article.url = url;
  if (typeof dateline === 'string' && dateline.trim()) article.dateline = dateline.replace(CONTROL, '').replace(/\s+/g, ' ').trim();
  if (people.length) article.people = people;
  if (places.length) article.places = places;
  if (lang !== null) article.lang = lang;
  return { ok: true, article };
}

function fail(reason: string): Validated {
  return { ok: false, reason };
}

/** Accepts `YYYY-MM-DD` and ISO timestamps that start with one. */
export function normalizeDate(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const d = v.trim().slice(0, 10);
  if (v.trim().length > 10 && !/^T\d/.test(v.trim().slice(10))) return null;
  return parseIsoDate(d) === null ? null : d;
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function stringList(v: unknown, name: string): string[] | string {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return `${name} must be an array of strings`;
  if (v.length > MAX_NAMES) return `${name} has more than ${MAX_NAMES} entries`;
  if ((v as string[]).some((x) => x.length > MAX_NAME_CHARS)) return `${name} has an entry longer than ${MAX_NAME_CHARS} characters`;
  return (v as string[]).map((s) => s.trim().replace(/\s+/g, ' ')).filter(Boolean);
}

/**
 * Title for articles that have none: the first line, or its first sentence when the line is a whole
 * paragraph (as in plain-text files), cut at a word boundary if still long.
 */
export function deriveTitle(body: string): string {
  const firstLine = body.trim().split(/\n/)[0]?.trim() ?? '';
  let title = firstLine;
  if (title.length > 160) {
    const m = /^(.{20,}?[.!?])["'”’)]?\s+(?=["'“‘(]?[\p{Lu}\d])/u.exec(title);
    if (m) title = m[0].trim();
  }
  if (title.length > 200) title = title.slice(0, 200).replace(/\s+\S*$/, '') + '…';
  return title;
}
