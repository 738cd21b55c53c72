import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSearchParams, rawQueryFromString } from '../core/http/params.ts';
import { search } from '../core/search/search.ts';
import type { SearchIndex } from '../core/search/search-index.ts';
import { suggest } from '../core/search/suggest.ts';
import { analyze, foldWord, queryTerms, stemOf, tokenize } from '../core/text.ts';
import type { SearchResponse, StoredArticle } from '../core/types.ts';
import { validateRecord } from '../indexer/validate.ts';
import { article, memoryIndex } from './helpers/memory-index.ts';

/** The sample's international stories (examples/articles/intl-stories.json), validated as the build does. */
function intlStories(): StoredArticle[] {
  const raw = JSON.parse(readFileSync(new URL('../examples/articles/intl-stories.json', import.meta.url), 'utf8')) as unknown[];
  return raw.map((r) => {
    const v = validateRecord(r);
    if (!v.ok) throw new Error(v.reason);
    const a = v.article;
    return article({ id: a.id, date: a.date, title: a.title, body: a.body, people: a.people ?? [], locations: a.places ?? [], ...(a.lang ? { lang: a.lang } : {}) });
  });
}

const q = (index: SearchIndex, query: string) => search(index, parseSearchParams(rawQueryFromString(new URLSearchParams({ q: query, limit: '20' }).toString())));
const ids = (r: SearchResponse) => r.hits.map((h) => h.id).sort();
const marks = (r: SearchResponse) => r.hits.flatMap((h) => [...h.snippet.matchAll(/<mark>(.*?)<\/mark>/g)].map((m) => m[1]));
const terms = (index: SearchIndex, typed: string) => suggest(index, typed, 10).suggestions.filter((s) => s.kind === 'term').map((s) => s.value);

let index: SearchIndex;
beforeAll(async () => {
  ({ index } = await memoryIndex(intlStories()));
});

describe('the analyzer', () => {
  it('segments scripts written without spaces, only there', () => {
    expect(tokenize('国家主席习近平周二在上海会见了来访的外国领导人。')).toEqual(['国家', '主席', '习', '近平', '周二', '在', '上海', '会见', '了', '来访', '的', '外国', '领导', '人']);
    expect(tokenize('大阪市の森田健二交通委員は火曜日')).toEqual(['大阪', '市', 'の', '森田', '健二', '交通', '委員', 'は', '火曜日']);
    expect(tokenize('Oil, 石油 and iPhone15发布会')).toEqual(['oil', '石油', 'and', 'iphone15', '发布', '会']);
  });

  it('folds case and accents, keeps letters that are letters (й), and gives offsets in the original text', () => {
    expect(['Zoë', 'STRASSE', 'Straße', 'Łódź', 'Сергей', 'Ёлка', 'الكِتاب', 'ｶﾞｽ', 'がす'].map(foldWord)).toEqual(['zoe', 'strasse', 'strasse', 'lodz', 'сергей', 'елка', 'الكتاب', 'ガス', 'がす']);
    const text = 'Müller vor dem Museum; музей «Сергея»';
    for (const t of analyze(text, 'de')) expect(text.slice(t.start, t.end)).toBe(t.surface);
    expect(analyze(text, 'ru').map((t) => t.surface)).toEqual(['Müller', 'vor', 'dem', 'Museum', 'музей', 'Сергея']);
  });

  it('stems in the language asked for, after folding', () => {
    expect(stemOf('elections', 'en')).toBe('elect');
    expect(stemOf('banks', 'en')).toBe('bank');
    expect(stemOf(foldWord('hôpitaux'), 'fr')).toBe(stemOf(foldWord('hopital'), 'fr'));
    expect(stemOf(foldWord('Straßen'), 'de')).toBe(stemOf('strasse', 'de'));
    expect(stemOf('музеи', 'ru')).toBe(stemOf('музей', 'ru'));
    expect(stemOf('elections', 'none')).toBe('elections');
    // A stemmer leaves other scripts alone.
    expect(stemOf('музеи', 'en')).toBe('музеи');
    expect(queryTerms('习近平', 'zh').map((t) => t.word)).toEqual(['习', '近平']);
  });

  it('records the languages it analyzed in the manifest', () => {
    expect(index.manifest.analyzer.language).toBe('en');
    expect(index.manifest.analyzer.languages).toEqual(['ar', 'de', 'en', 'fr', 'ja', 'ru', 'zh']);
    expect(index.manifest.analyzer.stemmers).toMatchObject({ de: expect.stringContaining('Snowball'), ru: expect.stringContaining('Snowball'), en: expect.stringContaining('Porter2') });
  });
});

describe('German', () => {
  it('finds ß and umlauts typed either way, and other forms', async () => {
    for (const typed of ['strasse ', 'Straße ', 'STRASSEN ']) expect(ids(await q(index, typed)), typed).toEqual(['intl-hamburg-fahrradstrassen', 'intl-hamburg-hafengeburtstag']);
    expect(ids(await q(index, 'muller senatorin'))).toEqual(['intl-hamburg-fahrradstrassen', 'intl-hamburg-hafengeburtstag']);
  });

  it('highlights the words as written', async () => {
    expect(marks(await q(index, 'strasse '))).toEqual(expect.arrayContaining(['Straße']));
    expect(marks(await q(index, 'strassen '))).toEqual(expect.arrayContaining(['Straßen', 'Straße']));
    expect(marks(await q(index, 'muller '))).toContain('Müller');
  });

  it('suggests the spelling the archive uses', () => {
    expect(terms(index, 'stras')).toContain('straße');
    expect(terms(index, 'Straß')).toContain('straße');
  });
});

describe('Russian', () => {
  it('finds a word with й and its other forms, the form typed first', async () => {
    expect(ids(await q(index, 'музей '))).toEqual(['intl-moskva-muzej-metro', 'intl-moskva-noch-muzeev']);
    // "музеи" (plural) is only in the Night of Museums story: it ranks first.
    expect((await q(index, 'музеи ')).hits[0]?.id).toBe('intl-moskva-noch-muzeev');
    expect(ids(await q(index, 'Сергей Волков'))).toEqual(['intl-moskva-muzej-metro', 'intl-moskva-noch-muzeev']);
  });

  it('highlights й as written', async () => {
    expect(marks(await q(index, 'музей '))).toContain('музей');
    expect(marks(await q(index, 'сергей '))).toContain('Сергей');
  });

  it('suggests "музей", not "музеи"', () => {
    expect(terms(index, 'муз')).toEqual(['музей']);
    expect(terms(index, 'Серг')).toEqual(['сергей']);
  });
});

describe('Arabic', () => {
  it('ignores short vowels and finds words with the article or a preposition attached', async () => {
    expect(ids(await q(index, 'القاهرة '))).toEqual(['intl-cairo-maktaba']);
    expect(ids(await q(index, 'كِتاب '))).toEqual(['intl-alexandria-maarad-kitab', 'intl-cairo-maktaba']);
  });

  it('highlights the words as written, short vowels included', async () => {
    expect(marks(await q(index, 'القاهرة '))).toEqual(expect.arrayContaining(['بالقاهرة']));
    expect(marks(await q(index, 'سلمى '))).toContain('سلمى');
  });

  it('suggests names and words', () => {
    expect(terms(index, 'سلم')).toContain('سلمى');
    expect(suggest(index, 'سلمى', 5).suggestions).toContainEqual({ value: 'سلمى حداد', kind: 'person', count: 2 });
  });
});

describe('Chinese', () => {
  it('finds a name and a place inside sentences, a word of several tokens as all of them', async () => {
    expect(ids(await q(index, '上海 '))).toEqual(['intl-shanghai-ditie', 'intl-shanghai-huazhan']);
    expect(ids(await q(index, '李明华'))).toEqual(['intl-shanghai-ditie', 'intl-shanghai-huazhan']);
    expect(ids(await q(index, '王海燕 '))).toEqual(['intl-shanghai-huazhan']);
    const { index: one } = await memoryIndex([
      article({ id: 'xi', title: '新闻', body: '国家主席习近平周二在上海会见了来访的外国领导人。' }),
      article({ id: 'other', title: '新闻', body: '近平原地区周二下雨。' }),
    ]);
    expect(ids(await q(one, '习近平 '))).toEqual(['xi']);
    expect(ids(await q(one, '上海'))).toEqual(['xi']);
    expect(marks(await q(one, '习近平 '))).toEqual(['习近平']);
  });

  it('highlights the tokens of one word as one mark', async () => {
    expect(marks(await q(index, '李明华 '))).toContain('李明华');
    expect(marks(await q(index, '植物园 '))).toContain('植物园');
  });

  it('suggests words', () => {
    expect(terms(index, '上')).toContain('上海');
  });
});

describe('French', () => {
  it('finds accented words typed without accents, and other forms', async () => {
    expect(ids(await q(index, 'hopital '))).toEqual(['intl-lyon-cafes', 'intl-lyon-hopital']);
    expect((await q(index, 'hôpitaux ')).hits[0]?.id).toBe('intl-lyon-hopital');
    expect(ids(await q(index, 'cafe '))).toEqual(['intl-lyon-cafes', 'intl-lyon-hopital']);
  });

  it('highlights as written', async () => {
    expect(marks(await q(index, 'hopital '))).toContain('hôpital');
    expect(marks(await q(index, 'cafe '))).toContain('café');
  });

  it('suggests "hôpital" and "café" as written, not "hopital" and "cafe"', () => {
    expect(terms(index, 'hop')).toEqual(['hôpital']);
    expect(terms(index, 'caf')).toEqual(['café']);
    expect(terms(index, 'Hôp')).toEqual(['hôpital']);
  });
});

describe('Japanese', () => {
  it('finds and highlights names and places inside sentences', async () => {
    expect(ids(await q(index, '森田健二'))).toEqual(['intl-osaka-chikatetsu']);
    expect(ids(await q(index, '大阪 '))).toEqual(['intl-osaka-chikatetsu']);
    expect(marks(await q(index, '森田健二 '))).toContain('森田健二');
  });
});

describe('the index language', () => {
  it('stems English by default; `none` only folds', async () => {
    const arts = [
      article({ id: 'plural', title: 'Elections in spring', body: 'Voters go to the polls.' }),
      article({ id: 'singular', title: 'Election called', body: 'An election was called for May.' }),
    ];
    const { index: en } = await memoryIndex(arts);
    expect(ids(await q(en, 'elections '))).toEqual(['plural', 'singular']);
    const { bundle } = await memoryIndex(arts);
    expect(bundle.manifest.analyzer.language).toBe('en');
    const { buildBundle } = await import('../indexer/build-bundle.ts');
    const { loadIndex } = await import('../core/search/load-index.ts');
    const none = await buildBundle(arts, { language: 'none' });
    const plain = await loadIndex(async (name) => none.files.get(name) as Uint8Array);
    expect(plain.manifest.analyzer).toMatchObject({ language: 'none', languages: ['none'], stemmers: {} });
    expect(ids(await q(plain, 'elections '))).toEqual(['plural']);
  });

  it('takes an article\'s own lang', () => {
    expect(validateRecord({ id: 'x', date: '2024-01-01', body: 'b', lang: 'de-CH' })).toMatchObject({ ok: true, article: { lang: 'de' } });
    expect(validateRecord({ id: 'x', date: '2024-01-01', body: 'b', lang: 'German!' })).toMatchObject({ ok: false, reason: expect.stringContaining('lang') });
    expect(validateRecord({ id: 'x', date: '2024-01-01', body: 'b', lang: 7 })).toMatchObject({ ok: false });
  });
});
