import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

/**
 * The benchmark corpora: Reuters-21578 as shipped (1×), a deterministic subset for `--quick`, and
 * k× versions made of k copies whose ids get `-x1`… suffixes and whose dates move by 10, 20, …
 * years, so every copy is a distinct, valid article and the date range grows with the corpus.
 */
export const REUTERS = resolve(import.meta.dirname, '..', '..', 'shared', 'data', 'reuters21578', 'articles.ndjson.gz');

/** Articles in the Reuters file (see its README): 1× is 19k, 5× is 95k. */
export const REUTERS_ARTICLES = 19_043;

export interface CorpusSpec {
  /** Label for the report, e.g. `1×` or `quick`. */
  label: string;
  /** Copies of Reuters (1, 5, …); ignored when `firstN` is set. */
  copies: number;
  /** Only the first N Reuters articles (quick mode). */
  firstN?: number;
  /**
   * A scale corpus of this many articles (bench/scale-corpus.ts: Reuters with varied words, names
   * and dates, vocabulary growing like an archive's) instead of Reuters copies; `copies` is then the
   * number of Reuters passes it makes.
   */
  scale?: number;
}

/** Articles of a spec, for ordering and file names. */
export function specArticles(spec: CorpusSpec): number {
  return spec.scale ?? spec.firstN ?? spec.copies * REUTERS_ARTICLES;
}

/** A short, file-name-safe key of a spec: `1x`, `5x`, `1xfirst2000` style for Reuters, `scale95000`. */
export function specKey(spec: CorpusSpec): string {
  return spec.scale !== undefined ? `scale${spec.scale}` : `${spec.copies}x${spec.firstN ?? ''}`;
}

/** An input file for `buildFromInputs`: the original file for 1×, otherwise written into `tmp`. */
export async function prepareCorpus(spec: CorpusSpec, tmp: string): Promise<string> {
  if (spec.firstN === undefined && spec.copies === 1) return REUTERS;
  const out = join(tmp, `reuters-${spec.firstN !== undefined ? `first${spec.firstN}` : `${spec.copies}x`}.ndjson`);
  const sink = createWriteStream(out);
  const write = async (line: string) => {
    if (!sink.write(line + '\n')) await once(sink, 'drain');
  };
  const copies = spec.firstN !== undefined ? 1 : spec.copies;
  for (let copy = 0; copy < copies; copy++) {
    let n = 0;
    for await (const line of readLines(REUTERS)) {
      if (spec.firstN !== undefined && n >= spec.firstN) break;
      n++;
      if (copy === 0) await write(line);
      else await write(JSON.stringify(shiftCopy(JSON.parse(line) as Record<string, unknown>, copy)));
    }
  }
  sink.end();
  await once(sink, 'finish');
  return out;
}

/** Copy k of a record: id suffixed `-xk`, dates (and the timestamp) moved forward 10·k years. */
export function shiftCopy(r: Record<string, unknown>, k: number): Record<string, unknown> {
  const out: Record<string, unknown> = { ...r, id: `${String(r['id'])}-x${k}` };
  if (typeof r['date'] === 'string') out['date'] = shiftYears(r['date'], 10 * k);
  if (typeof r['timestamp'] === 'string') out['timestamp'] = shiftYears(r['timestamp'].slice(0, 10), 10 * k) + r['timestamp'].slice(10);
  return out;
}

/** `YYYY-MM-DD` plus whole years; 29 February becomes the 28th in a year without it. */
export function shiftYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  let md = date.slice(4);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (md === '-02-29' && !leap) md = '-02-28';
  return `${String(y).padStart(4, '0')}${md}`;
}

async function* readLines(file: string): AsyncGenerator<string> {
  const input = createReadStream(file).pipe(createGunzip());
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (line.trim() !== '') yield line;
  }
}
