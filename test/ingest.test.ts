import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2, S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthResponse, SearchResponse } from '../core/types.ts';
import { createIngestHandler, decodeEventKey, type IngestSummary, type RejectionReport } from '../functions/ingest.ts';
import { ConfigError, readIngestConfig, type IngestConfig } from '../functions/ingest-config.ts';
import { createHandler } from '../functions/search.ts';
import { bundleFromMemory } from '../storage/bundle-source.ts';
import { publishBundle } from '../storage/publish.ts';
import { createS3Client } from '../storage/s3-client.ts';
import type { S3Location } from '../storage/uri.ts';
import { readPointer } from '../storage/versions.ts';
import { bundleOf, edition } from './helpers/articles.ts';
import { bodyText } from './helpers/body.ts';
import { startLocalS3, TEST_BUCKET, type LocalS3 } from './helpers/s3rver.ts';

/**
 * The ingest function end to end against a real S3 API (s3rver): an index is published, a file is
 * dropped into the inbox, the handler gets AWS's sample S3 notification aimed at that key, and the
 * search function (reloading on every request) finds the new articles.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- sample events are edited field by field
type Json = Record<string, any>;
const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(`./fixtures/events/${name}`, import.meta.url), 'utf8')) as Json;

/** A key as S3 puts it in a notification: URL-encoded, `+` for a space, slashes kept. */
const encodeEventKey = (key: string) => encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');

/** AWS's sample ObjectCreated:Put event, its one record aimed at `key` in `bucket`. */
function createdEvent(key: string, bucket = TEST_BUCKET, name = 's3/powertools-base.json'): S3Event {
  const e = fixture(name);
  const r = e['Records'][0];
  r.s3.bucket.name = bucket;
  r.s3.bucket.arn = `arn:aws:s3:::${bucket}`;
  r.s3.object.key = encodeEventKey(key);
  return e as S3Event;
}

let s3: LocalS3;
let tmp: string;
let n = 0;
let minute = 0;

beforeAll(async () => {
  s3 = await startLocalS3();
  tmp = await mkdtemp(join(tmpdir(), 'ingest-test-'));
});
afterAll(async () => {
  await s3?.dispose();
  await rm(tmp, { recursive: true, force: true });
});

interface Setup {
  loc: S3Location;
  config: IngestConfig;
  /** The ingest handler over this setup, its log lines collected. */
  ingest: (event: unknown) => Promise<IngestSummary>;
  lines: Array<Record<string, unknown>>;
  inbox: (name: string) => string;
  /** Ids found by the search function for `q`. */
  search: (q: string, more?: string) => Promise<string[]>;
  health: () => Promise<HealthResponse>;
}

/** A published index of six articles under a fresh prefix, with its own inbox, processed/ and rejected/. */
async function setup(opts: { client?: S3Client } = {}): Promise<Setup> {
  const root = `i${++n}`;
  const loc: S3Location = { kind: 's3', bucket: TEST_BUCKET, prefix: `${root}/news` };
  const bundle = await bundleOf(edition(`base${n}`), `2024-06-01T10:${String(minute++ % 60).padStart(2, '0')}:00.000Z`);
  await publishBundle(s3.client, loc, bundleFromMemory(bundle.files));
  const config = readIngestConfig({
    INDEX_URI: `s3://${TEST_BUCKET}/${root}/news`,
    INBOX_PREFIX: `${root}/inbox/`,
    PROCESSED_PREFIX: `${root}/processed/`,
    REJECTED_PREFIX: `${root}/rejected/`,
    LOG_LEVEL: 'debug',
  });
  const lines: Array<Record<string, unknown>> = [];
  const ingest = createIngestHandler({ ...config, s3: s3.settings }, { s3: opts.client ?? s3.client, tmpDir: tmp, log: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) });
  const searchHandler = createHandler({ index: loc, s3: s3.settings, corsOrigins: ['*'], reloadSeconds: 0 }, { s3: s3.client, log: () => {} });
  const get = async <T>(rawPath: string, rawQueryString = ''): Promise<T> => {
    const e = fixture('search-location.json') as APIGatewayProxyEventV2;
    const res = await searchHandler({ ...e, rawPath, rawQueryString, queryStringParameters: {} });
    expect(res.statusCode, bodyText(res)).toBe(200);
    return JSON.parse(bodyText(res)) as T;
  };
  return {
    loc,
    config,
    ingest: (event) => ingest(event, { awsRequestId: `req-${n}` }),
    lines,
    inbox: (name) => config.inboxPrefix + name,
    search: async (q, more = '') => (await get<SearchResponse>('/search', `q=${encodeURIComponent(q)}&limit=50${more}`)).hits.map((h) => h.id).sort(),
    health: () => get<HealthResponse>('/health'),
  };
}

/** NDJSON lines of `count` valid articles carrying a marker word. */
function articles(tag: string, marker: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      id: `${tag}-${i + 1}`,
      date: `2024-07-0${i + 1}`,
      title: `${marker} sighting number ${i + 1} reported in Lisbon`,
      body: `Residents of Lisbon reported a ${marker} near the harbour on day ${i + 1}. Mayor Helena Duarte said the city would study the ${marker}.`,
      url: `https://news.example.org/${tag}-${i + 1}`,
    }),
  );
}

async function put(key: string, body: string): Promise<void> {
  await s3.client.send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: key, Body: body, ContentType: 'application/x-ndjson' }));
}
async function text(key: string): Promise<string | null> {
  try {
    const out = await s3.client.send(new GetObjectCommand({ Bucket: TEST_BUCKET, Key: key }));
    return (await out.Body?.transformToString()) ?? '';
  } catch {
    return null;
  }
}
async function exists(key: string): Promise<boolean> {
  try {
    await s3.client.send(new HeadObjectCommand({ Bucket: TEST_BUCKET, Key: key }));
    return true;
  } catch {
    return false;
  }
}
const liveVersion = async (loc: S3Location) => (await readPointer(s3.client, loc))?.version;

describe('ingest function: files dropped into the inbox', { timeout: 120_000 }, () => {
  it('adds an NDJSON file, moves it to processed/, and the search function finds it', async () => {
    const t = await setup();
    expect(await t.search('aardwolf')).toEqual([]);
    const before = await liveVersion(t.loc);
    const body = articles('wire', 'aardwolf', 3).join('\n') + '\n';
    const key = t.inbox('wire/2024-07-01.ndjson');
    await put(key, body);

    const summary = await t.ingest(createdEvent(key));
    expect(summary.ignored).toEqual([]);
    expect(summary.files).toHaveLength(1);
    const f = summary.files[0];
    expect(f).toMatchObject({ key, outcome: 'processed', movedTo: t.config.processedPrefix + 'wire/2024-07-01.ndjson', read: 3, added: 3, replaced: 0, rejected: 0 });
    expect(f && 'report' in f).toBe(false);

    // Live for the search function (INDEX_RELOAD_SECONDS=0: it checks on every request).
    const live = await liveVersion(t.loc);
    expect(live).not.toBe(before);
    expect(await t.search('aardwolf')).toEqual(['wire-1', 'wire-2', 'wire-3']);
    expect((await t.health()).articleCount).toBe(9);
    // Entities were extracted as in a build: found by the person named in the text.
    expect(await t.search('aardwolf', '&person=Helena%20Duarte')).toEqual(['wire-1', 'wire-2', 'wire-3']);

    // Moved, byte for byte; nothing left in the inbox, no report.
    expect(await exists(key)).toBe(false);
    expect(await text(t.config.processedPrefix + 'wire/2024-07-01.ndjson')).toBe(body);
    expect(await exists(t.config.processedPrefix + 'wire/2024-07-01.ndjson.report.json')).toBe(false);

    const logged = t.lines.find((l) => l['msg'] === 'file ingested');
    expect(logged).toMatchObject({ level: 'info', key, added: 3, articleCount: 9 });
    const emf = t.lines.find((l) => '_aws' in l);
    expect(emf).toMatchObject({ FilesProcessed: 1, FilesRejected: 0, FilesFailed: 0, ArticlesAdded: 3, RecordsRejected: 0 });
  });

  it('publishes the valid records of a partly bad file, and writes the rejections next to it', async () => {
    const t = await setup();
    const [a, b] = articles('part', 'binturong', 2) as [string, string];
    const body = [a, '{"id": "broken", ', b, JSON.stringify({ id: 'no-body', date: '2024-07-09', title: 'A title and nothing else' })].join('\n');
    const key = t.inbox('part.ndjson');
    await put(key, body);

    const [f] = (await t.ingest(createdEvent(key))).files;
    const processed = t.config.processedPrefix + 'part.ndjson';
    expect(f).toMatchObject({ outcome: 'processed', read: 4, added: 2, rejected: 2, report: `${processed}.report.json` });
    expect(await t.search('binturong')).toEqual(['part-1', 'part-2']);
    expect(await text(processed)).toBe(body);
    const report = JSON.parse((await text(`${processed}.report.json`)) as string) as RejectionReport;
    expect(report).toMatchObject({ source: `s3://${TEST_BUCKET}/${key}`, movedTo: `s3://${TEST_BUCKET}/${processed}`, outcome: 'processed', read: 4, added: 2, version: await liveVersion(t.loc) });
    expect(report.rejections.map((r) => [r.file, r.record])).toEqual([
      [`s3://${TEST_BUCKET}/${key}`, 'line 2'],
      [`s3://${TEST_BUCKET}/${key}`, 'line 4'],
    ]);
    expect(report.rejections[0]?.reason).toMatch(/invalid JSON/);
    expect(report.rejections[1]?.reason).toMatch(/empty body/);
  });

  it('moves a file with no valid record to rejected/ with its report, and publishes nothing', async () => {
    const t = await setup();
    const before = await liveVersion(t.loc);
    const body = ['not json at all', JSON.stringify({ id: 'x', title: 'no date or body' }), ''].join('\n');
    const key = t.inbox('bad.ndjson');
    await put(key, body);

    const summary = await t.ingest(createdEvent(key));
    const rejected = t.config.rejectedPrefix + 'bad.ndjson';
    expect(summary.files).toEqual([{ key, outcome: 'rejected', movedTo: rejected, read: 2, rejected: 2, report: `${rejected}.report.json` }]);
    expect(await liveVersion(t.loc)).toBe(before);
    expect((await t.health()).articleCount).toBe(6);
    expect(await exists(key)).toBe(false);
    expect(await exists(t.config.processedPrefix + 'bad.ndjson')).toBe(false);
    expect(await text(rejected)).toBe(body);
    const report = JSON.parse((await text(`${rejected}.report.json`)) as string) as RejectionReport;
    expect(report).toMatchObject({ outcome: 'rejected', read: 2, added: 0, movedTo: `s3://${TEST_BUCKET}/${rejected}` });
    expect(report.version).toBeUndefined();
    expect(report.rejections.map((r) => r.record)).toEqual(['line 1', 'line 2']);
    expect(t.lines.find((l) => l['msg'] === 'file rejected: nothing published')).toMatchObject({ level: 'warn', key });
    expect(t.lines.find((l) => '_aws' in l)).toMatchObject({ FilesProcessed: 0, FilesRejected: 1, RecordsRejected: 2 });
  });

  it('rejects a file that is not an article format without reading it', async () => {
    const t = await setup();
    const before = await liveVersion(t.loc);
    const key = t.inbox('notes.csv');
    await put(key, 'id,title\n1,hello\n');
    const [f] = (await t.ingest(createdEvent(key))).files;
    expect(f).toMatchObject({ outcome: 'rejected', read: 0, rejected: 1 });
    const report = JSON.parse((await text(t.config.rejectedPrefix + 'notes.csv.report.json')) as string) as RejectionReport;
    expect(report.rejections).toEqual([{ file: `s3://${TEST_BUCKET}/${key}`, record: 'file', reason: expect.stringMatching(/unsupported file type/) as unknown }]);
    expect(await text(t.config.rejectedPrefix + 'notes.csv')).toBe('id,title\n1,hello\n');
    expect(await liveVersion(t.loc)).toBe(before);
  });

  it('decodes URL-encoded keys: spaces (+), a literal plus (%2B) and UTF-8', async () => {
    // The sample event's own key, as AWS documents it.
    expect(decodeEventKey(fixture('aws-lambda-go/s3-event.json')['Records'][0].s3.object.key)).toBe('Happy Face.jpg');
    expect(decodeEventKey('inbox/1%2B1+%3D+2%3F+%23x.ndjson')).toBe('inbox/1+1 = 2? #x.ndjson');
    expect(decodeEventKey(encodeEventKey('inbox/Dépêches 1+1.json'))).toBe('inbox/Dépêches 1+1.json');
    // End to end without a "+" in the name: s3rver reads CopyObject's x-amz-copy-source with decodeURI,
    // which leaves %2B encoded (S3 itself decodes it, as its API asks the source to be URL-encoded).
    const t = await setup();
    const name = 'Dépêches du jour – Zürich.json';
    const key = t.inbox(name);
    const body = JSON.stringify(articles('utf', 'cassowary', 2).map((l) => JSON.parse(l) as unknown));
    await put(key, body);
    const event = createdEvent(key, TEST_BUCKET, 'aws-lambda-go/s3-event.json');
    expect(event.Records[0]?.s3.object.key).toContain('D%C3%A9p%C3%AAches+du+jour+%E2%80%93+Z%C3%BCrich.json');

    const [f] = (await t.ingest(event)).files;
    expect(f).toMatchObject({ key, outcome: 'processed', added: 2, movedTo: t.config.processedPrefix + name });
    expect(await t.search('cassowary')).toEqual(['utf-1', 'utf-2']);
    expect(await exists(key)).toBe(false);
    expect(await text(t.config.processedPrefix + name)).toBe(body);
  });

  it('treats a retried event after the move as done, and a re-sent file as a correction (one copy)', async () => {
    const t = await setup();
    const body = articles('again', 'dugong', 2).join('\n');
    const key = t.inbox('again.ndjson');
    await put(key, body);
    const event = createdEvent(key);
    expect((await t.ingest(event)).files[0]).toMatchObject({ outcome: 'processed', added: 2 });
    const version = await liveVersion(t.loc);

    // The same event again (Lambda's retry, or S3's at-least-once delivery): the file is gone from the inbox.
    expect((await t.ingest(event)).files).toEqual([{ key, outcome: 'gone' }]);
    expect(await liveVersion(t.loc)).toBe(version);
    expect(t.lines.filter((l) => l['msg'] === 'already moved out of the inbox')).toHaveLength(1);

    // A crash between publishing and moving leaves the file in the inbox: adding it again replaces the same ids.
    await put(key, body);
    expect((await t.ingest(event)).files[0]).toMatchObject({ outcome: 'processed', added: 0, replaced: 2 });
    expect(await t.search('dugong')).toEqual(['again-1', 'again-2']);
    expect((await t.health()).articleCount).toBe(8);
  });

  it('ignores (and logs) other events, other buckets and keys outside the inbox', async () => {
    const t = await setup();
    const before = await liveVersion(t.loc);
    const removed = fixture('s3/powertools-delete-object.json');
    removed['Records'][0].s3.bucket.name = TEST_BUCKET;
    removed['Records'][0].s3.object.key = encodeEventKey(t.inbox('x.ndjson'));
    const outside = `${t.config.processedPrefix}y.ndjson`;
    await put(outside, articles('out', 'echidna', 1).join('\n'));
    const event = {
      Records: [
        ...removed['Records'],
        ...createdEvent(t.inbox('z.ndjson'), 'some-other-bucket').Records,
        ...createdEvent(outside).Records,
        ...createdEvent(t.inbox('folder/')).Records,
      ],
    };
    const summary = await t.ingest(event);
    expect(summary.files).toEqual([]);
    expect(summary.ignored.map((i) => i.reason)).toEqual([
      'not an S3 ObjectCreated event',
      `not the index's bucket (${TEST_BUCKET})`,
      `not under ${t.config.inboxPrefix}`,
      'a folder marker',
    ]);
    expect(t.lines.filter((l) => l['msg'] === 'record ignored')).toHaveLength(4);
    expect(await exists(outside)).toBe(true);
    expect(await liveVersion(t.loc)).toBe(before);
    // Not an S3 notification at all (a test invoke, another source).
    expect((await t.ingest({})).ignored).toEqual([{ reason: 'not an S3 event notification' }]);
  });

  it('throws on a transient S3 failure, leaving the file in the inbox and the live version as it was', async () => {
    const failing = createS3Client(s3.settings);
    let failPointer = true;
    failing.middlewareStack.add(
      (next, ctx) => async (args) => {
        const key = (args.input as { Key?: string }).Key ?? '';
        if (failPointer && ctx.commandName === 'PutObjectCommand' && key.endsWith('/current.json')) {
          throw Object.assign(new Error('We encountered an internal error. Please try again.'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } });
        }
        return next(args);
      },
      { step: 'initialize', name: 'failPointer' },
    );
    try {
      const t = await setup({ client: failing });
      const before = await liveVersion(t.loc);
      const key = t.inbox('later.ndjson');
      await put(key, articles('later', 'fossa', 2).join('\n'));
      await expect(t.ingest(createdEvent(key))).rejects.toThrow(/internal error/);
      expect(await exists(key)).toBe(true);
      expect(await liveVersion(t.loc)).toBe(before);
      expect(t.lines.find((l) => l['msg'] === 'file not ingested: the event will be retried')).toMatchObject({ level: 'error', key, error: expect.stringMatching(/HTTP 500/) as unknown });
      expect(t.lines.find((l) => '_aws' in l)).toMatchObject({ FilesFailed: 1 });

      // Lambda's retry, once S3 is back: the file goes through.
      failPointer = false;
      expect((await t.ingest(createdEvent(key))).files[0]).toMatchObject({ outcome: 'processed', added: 2 });
      expect(await t.search('fossa')).toEqual(['later-1', 'later-2']);
    } finally {
      failing.destroy();
    }
  });

  it('reads a 403 for the inbox object (no s3:ListBucket on it) as gone only when a listing agrees', async () => {
    const denying = createS3Client(s3.settings);
    denying.middlewareStack.add(
      (next, ctx) => async (args) => {
        if (ctx.commandName === 'GetObjectCommand' && ((args.input as { Key?: string }).Key ?? '').includes('/inbox/')) {
          throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
        }
        return next(args);
      },
      { step: 'initialize', name: 'deny' },
    );
    try {
      const t = await setup({ client: denying });
      // Missing: the listing does not show it, so it was moved already.
      expect((await t.ingest(createdEvent(t.inbox('moved.ndjson')))).files).toEqual([{ key: t.inbox('moved.ndjson'), outcome: 'gone' }]);
      // There, but unreadable: a real permission problem, retried and finally dead-lettered.
      const key = t.inbox('moved.ndjson.bak.ndjson');
      await put(key, articles('denied', 'genet', 1).join('\n'));
      await expect(t.ingest(createdEvent(key))).rejects.toThrow(/Access Denied/);
      expect(await exists(key)).toBe(true);
    } finally {
      denying.destroy();
    }
  });
});

describe('ingest function configuration', () => {
  it('defaults the folders, and takes writer-sized S3 timeouts', () => {
    const c = readIngestConfig({ INDEX_URI: 's3://my-bucket/news' });
    expect(c).toMatchObject({ index: { kind: 's3', bucket: 'my-bucket', prefix: 'news' }, inboxPrefix: 'inbox/', processedPrefix: 'processed/', rejectedPrefix: 'rejected/', logLevel: 'info' });
    expect(c.s3).toMatchObject({ connectTimeoutMs: 5000, requestTimeoutMs: 60_000, maxAttempts: 3 });
    const d = readIngestConfig({ INDEX_URI: 's3://my-bucket/news', INBOX_PREFIX: '/drop', PROCESSED_PREFIX: 'done/ok/', S3_REQUEST_TIMEOUT_MS: '9000' });
    expect(d).toMatchObject({ inboxPrefix: 'drop/', processedPrefix: 'done/ok/' });
    expect(d.s3.requestTimeoutMs).toBe(9000);
  });

  it('refuses what cannot work, naming the variable', () => {
    const err = (env: NodeJS.ProcessEnv) => {
      try {
        readIngestConfig(env);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as ConfigError).variable;
      }
      return 'accepted';
    };
    expect(err({})).toBe('INDEX_URI');
    expect(err({ INDEX_URI: '/var/index' })).toBe('INDEX_URI'); // a folder: no bucket, no events
    expect(err({ INDEX_URI: 's3://my-bucket/news', PROCESSED_PREFIX: 'inbox/done/' })).toBe('PROCESSED_PREFIX'); // moved files would come back
    expect(err({ INDEX_URI: 's3://my-bucket/news', REJECTED_PREFIX: 'inbox' })).toBe('REJECTED_PREFIX');
    expect(err({ INDEX_URI: 's3://my-bucket/news', INBOX_PREFIX: 'news/inbox/' })).toBe('INBOX_PREFIX'); // inside the index
    expect(err({ INDEX_URI: 's3://my-bucket', INBOX_PREFIX: 'parts/' })).toBe('INBOX_PREFIX'); // an index at the bucket root
    expect(err({ INDEX_URI: 's3://my-bucket', INBOX_PREFIX: 'a/../b/' })).toBe('INBOX_PREFIX');
    expect(err({ INDEX_URI: 's3://my-bucket/news', LOG_LEVEL: 'loud' })).toBe('LOG_LEVEL');
    expect(err({ INDEX_URI: 's3://my-bucket' })).toBe('accepted');
  });
});
