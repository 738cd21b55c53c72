import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBundle } from '../indexer/build-bundle.ts';
import { FORMAT_VERSION } from '../core/format/format.ts';
import { loadIndex } from '../core/search/load-index.ts';
import { IndexFormatError, IndexUnavailableError } from '../core/errors.ts';
import { folderReader, writeBundleToFolder } from '../storage/local-folder.ts';
import { article } from './helpers/memory-index.ts';
import { search } from '../core/search/search.ts';
import { parseSearchParams, rawQueryFromString } from '../core/http/params.ts';
import { gunzipSync } from 'node:zlib';
import type { VocabPart } from '../core/format/parts.ts';

const arts = [
  article({ id: 'one', date: '2023-05-01', title: 'First', body: 'alpha beta', people: ['Ann Lee'] }),
  article({ id: 'two', date: '2023-06-01', title: 'Second', body: 'beta gamma', locations: ['Lisbon'] }),
];

async function folderWith(files: Map<string, Uint8Array>) {
  const dir = await mkdtemp(join(tmpdir(), 'ns-bundle-'));
  await writeBundleToFolder(join(dir, 'ix'), files);
  return join(dir, 'ix');
}

describe('bundle format', () => {
  it('describes itself: format version, FlexSearch config, article count, build time, parts with SHA-256', async () => {
    const { manifest, files } = await buildBundle(arts, { now: () => new Date('2024-01-02T03:04:05Z') });
    expect(manifest).toMatchObject({
      format: 'news-search-index',
      formatVersion: FORMAT_VERSION,
      articleCount: 2,
      builtAt: '2024-01-02T03:04:05.000Z',
      dateRange: { from: '2023-05-01', to: '2023-06-01' },
      flexsearch: { config: { fields: ['title', 'body'], tokenize: 'strict' } },
    });
    expect(new Set(manifest.parts.map((p) => p.role))).toEqual(new Set(['meta', 'terms', 'vocab', 'stats', 'entities', 'postings', 'docs', 'tokens']));
    for (const p of manifest.parts) {
      expect(files.get(p.name)?.byteLength).toBe(p.bytes);
      expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    // Same input, same content version.
    expect((await buildBundle([...arts].reverse())).manifest.indexVersion).toBe(manifest.indexVersion);
  });

  it('round-trips through a folder', async () => {
    const dir = await folderWith((await buildBundle(arts)).files);
    const index = await loadIndex(folderReader(dir));
    expect(index.size).toBe(2);
    expect((await index.article('two'))?.locations).toEqual(['Lisbon']);
  });

  it('refuses another format version with a clear message', async () => {
    const { files } = await buildBundle(arts);
    const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json')));
    files.set('manifest.json', new TextEncoder().encode(JSON.stringify({ ...manifest, formatVersion: 999 })));
    const dir = await folderWith(files);
    await expect(loadIndex(folderReader(dir))).rejects.toThrow(IndexFormatError);
    await expect(loadIndex(folderReader(dir))).rejects.toThrow(new RegExp(`format version 999 is not supported .* reads version ${FORMAT_VERSION}`));
  });

  it('refuses an index built before binary postings (format 5, FlexSearch JSON shards) with a message to rebuild', async () => {
    expect(FORMAT_VERSION).toBe(6);
    const { files } = await buildBundle(arts);
    const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json')));
    files.set('manifest.json', new TextEncoder().encode(JSON.stringify({ ...manifest, formatVersion: 5 })));
    const dir = await folderWith(files);
    await expect(loadIndex(folderReader(dir))).rejects.toThrow(/format version 5 is not supported \(this build reads version 6\); rebuild the index/);
  });

  it('refuses an index whose segments lack token ids (built before the tokens part) with a message to rebuild', async () => {
    const { files } = await buildBundle(arts);
    const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json')));
    files.set('manifest.json', new TextEncoder().encode(JSON.stringify({ ...manifest, parts: manifest.parts.filter((p: { role: string }) => p.role !== 'tokens') })));
    const dir = await folderWith(files);
    await expect(loadIndex(folderReader(dir))).rejects.toThrow(/segment [0-9a-f]{16} lacks tokens parts; rebuild the index/);
  });

  it('records the analyzer, and in the vocabulary the stem classes and the spellings shown', async () => {
    const { manifest, files } = await buildBundle([
      ...arts,
      article({ id: 'three', date: '2023-07-01', title: 'Elections', body: 'An election in the Café district; café owners voted.', lang: 'fr' }),
    ]);
    expect(manifest.analyzer).toEqual({ language: 'en', languages: ['en', 'fr'], stemmers: { en: 'Porter2 (wink-porter2-stemmer)', fr: 'Snowball fr (@orama/stemmers)' } });
    const vocabInfo = manifest.parts.find((p) => p.role === 'vocab')!;
    const vocab = JSON.parse(gunzipSync(files.get(vocabInfo.name)!).toString()) as VocabPart;
    expect(vocab.shown.refs.map((r) => vocab.terms[r])).toEqual(['cafe']);
    expect(vocab.shown.forms).toEqual(['café']);
    const index = await loadIndex(async (name) => files.get(name)!);
    expect(index.stemClass('elections').map((i) => index.terms[i] as string).sort()).toEqual(['election', 'elections']);
    expect(index.spelling(index.termIndex('cafe'))).toBe('café');
  });

  it('refuses a corrupted part, and a missing one, naming it', async () => {
    const { files, manifest } = await buildBundle(arts);
    const dir = await folderWith(files);
    const meta = manifest.parts.find((p) => p.role === 'meta')!;
    const bytes = await readFile(join(dir, meta.name));
    bytes[bytes.length - 5]! ^= 0xff;
    await writeFile(join(dir, meta.name), bytes);
    await expect(loadIndex(folderReader(dir))).rejects.toThrow(`part ${meta.name} failed its SHA-256 check`);
    await expect(loadIndex(folderReader(join(dir, 'nope')))).rejects.toThrow(IndexUnavailableError);
  });

  it('reads postings from a folder by byte range, and reports a damaged postings part as such, naming it', async () => {
    const { files, manifest } = await buildBundle(arts);
    const dir = await folderWith(files);
    const post = manifest.parts.find((p) => p.role === 'postings')!;
    expect(post.encoding).toBe('binary');
    const ok = await loadIndex(folderReader(dir));
    expect((await search(ok, parseSearchParams(rawQueryFromString('q=beta')))).total).toBe(2);
    const clean = await readFile(join(dir, post.name));
    // The directory of blocks is hashed in the manifest.
    const hot = Uint8Array.from(clean);
    hot[post.hot!.offset + 3]! ^= 0xff;
    await writeFile(join(dir, post.name), hot);
    const a = await loadIndex(folderReader(dir));
    await expect(search(a, parseSearchParams(rawQueryFromString('q=beta')))).rejects.toThrow(new IndexFormatError(`part ${post.name} failed its SHA-256 check (directory)`));
    // A term's postings are checked as they decode: a row number out of range is refused.
    const rows = Uint8Array.from(clean);
    for (let i = 0; i < 2; i++) rows[i] = 0x7f;
    await writeFile(join(dir, post.name), rows);
    const b = await loadIndex(folderReader(dir));
    const damaged = await Promise.allSettled(['alpha', 'beta', 'gamma', 'first', 'second'].map((w) => search(b, parseSearchParams(rawQueryFromString(`q=${w}`)))));
    expect(damaged.some((r) => r.status === 'rejected' && r.reason instanceof IndexFormatError && String(r.reason.message).includes(post.name))).toBe(true);
  });

  it('replaces a folder as a whole, leaving no stale parts', async () => {
    const dir = await folderWith((await buildBundle(arts)).files);
    const second = await buildBundle([arts[0]!]);
    await writeBundleToFolder(dir, second.files);
    const index = await loadIndex(folderReader(dir));
    expect(index.size).toBe(1);
    expect(index.manifest.indexVersion).toBe(second.manifest.indexVersion);
  });
});
