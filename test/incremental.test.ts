import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { partText } from './helpers/part-text.ts';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../core/format/codec.ts';
import { MANIFEST_NAME, parseManifest, type Manifest } from '../core/format/format.ts';
import { parseSearchParams, rawQueryFromString } from '../core/http/params.ts';
import { loadIndex } from '../core/search/load-index.ts';
import { matchQuery } from '../core/search/query/evaluate.ts';
import { parseSearchQuery } from '../core/search/query/parse.ts';
import { search } from '../core/search/search.ts';
import type { SearchIndex } from '../core/search/search-index.ts';
import { suggest } from '../core/search/suggest.ts';
import type { StoredArticle } from '../core/types.ts';
import { buildBundle, type Bundle } from '../indexer/build-bundle.ts';
import { addArticles, compactSegments, defaultPolicy, deleteArticles, planMerges, type Change, type MergePolicy } from '../indexer/incremental.ts';
import { commitChange } from '../ingest/commit.ts';
import { bundleFromMemory } from '../storage/bundle-source.ts';
import { folderStore, s3Store, type IndexStore } from '../storage/index-store.ts';
import { writeBundleToFolder } from '../storage/local-folder.ts';
import { partsKeyPrefix, versionName } from '../storage/pointer.ts';
import { publishBundle } from '../storage/publish.ts';
import { s3PartReader } from '../storage/s3.ts';
import { createS3Client } from '../storage/s3-client.ts';
import type { S3Location } from '../storage/uri.ts';
import { describeVersions, listKeys, listVersions, readPointer, rollback } from '../storage/versions.ts';
import { startCasProxy, type CasProxy } from './helpers/cas-proxy.ts';
import { article } from './helpers/memory-index.ts';
import { startLocalS3, TEST_BUCKET, type LocalS3 } from './helpers/s3rver.ts';

/**
 * Incremental changes (indexer/incremental.ts through ingest/commit.ts) must leave an index that
 * answers exactly as a fresh build of its live articles would, whatever the sequence of adds,
 * corrections, deletions (with or without purge) and merges; a purge must leave no copy of the text.
 */

const TERM_SHARDS = 3;
const DOC_CHUNK = 2;
const params = (qs: string) => parseSearchParams(rawQueryFromString(qs));
const WORDS = ['oil', 'oils', 'price', 'prices', 'bank', 'rate', 'grain', 'gold', 'go', 'crude', 'opec', 'talks', 'the', 'a'];
/**
 * Full names with distinct surnames: the entity dictionary that `addArticles` applies to each batch
 * leaves such names as they are (it rewrites lone surnames and variants sharing a last word). The
 * property asserts this on every batch, so the model needs no copy of the dictionary's logic.
 */
const PEOPLE = ['Ann Lee', 'Bo Chan', 'Cy Diaz'];
const PLACES = ['Lisbon', 'Osaka', 'Kenya'];

const QUERIES = [
  'q=oil', 'q=oil price', 'q=pric', 'q=%22crude oil%22', 'q=oil OR gold', 'q=oil -opec', 'q=-bank', 'q=title:oil', 'q=go*',
  'q=oil&sort=date', 'q=oil&sort=date_asc&limit=3&page=2', 'q=the&person=Ann Lee', 'q=&person=Bo Chan&sort=date', 'q=&location=Osaka',
  'q=gold&about=Lisbon', 'q=rate&from=2024-02-01&to=2024-03-05', 'q=&from=2024-01-03&to=2024-02-07&sort=date_asc', 'q=oil&recency=30',
  'q=talks grain&limit=50', 'q=a', 'q=prices&limit=2&page=3', 'q=&limit=50',
];
const SUGGEST = ['o', 'pr', 'gol', 'ann', 'os', 'ta'];

interface Raw {
  day: number;
  month: number;
  title: string[];
  body: string[];
  people: string[];
  locations: string[];
  /** The article's own language (null: the index's). */
  lang: string | null;
}
const rawArb: fc.Arbitrary<Raw> = fc.record({
  day: fc.integer({ min: 1, max: 9 }),
  month: fc.integer({ min: 1, max: 3 }),
  title: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }),
  body: fc.array(fc.constantFrom(...WORDS), { minLength: 0, maxLength: 25 }),
  people: fc.subarray(PEOPLE),
  locations: fc.subarray(PLACES),
  // Mostly the index's language; some German, whose stem classes must leave with its last article.
  lang: fc.constantFrom(null, null, null, 'de'),
});
const toArticle = (id: string, r: Raw): StoredArticle =>
  article({
    id,
    date: `2024-0${r.month}-0${r.day}`,
    title: r.title.join(' '),
    body: r.body.join(' '),
    people: r.people,
    locations: r.locations,
    about: r.locations.slice(0, 1),
    ...(r.lang ? { lang: r.lang } : {}),
  });

const policyArb: fc.Arbitrary<MergePolicy> = fc.record({
  smallBelow: fc.integer({ min: 1, max: 5 }),
  mergeFactor: fc.integer({ min: 2, max: 4 }),
  maxDeletedShare: fc.double({ min: 0.1, max: 0.9, noNaN: true }),
});
type Op =
  | { kind: 'add'; batch: Raw[]; /** Indices (mod live count) of live ids to re-add inside the same batch, as corrections. */ mixIn: number[] }
  | { kind: 'correct'; pick: number; raw: Raw }
  | { kind: 'delete'; picks: number[]; purge: boolean; ghost: boolean }
  | { kind: 'compact'; all: boolean; policy: MergePolicy | null; segmentSize: number };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), batch: fc.array(rawArb, { minLength: 1, maxLength: 4 }), mixIn: fc.array(fc.nat(), { maxLength: 2 }) }),
  fc.record({ kind: fc.constant('correct' as const), pick: fc.nat(), raw: rawArb }),
  fc.record({ kind: fc.constant('delete' as const), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), purge: fc.boolean(), ghost: fc.boolean() }),
  // Merged rows are re-cut into segments of `segmentSize`: small ones re-cut segments identical to their inputs.
  fc.record({ kind: fc.constant('compact' as const), all: fc.boolean(), policy: fc.option(policyArb, { nil: null }), segmentSize: fc.constantFrom(2, 5, 16, 1000) }),
);

/** An `IndexStore` over a Map (one version kept), so commitChange runs as it does on S3 or a folder. */
function memoryStore(bundle: Bundle): IndexStore & { files: Map<string, Uint8Array> } {
  const files = new Map(bundle.files);
  return {
    where: 'memory',
    files,
    async live() {
      const b = files.get(MANIFEST_NAME);
      if (!b) return null;
      const manifest = parseManifest(b);
      return { manifest, token: sha256Hex(b), version: manifest.indexVersion };
    },
    async readPart(name) {
      const b = files.get(name);
      if (!b) throw new Error(`no part ${name}`);
      return b;
    },
    async writePart(name, bytes) {
      files.set(name, bytes);
    },
    async swap(manifest, bytes, token) {
      const cur = files.get(MANIFEST_NAME);
      if ((cur ? sha256Hex(cur) : null) !== token) return { ok: false };
      files.set(MANIFEST_NAME, bytes);
      return { ok: true, version: manifest.indexVersion };
    },
    async removeParts(names) {
      for (const n of names) files.delete(n);
      return [...names];
    },
    dropVersionsNaming: async () => ({ versions: [], orphans: [] }),
  };
}

const mapReader = (files: ReadonlyMap<string, Uint8Array>) => async (name: string) => {
  const b = files.get(name);
  if (!b) throw new Error(`no part ${name}`);
  return b;
};

/** Every query's full answer (timing zeroed), its stage-1 match with scores, and the suggestions. */
async function answers(index: SearchIndex): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const q of QUERIES) {
    out.push([q, await search(index, params(q), () => 0)]);
    const parsed = parseSearchQuery(params(q).q);
    if (parsed.root === null) continue;
    const m = await matchQuery(index, parsed);
    out.push([q, [...m.docs].map((d) => [index.ids[d], m.scores ? m.scores[d] : null]).sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1))]);
  }
  for (const s of SUGGEST) out.push([s, suggest(index, s, 10, () => 0).suggestions]);
  return out;
}

const fresh = async (live: readonly StoredArticle[]) => loadIndex(mapReader((await buildBundle(live, { termShards: TERM_SHARDS, docChunkSize: DOC_CHUNK })).files));

/** The live index answers exactly as a fresh build of the model's articles; deleted ids are gone everywhere. */
async function expectExact(index: SearchIndex, model: Map<string, StoredArticle>, gone: Iterable<string>) {
  const ref = await fresh([...model.values()]);
  expect(index.manifest.articleCount).toBe(model.size);
  expect(index.ids).toEqual(ref.ids);
  expect(new Set(index.ids)).toEqual(new Set(model.keys()));
  expect(await answers(index)).toEqual(await answers(ref));
  for (const id of model.keys()) expect(await index.article(id)).toEqual(await ref.article(id));
  for (const id of gone) if (!model.has(id)) expect(await index.article(id)).toBeUndefined();
}

/** Runs a change through commitChange, checking that the dictionary left the batch's people as given. */
async function addVia(store: IndexStore, batch: StoredArticle[]) {
  const given = structuredClone(batch);
  const c = await commitChange(store, (state, io) => addArticles(state, io, given, { docChunkSize: DOC_CHUNK }));
  // The model assumes the dictionary keeps full names with distinct surnames unchanged.
  expect(given.map((a) => a.people)).toEqual(batch.map((a) => a.people));
  return c;
}

describe('incremental changes', () => {
  it('answer exactly as a fresh build of the live articles after any sequence of adds, corrections, deletions and merges', async () => {
    let checked = 0;
    const kinds = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(rawArb, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 4 }), fc.array(opArb, { minLength: 1, maxLength: 7 }), async (init, segmentSize, ops) => {
        let next = 0;
        const newId = () => `n${String(next++).padStart(3, '0')}`;
        const model = new Map<string, StoredArticle>();
        for (const r of init) {
          const a = toArticle(newId(), r);
          model.set(a.id, a);
        }
        const store = memoryStore(await buildBundle([...model.values()], { segmentSize, termShards: TERM_SHARDS, docChunkSize: DOC_CHUNK }));
        const gone = new Set<string>();
        const liveIds = () => [...model.keys()].sort();
        for (const op of ops) {
          kinds.set(op.kind, (kinds.get(op.kind) ?? 0) + 1);
          if (op.kind === 'add') {
            const batch = op.batch.map((r) => toArticle(newId(), r));
            const ids = liveIds();
            // Re-adds of live ids in the same batch are corrections (new text, same id).
            for (const k of op.mixIn) if (ids.length) batch.push({ ...toArticle(ids[k % ids.length] as string, op.batch[0] as Raw), body: `revised ${k} ${(op.batch[0] as Raw).body.join(' ')}` });
            const latest = new Map(batch.map((a) => [a.id, a]));
            const replaced = [...latest.keys()].filter((id) => model.has(id)).length;
            const c = await addVia(store, batch);
            expect(c?.change.added).toBe(latest.size - replaced);
            expect(c?.change.replaced).toBe(replaced);
            for (const [id, a] of latest) model.set(id, a);
          } else if (op.kind === 'correct') {
            const ids = liveIds();
            if (!ids.length) continue;
            const a = toArticle(ids[op.pick % ids.length] as string, op.raw);
            const c = await addVia(store, [a]);
            expect(c?.change.replaced).toBe(1);
            model.set(a.id, a);
          } else if (op.kind === 'delete') {
            const ids = liveIds();
            const doomed = [...new Set(op.picks.flatMap((p) => (ids.length ? [ids[p % ids.length] as string] : [])))];
            const asked = op.ghost ? [...doomed, 'no-such-id'] : doomed;
            if (!asked.length) continue;
            const before = new Set(store.files.keys());
            const c = await commitChange(store, (state, io) => deleteArticles(state, io, asked, { purge: op.purge, docChunkSize: DOC_CHUNK, segmentSize }));
            expect(c?.change.deleted).toBe(doomed.length);
            expect(c?.change.missing).toEqual(op.ghost ? ['no-such-id'] : []);
            if (op.purge) for (const p of c?.change.purgeParts ?? []) expect(before.has(p) && !store.files.has(p)).toBe(true);
            for (const id of doomed) {
              model.delete(id);
              gone.add(id);
            }
          } else {
            const c = await commitChange(store, (state, io) => compactSegments(state, io, { all: op.all, ...(op.policy ? { policy: op.policy } : {}), segmentSize: op.segmentSize, docChunkSize: DOC_CHUNK }));
            // Merged segments stay in storage for older versions: a merge purges nothing.
            if (c) expect(c.change.purgeParts).toEqual([]);
          }
        }
        const index = await loadIndex(mapReader(store.files));
        await expectExact(index, model, gone);
        checked++;
      }),
      { numRuns: 45, seed: 0x1c0de },
    );
    expect(checked).toBe(45);
    // The generator reached every kind of change.
    expect([...kinds.keys()].sort()).toEqual(['add', 'compact', 'correct', 'delete']);
  });

  it('drops a deleted article from results, facets and /articles; a correction matches its new text only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'news-incr-'));
    try {
      const base = [
        article({ id: 'a1', date: '2024-01-01', title: 'Harbour report', body: 'ferries and quaylark cargo', people: ['Ann Lee'], locations: ['Lisbon'] }),
        article({ id: 'a2', date: '2024-01-02', title: 'Harbour news', body: 'ferries delayed by fog', people: ['Ann Lee', 'Bo Chan'], locations: ['Osaka'] }),
        article({ id: 'a3', date: '2024-01-03', title: 'Market report', body: 'grain prices and oldwording here', people: ['Cy Diaz'], locations: ['Kenya'] }),
        article({ id: 'a4', date: '2024-01-04', title: 'Market news', body: 'gold steady', people: ['Bo Chan'], locations: ['Lisbon'] }),
      ];
      await writeBundleToFolder(dir, (await buildBundle(base, { segmentSize: 2, termShards: TERM_SHARDS, docChunkSize: DOC_CHUNK })).files);
      const store = folderStore(dir);
      const load = async () => loadIndex(async (name) => store.readPart(name));
      const model = new Map(base.map((a) => [a.id, a]));

      const before = await search(await load(), params('q=ferries'));
      expect(before.hits.map((h) => h.id).sort()).toEqual(['a1', 'a2']);
      expect(before.facets.person).toContainEqual({ value: 'Ann Lee', count: 2 });

      const del = await commitChange(store, (state, io) => deleteArticles(state, io, ['a1']));
      expect(del?.change.deleted).toBe(1);
      model.delete('a1');
      let index = await load();
      const after = await search(index, params('q=ferries'));
      expect(after.hits.map((h) => h.id)).toEqual(['a2']);
      expect(after.facets.person).toContainEqual({ value: 'Ann Lee', count: 1 });
      expect(after.facets.location.map((f) => f.value)).not.toContain('Lisbon');
      expect((await search(index, params('q=quaylark'))).total).toBe(0);
      expect((await search(index, params('q=&location=Lisbon'))).hits.map((h) => h.id)).toEqual(['a4']);
      expect(await index.article('a1')).toBeUndefined();
      expect(suggest(index, 'quayl', 10, () => 0).suggestions).toEqual([]);
      await expectExact(index, model, ['a1']);

      const fixed = { ...(model.get('a3') as StoredArticle), body: 'grain prices and newwording here', people: ['Ann Lee'], locations: ['Osaka'], about: ['Osaka'] };
      const cor = await addVia(store, [fixed]);
      expect([cor?.change.added, cor?.change.replaced]).toEqual([0, 1]);
      model.set('a3', fixed);
      index = await load();
      expect((await search(index, params('q=oldwording'))).total).toBe(0);
      expect((await search(index, params('q=newwording'))).hits.map((h) => h.id)).toEqual(['a3']);
      expect((await search(index, params('q=&person=Cy Diaz'))).total).toBe(0);
      expect((await search(index, params('q=&person=Ann Lee'))).hits.map((h) => h.id).sort()).toEqual(['a2', 'a3']);
      expect((await index.article('a3'))?.body).toBe('grain prices and newwording here');
      expect(index.ids.filter((id) => id === 'a3')).toHaveLength(1);
      await expectExact(index, model, ['a1']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('merges a run of small adjacent segments (default policy) into one, keeping date order and every answer', async () => {
    const SIZE = 16; // default policy: small below 4 live articles, runs of 8
    const base = Array.from({ length: 32 }, (_, i) => article({ id: `b${String(i).padStart(2, '0')}`, date: `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`, body: `oil ${WORDS[i % WORDS.length]} story`, people: [PEOPLE[i % 3] as string] }));
    const store = memoryStore(await buildBundle(base, { segmentSize: SIZE, termShards: TERM_SHARDS, docChunkSize: DOC_CHUNK }));
    const model = new Map(base.map((a) => [a.id, a]));
    for (let i = 0; i < 9; i++) {
      const a = article({ id: `s${i}`, date: `2024-02-0${1 + i}`, body: `late ${WORDS[i % WORDS.length]} oil`, locations: [PLACES[i % 3] as string], about: [PLACES[i % 3] as string] });
      await addVia(store, [a]);
      model.set(a.id, a);
    }
    const live = async () => parseManifest(store.files.get(MANIFEST_NAME) as Uint8Array);
    const m0 = await live();
    expect(m0.segments.map((s) => s.articleCount)).toEqual([16, 16, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    // Seven small ones are below the merge factor: nothing to do.
    expect(planMerges({ ...m0, segments: m0.segments.slice(0, 9) }, defaultPolicy(SIZE))).toEqual([]);
    expect(planMerges(m0, defaultPolicy(SIZE))).toEqual([[2, 3, 4, 5, 6, 7, 8, 9, 10]]);
    const before = await answers(await loadIndex(mapReader(store.files)));

    const c = await commitChange(store, (state, io) => compactSegments(state, io, { segmentSize: SIZE, docChunkSize: DOC_CHUNK }));
    expect(c?.change.dropped).toHaveLength(9);
    expect(c?.change.purgeParts).toEqual([]);
    const m1 = await live();
    expect(m1.segments.map((s) => s.articleCount)).toEqual([16, 16, 9]);
    expect(m1.segments.map((s) => s.id).slice(0, 2)).toEqual(m0.segments.map((s) => s.id).slice(0, 2));
    expect(m1.segments[2]?.dateRange).toEqual({ from: '2024-02-01', to: '2024-02-09' });
    for (let i = 1; i < m1.segments.length; i++) expect((m1.segments[i - 1] as Manifest['segments'][number]).dateRange.to <= (m1.segments[i] as Manifest['segments'][number]).dateRange.from).toBe(true);
    const index = await loadIndex(mapReader(store.files));
    expect(index.layout.ordered).toBe(true);
    expect(await answers(index)).toEqual(before);
    await expectExact(index, model, []);
    // Merged again: nothing left to do.
    expect(await commitChange(store, (state, io) => compactSegments(state, io, { segmentSize: SIZE }))).toBeNull();
  });
});

/**
 * Product bugs found by the tests above, each reduced to its smallest case (all fixed; kept as regression tests).
 */
describe('bugs these tests found, each at its smallest case', () => {
  const base8 = () => Array.from({ length: 8 }, (_, i) => article({ id: `b${i}`, date: '2024-01-01', body: 'oil' }));

  it('compactSegments keeps every article when a re-cut segment is identical to one it merged (indexer/incremental.ts finish)', async () => {
    // Default policy at segmentSize 16: segments below 4 live articles are small, runs of 8 merge.
    // Nine small segments of 2 = 18 rows, re-cut as 16 + 2; the last 2 are exactly the last input
    // segment, so the "new" segment has that segment's id, and finish() drops it with the merged ids.
    const store = memoryStore(await buildBundle(base8(), { segmentSize: 16 }));
    for (let i = 0; i < 9; i++) await addVia(store, [0, 1].map((j) => article({ id: `s${i}-${j}`, date: `2024-02-0${1 + i}`, body: `oil ${i} ${j}` })));
    const c = await commitChange(store, (state, io) => compactSegments(state, io, { segmentSize: 16 }));
    expect(c?.change.manifest.articleCount).toBe(26); // is 24: s8-0 and s8-1 are gone
  });

  it('suggest offers no person or place whose every article was deleted (core/search/suggest.ts names)', async () => {
    const arts = [article({ id: 'a', body: 'oil', people: ['Cy Diaz'] }), article({ id: 'b', body: 'oil', people: ['Ann Lee'] })];
    const store = memoryStore(await buildBundle(arts));
    await commitChange(store, (state, io) => deleteArticles(state, io, ['a']));
    const index = await loadIndex(mapReader(store.files));
    expect(suggest(index, 'cy', 10, () => 0).suggestions).toEqual([]); // is [{ value: 'Cy Diaz', kind: 'person', count: 0 }]
  });

  it('deleting the only article in another language answers as a fresh build (stem classes keep its words)', async () => {
    const en = article({ id: 'en', body: 'oil price' });
    const store = memoryStore(await buildBundle([en, article({ id: 'de', body: 'oil price', lang: 'de' })], { termShards: TERM_SHARDS, docChunkSize: DOC_CHUNK }));
    await commitChange(store, (state, io) => deleteArticles(state, io, ['de']));
    const index = await loadIndex(mapReader(store.files));
    const ref = await fresh([en]);
    // Scores differ: 'pric' still expands through the German stem class of "price".
    expect(await search(index, params('q=pric'), () => 0)).toEqual(await search(ref, params('q=pric'), () => 0));
  });

  it('a purged article leaves no person name in the live entity dictionary', async () => {
    const store = memoryStore(await buildBundle(base8()));
    await addVia(store, [article({ id: 't', date: '2024-01-02', body: 'oil', people: ['Zed Quorra'] })]);
    await commitChange(store, (state, io) => deleteArticles(state, io, ['t'], { purge: true }));
    const live = parseManifest(store.files.get(MANIFEST_NAME) as Uint8Array);
    const holding = live.parts.filter((p) => partText(store.files.get(p.name) as Uint8Array).includes('Quorra')).map((p) => p.role);
    expect(holding).toEqual([]); // is ['entities']
  });
});

describe('incremental changes on S3 (conditional writes enforced by the CAS proxy)', () => {
  let s3: LocalS3;
  let proxy: CasProxy;
  let client: S3Client;
  let n = 0;
  const freshLocation = (): S3Location => ({ kind: 's3', bucket: TEST_BUCKET, prefix: `inc${++n}/news` });

  beforeAll(async () => {
    s3 = await startLocalS3();
    proxy = await startCasProxy(s3.port, TEST_BUCKET);
    client = createS3Client({ ...s3.settings, endpoint: proxy.endpoint });
  });
  afterAll(async () => {
    client?.destroy();
    await proxy?.close();
    await s3?.dispose();
  });

  async function liveIndex(loc: S3Location) {
    const pointer = await readPointer(client, loc);
    if (!pointer) throw new Error('nothing is live');
    return loadIndex(s3PartReader(client, loc.bucket, { manifestKey: pointer.manifestKey, partsPrefix: partsKeyPrefix(loc) }, s3.settings));
  }
  const textOf = async (key: string) => {
    const out = await client.send(new GetObjectCommand({ Bucket: TEST_BUCKET, Key: key }));
    const bytes = Buffer.from((await out.Body?.transformToByteArray()) ?? new Uint8Array());
    return partText(bytes);
  };

  it('purge leaves no copy of the article: not in any object, not in any version to roll back to', async () => {
    const loc = freshLocation();
    const SECRET = 'Quixotryl Vantablemish whistleblower testimony';
    const base = Array.from({ length: 8 }, (_, i) => article({ id: `p${i}`, date: `2024-03-0${1 + i}`, title: `Port report ${i}`, body: `oil cargo day ${i}`, people: ['Ann Lee'] }));
    const target = article({ id: 'p3', date: '2024-03-04', title: 'Port report 3', body: `oil cargo day 3 ${SECRET}`, people: ['Ann Lee'] });
    base[3] = target;
    const v1 = await publishBundle(client, loc, bundleFromMemory((await buildBundle(base, { segmentSize: 3, termShards: TERM_SHARDS, docChunkSize: DOC_CHUNK, now: () => new Date('2024-03-10T10:00:00Z') })).files));
    const store = s3Store(client, loc);
    const v2 = await commitChange(store, (state, io) => addArticles(state, io, [article({ id: 'p9', date: '2024-03-09', body: 'oil cargo day 9' })], { now: () => new Date('2024-03-10T10:01:00Z') }));
    expect(v2?.attempts).toBe(1);
    expect(await listVersions(client, loc)).toEqual([v2?.version, v1.version]);
    expect((await search(await liveIndex(loc), params('q=quixotryl'))).hits.map((h) => h.id)).toEqual(['p3']);

    const purged = await commitChange(store, (state, io) => deleteArticles(state, io, ['p3'], { purge: true, now: () => new Date('2024-03-10T10:02:00Z') }));
    expect(purged?.change.deleted).toBe(1);
    expect(purged?.change.purgeParts.length).toBeGreaterThan(0);
    expect(new Set(purged?.droppedVersions)).toEqual(new Set([v1.version, v2?.version]));

    // Every object in the bucket, gunzipped: the purged text is nowhere.
    const { keys } = await listKeys(client, TEST_BUCKET, `${loc.prefix}/`);
    expect(keys.length).toBeGreaterThan(5);
    const holding: string[] = [];
    for (const k of keys) if ((await textOf(k)).includes(SECRET)) holding.push(k);
    expect(holding).toEqual([]);
    for (const p of purged?.change.purgeParts ?? []) expect(keys).not.toContain(`${partsKeyPrefix(loc)}${p}`);

    // No version that held it remains; rolling back to one fails.
    const versions = await describeVersions(client, loc);
    expect(versions.map((v) => v.version)).toEqual([purged?.version]);
    for (const old of [v1.version, v2?.version as string]) await expect(rollback(client, loc, old)).rejects.toThrow(/does not exist/);

    // The others still answer.
    const index = await liveIndex(loc);
    expect(await index.article('p3')).toBeUndefined();
    expect((await search(index, params('q=quixotryl&correct=false'))).total).toBe(0);
    const oil = await search(index, params('q=oil&limit=50'));
    expect(oil.hits.map((h) => h.id).sort()).toEqual(['p0', 'p1', 'p2', 'p4', 'p5', 'p6', 'p7', 'p9']);
    expect(oil.facets.person).toEqual([{ value: 'Ann Lee', count: 7 }]);
  });

  it('purge leaves none of the article\'s words in storage (dropped versions\' vocab and stats parts stay)', async () => {
    const loc = freshLocation();
    const base = Array.from({ length: 6 }, (_, i) => article({ id: `q${i}`, date: `2024-03-0${1 + i}`, body: i === 2 ? 'oil Quixotryl' : 'oil' }));
    await publishBundle(client, loc, bundleFromMemory((await buildBundle(base, { segmentSize: 3, now: () => new Date('2024-03-10T10:00:00Z') })).files));
    await commitChange(s3Store(client, loc), (state, io) => deleteArticles(state, io, ['q2'], { purge: true }));
    const { keys } = await listKeys(client, TEST_BUCKET, `${loc.prefix}/`);
    const holding: string[] = [];
    for (const k of keys) if ((await textOf(k)).toLowerCase().includes('quixotryl')) holding.push(k.slice(loc.prefix.length + 1));
    expect(holding).toEqual([]); // is ['parts/stats-….json.gz', 'parts/vocab-….json.gz'] of the dropped version
  });

  it('adding 5 articles writes only the new segment, the index-wide parts and the manifest', async () => {
    const loc = freshLocation();
    const base = Array.from({ length: 24 }, (_, i) => article({ id: `w${String(i).padStart(2, '0')}`, date: `2024-04-${String(1 + i).padStart(2, '0')}`, body: `oil ${WORDS[i % WORDS.length]}` }));
    const bundle = await buildBundle(base, { segmentSize: 4, termShards: 4, docChunkSize: DOC_CHUNK });
    expect(bundle.manifest.segments).toHaveLength(6);
    await publishBundle(client, loc, bundleFromMemory(bundle.files));
    const batch = Array.from({ length: 5 }, (_, i) => article({ id: `x${i}`, date: '2024-05-01', body: `fresh ${WORDS[i]} story` }));
    proxy.reset();
    const c = (await commitChange(s3Store(client, loc), (state, io) => addArticles(state, io, batch, { docChunkSize: DOC_CHUNK }))) as { change: Change; attempts: number };
    expect(c.attempts).toBe(1);
    const m = c.change.manifest;
    const old = new Set(bundle.manifest.segments.map((s) => s.id));
    const added = m.segments.filter((s) => !old.has(s.id));
    expect(added.map((s) => s.articleCount)).toEqual([5]);
    const newSeg = (added[0] as Manifest['segments'][number]).id;
    const segParts = m.parts.filter((p) => p.segment === newSeg).map((p) => p.name);
    const wide = m.parts.filter((p) => p.segment === undefined).map((p) => p.name);
    expect(wide.map((n) => n.slice(0, n.indexOf('-'))).sort()).toEqual(['entities', 'stats', 'vocab']);
    expect([...c.change.written].sort()).toEqual([...segParts, ...wide].sort());
    // Through the proxy: those parts, the version manifest and the pointer; nothing else is written.
    const puts = proxy.seen.filter((s) => s.method === 'PUT').map((s) => s.key);
    expect(puts.filter((k) => k.includes('/parts/')).map((k) => k.slice(partsKeyPrefix(loc).length)).sort()).toEqual([...c.change.written].sort());
    expect(puts.filter((k) => !k.includes('/parts/')).map((k) => k.slice(loc.prefix.length + 1)).sort()).toEqual(['current.json', `versions/${versionName(m)}/manifest.json`]);
    expect(puts).toHaveLength(c.change.written.length + 2);
    expect(proxy.count('DELETE')).toBe(0);
    // The existing segments are read (their meta, for ids) but none of their other parts.
    const gets = proxy.seen.filter((s) => s.method === 'GET').map((s) => s.key.slice(partsKeyPrefix(loc).length));
    for (const g of gets) if ([...old].some((id) => g.startsWith(`${id}.`))) expect(g).toMatch(/\.meta\.json\.gz$/);
    expect((await search(await liveIndex(loc), params('q=fresh&limit=50'))).hits.map((h) => h.id).sort()).toEqual(['x0', 'x1', 'x2', 'x3', 'x4']);
  });
});
