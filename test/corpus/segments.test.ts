import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSearchParams, rawQueryFromString } from '../../core/http/params.ts';
import { loadIndex } from '../../core/search/load-index.ts';
import type { SearchIndex } from '../../core/search/search-index.ts';
import { search } from '../../core/search/search.ts';
import { suggest } from '../../core/search/suggest.ts';
import { MANIFEST_NAME, parseManifest } from '../../core/format/format.ts';
import type { StoredArticle } from '../../core/types.ts';
import { buildBundle, bundleOfSegments, segmentOptions } from '../../indexer/build-bundle.ts';
import { buildSegment } from '../../indexer/build-segment.ts';
import { readRows, readState } from '../../indexer/incremental.ts';
import { folderReader } from '../../storage/local-folder.ts';
import { corpusIndexDir } from './corpus-index.ts';

/**
 * The segment layout does not change an answer, on the real corpus (Reuters-21578 1987, Wikinews
 * 2019-2020, the seed 2021): the built index (one segment), the same articles in one segment per
 * year, and in segments of 1,500 give identical totals, facets, hits, scores and snippets for a few
 * hundred queries of every kind, and identical suggestions.
 */
let one: SearchIndex;
let byYear: SearchIndex;
let small: SearchIndex;
let articles: StoredArticle[];

const memory = (files: Map<string, Uint8Array>) => loadIndex(async (name) => {
  const b = files.get(name);
  if (!b) throw new Error(`no part ${name}`);
  return b;
});

beforeAll(async () => {
  const { dir } = await corpusIndexDir();
  one = await loadIndex(folderReader(dir));
  const manifest = parseManifest(await readFile(join(dir, MANIFEST_NAME)));
  const io = { read: (n: string) => readFile(join(dir, n)), write: async () => {} };
  const state = await readState(manifest, io);
  articles = [];
  for (let seg = 0; seg < manifest.segments.length; seg++) {
    const info = manifest.segments[seg]!;
    articles.push(...(await readRows(state, io, seg, [...Array(info.articleCount).keys()].filter((r) => !info.deleted.includes(r)))));
  }
  small = await memory((await buildBundle(articles, { segmentSize: 1500, language: manifest.analyzer.language })).files);
  const so = segmentOptions({ language: manifest.analyzer.language });
  const years = new Map<string, StoredArticle[]>();
  for (const a of articles) years.set(a.date.slice(0, 4), [...(years.get(a.date.slice(0, 4)) ?? []), a]);
  const segs = [];
  for (const list of years.values()) segs.push(await buildSegment(list, so));
  byYear = await memory(bundleOfSegments(segs, { termShards: so.termShards, language: so.language, flexsearchVersion: manifest.flexsearch.version, now: () => new Date(0) }).files);
}, 900_000);

/** Queries of every kind: words from titles (plain, prefix, phrase, OR, negation), filters, sorts, pages. */
function queries(): string[] {
  const out = ['q=', 'q=oil', 'q=bank rate', 'q=%22oil prices%22', 'q=oil OR gas', 'q=oil -opec', 'q=-the', 'q=title:coffee', 'q=pres*', 'q=putin', 'q=election&sort=date', 'q=&person=Vladimir Putin', 'q=trade&location=Japan&sort=date_asc', 'q=dollar&from=1987-03-01&to=2019-12-31', 'q=gold&recency=30', 'q=bank&page=3', 'q=%E7%BF%92%E8%BF%91%E5%B9%B3'];
  let seed = 12345;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
  for (let i = 0; i < 240; i++) {
    const words = (articles[rnd(articles.length)]!.title.toLowerCase().match(/[a-z]{3,}/g) ?? ['oil']).slice(0, 4);
    const a = words[rnd(words.length)]!;
    const b = words[rnd(words.length)]!;
    const forms = [`q=${a}`, `q=${a} ${b}`, `q=${a.slice(0, 3)}*`, `q=%22${a} ${b}%22`, `q=${a} OR ${b}`, `q=${a} -${b}`, `q=${a}&sort=date`, `q=${a}&limit=5&page=2`];
    out.push(forms[i % forms.length]!);
  }
  return out;
}

describe('segment layouts on the corpus', () => {
  it('answer identically: one segment, one per year, segments of 1,500', async () => {
    expect(one.manifest.segments.length).toBe(1);
    expect(byYear.manifest.segments.length).toBeGreaterThanOrEqual(4);
    expect(small.manifest.segments.length).toBe(Math.ceil(articles.length / 1500));
    expect(byYear.size).toBe(one.size);
    let compared = 0;
    for (const q of queries()) {
      const p = parseSearchParams(rawQueryFromString(q));
      const want = await search(one, p, () => 0);
      expect(await search(byYear, p, () => 0), q).toEqual(want);
      expect(await search(small, p, () => 0), q).toEqual(want);
      compared++;
    }
    console.log(`segment layouts: ${compared} queries identical over 1, ${byYear.manifest.segments.length} and ${small.manifest.segments.length} segments`);
  }, 900_000);

  it('suggest identically', () => {
    for (const q of ['pu', 'oil', 'ban', 'elec', 'ja', 'mosk']) {
      expect(suggest(byYear, q, 8, () => 0), q).toEqual(suggest(one, q, 8, () => 0));
      expect(suggest(small, q, 8, () => 0), q).toEqual(suggest(one, q, 8, () => 0));
    }
  });
});
