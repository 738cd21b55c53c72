import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, ListObjectsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { addFiles, ARTICLE_FILE_TYPES, compactIndex, isArticleFile } from '../ingest/add-files.ts';
import { s3Store } from '../storage/index-store.ts';
import { createS3Client } from '../storage/s3-client.ts';
import { describeS3Error, httpStatusOf, isNotFound } from '../storage/s3.ts';
import { readIngestConfig, type IngestConfig } from './ingest-config.ts';
import { createLogger } from './log.ts';
import { emfRecord, type Metric } from './metrics.ts';

/**
 * The ingest function: NDJSON/JSON/text files dropped under the inbox prefix of the index's bucket
 * (an S3 `ObjectCreated` notification) are added to the published index, then moved out of the inbox:
 *
 * - some records valid: a new version is published; the file goes to `processed/` and, if some of its
 *   records were rejected, `processed/<name>.report.json` lists them (file, record, reason);
 * - no valid record (or not an article file): nothing is published; the file goes to `rejected/` with
 *   `rejected/<name>.report.json`;
 * - the file is no longer in the inbox (a retried event after the move): nothing to do;
 * - anything else (S3 failing, other writers winning every compare-and-swap, no index published)
 *   throws, so Lambda retries the event and finally sends it to the dead-letter destination; the file
 *   stays in the inbox for a redrive.
 *
 * A file is published before it is moved, so a retry after a crash in between adds it again: the same
 * ids replace themselves (one copy). Deployed with reserved concurrency 1, it is the only writer the
 * function adds; `news-search add` from a laptop still lands, by compare-and-swap.
 */

export interface IngestDeps {
  /** An S3 client to use instead of one built from `config.s3` (tests). */
  s3?: S3Client;
  /** Where the JSON lines go, logs and metrics (default: stdout, which Lambda sends to CloudWatch). */
  log?: (line: string) => void;
  /** Where files are downloaded (default: the OS temp folder, /tmp in Lambda). */
  tmpDir?: string;
}

export interface Rejected {
  file: string;
  record: string;
  reason: string;
}

/** What became of one object named in the event. */
export type FileOutcome =
  | { key: string; outcome: 'processed'; movedTo: string; version: string; read: number; added: number; replaced: number; rejected: number; report?: string }
  | { key: string; outcome: 'rejected'; movedTo: string; read: number; rejected: number; report: string }
  | { key: string; outcome: 'gone' };

export interface IngestSummary {
  files: FileOutcome[];
  /** Records not for this function: other events, other buckets, keys outside the inbox. */
  ignored: Array<{ reason: string; key?: string; eventName?: string }>;
}

/** The JSON written next to a file that had rejected records. */
export interface RejectionReport {
  source: string;
  movedTo: string;
  outcome: 'processed' | 'rejected';
  read: number;
  added: number;
  /** The version that made the added articles live; absent when nothing was published. */
  version?: string;
  rejections: Rejected[];
}

export type IngestHandler = (event: unknown, context?: Pick<Context, 'awsRequestId'>) => Promise<IngestSummary>;

/** A local file name longer than this (bytes) cannot be written to /tmp. */
const MAX_NAME_BYTES = 240;

/** Keys in S3 notifications are URL-encoded, with `+` for a space (`inbox/A+b%C3%A9.ndjson` → `inbox/A bé.ndjson`). */
export function decodeEventKey(raw: string): string {
  return decodeURIComponent(raw.replace(/\+/g, ' '));
}

interface EventRecord {
  eventSource?: unknown;
  eventName?: unknown;
  s3?: { bucket?: { name?: unknown }; object?: { key?: unknown } };
}

/** One container: its own S3 client and store. The module-level `handler` makes one per Lambda container. */
export function createIngestHandler(config: IngestConfig, deps: IngestDeps = {}): IngestHandler {
  const sink = deps.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const logger = createLogger(config.logLevel, sink);
  const client = deps.s3 ?? createS3Client(config.s3);
  const store = s3Store(client, config.index);
  const bucket = config.index.bucket;
  const uri = (key: string) => `s3://${bucket}/${key}`;

  /** Whether the object is no longer there. Without s3:ListBucket on it S3 says 403 for a missing key, so a 403 is checked by listing the inbox. */
  async function gone(key: string, err: unknown): Promise<boolean> {
    if (isNotFound(err)) return true;
    if (httpStatusOf(err) !== 403) return false;
    const out = await client.send(new ListObjectsCommand({ Bucket: bucket, Prefix: key, MaxKeys: 1 }));
    return out.Contents?.[0]?.Key !== key;
  }

  async function download(key: string, path: string): Promise<boolean> {
    let body: Readable;
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      body = out.Body as Readable;
    } catch (err) {
      if (await gone(key, err)) return false;
      throw err;
    }
    await pipeline(body, createWriteStream(path));
    return true;
  }

  async function putJson(key: string, value: unknown): Promise<void> {
    const body = new TextEncoder().encode(JSON.stringify(value, null, 2) + '\n');
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: body.byteLength, ContentType: 'application/json' }));
  }

  /** Copies the object to `to` and deletes it from the inbox; false when it was gone already. */
  async function move(key: string, to: string): Promise<boolean> {
    try {
      // CopySource is URL-encoded, its slashes kept.
      // Tags are not copied (REPLACE with none), so the role needs no tagging permissions.
      await client.send(
        new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: `${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`, TaggingDirective: 'REPLACE' }),
      );
    } catch (err) {
      if (await gone(key, err)) return false;
      throw err;
    }
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  }

  async function reject(key: string, rel: string, read: number, rejections: Rejected[]): Promise<FileOutcome> {
    const movedTo = config.rejectedPrefix + rel;
    const report = `${movedTo}.report.json`;
    await putJson(report, { source: uri(key), movedTo: uri(movedTo), outcome: 'rejected', read, added: 0, rejections } satisfies RejectionReport);
    if (!(await move(key, movedTo))) {
      logger.info('already moved out of the inbox', { key });
      return { key, outcome: 'gone' };
    }
    logger.warn('file rejected: nothing published', { key, movedTo, report, read, rejected: rejections.length, firstReason: rejections[0]?.reason });
    return { key, outcome: 'rejected', movedTo, read, rejected: rejections.length, report };
  }

  async function ingest(key: string): Promise<FileOutcome> {
    const rel = key.slice(config.inboxPrefix.length);
    const name = key.slice(key.lastIndexOf('/') + 1);
    const whole = (reason: string) => [{ file: uri(key), record: 'file', reason }];
    if (!isArticleFile(name)) return reject(key, rel, 0, whole(`unsupported file type (use ${ARTICLE_FILE_TYPES})`));
    if (Buffer.byteLength(name) > MAX_NAME_BYTES) return reject(key, rel, 0, whole(`file name longer than ${MAX_NAME_BYTES} bytes`));

    const dir = await mkdtemp(join(deps.tmpDir ?? tmpdir(), 'ingest-'));
    try {
      // The file keeps its name: a .txt article's id is its file name.
      const local = join(dir, name);
      if (!(await download(key, local))) {
        logger.info('already moved out of the inbox', { key });
        return { key, outcome: 'gone' };
      }
      // One worker: entity extraction in-process (a bundled function has no worker file to start).
      const { committed, collected } = await addFiles(store, [local], { workers: 1 });
      const rejections = collected.rejections.map((r) => ({ file: uri(key), record: r.record, reason: r.reason }));
      if (!committed) return await reject(key, rel, collected.read, rejections);

      const movedTo = config.processedPrefix + rel;
      const ch = committed.change;
      let report: string | undefined;
      if (rejections.length > 0) {
        report = `${movedTo}.report.json`;
        await putJson(report, {
          source: uri(key),
          movedTo: uri(movedTo),
          outcome: 'processed',
          read: collected.read,
          added: collected.articles.length,
          version: committed.version,
          rejections,
        } satisfies RejectionReport);
      }
      await move(key, movedTo);
      logger.info('file ingested', {
        key,
        movedTo,
        version: committed.version,
        read: collected.read,
        added: ch.added,
        replaced: ch.replaced,
        rejected: rejections.length,
        articleCount: ch.manifest.articleCount,
        attempts: committed.attempts,
        ...(report ? { report } : {}),
      });
      return { key, outcome: 'processed', movedTo, version: committed.version, read: collected.read, added: ch.added, replaced: ch.replaced, rejected: rejections.length, ...(report ? { report } : {}) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** The inbox key a record names, or why the record is not for this function. */
  function keyOf(r: EventRecord): { key: string } | { reason: string; key?: string; eventName?: string } {
    const eventName = typeof r.eventName === 'string' ? r.eventName : undefined;
    if (r.eventSource !== 'aws:s3' || !eventName?.startsWith('ObjectCreated:')) return { reason: 'not an S3 ObjectCreated event', ...(eventName ? { eventName } : {}) };
    const raw = r.s3?.object?.key;
    if (typeof raw !== 'string' || raw === '') return { reason: 'no object key', eventName };
    let key: string;
    try {
      key = decodeEventKey(raw);
    } catch {
      return { reason: 'object key is not URL-encoded UTF-8', key: raw, eventName };
    }
    if (r.s3?.bucket?.name !== bucket) return { reason: `not the index's bucket (${bucket})`, key, eventName };
    if (!key.startsWith(config.inboxPrefix)) return { reason: `not under ${config.inboxPrefix}`, key, eventName };
    if (key.endsWith('/')) return { reason: 'a folder marker', key, eventName };
    return { key };
  }

  return async (event, context) => {
    const t0 = performance.now();
    const summary: IngestSummary = { files: [], ignored: [] };
    const records = (event as { Records?: unknown } | null)?.Records;
    if (!Array.isArray(records)) {
      logger.warn('not an S3 event notification: ignored', { awsRequestId: context?.awsRequestId });
      summary.ignored.push({ reason: 'not an S3 event notification' });
      return summary;
    }
    const failures: unknown[] = [];
    for (const r of records as EventRecord[]) {
      const what = keyOf(r ?? {});
      if ('reason' in what) {
        summary.ignored.push(what);
        logger.info('record ignored', { ...what, awsRequestId: context?.awsRequestId });
        continue;
      }
      try {
        summary.files.push(await ingest(what.key));
      } catch (err) {
        failures.push(err);
        logger.error('file not ingested: the event will be retried', { key: what.key, error: describe(err), awsRequestId: context?.awsRequestId });
      }
    }
    if (summary.files.some((f) => f.outcome === 'processed')) {
      // Each file is a segment; merging small ones keeps searches fast. Best effort: the next file merges too.
      try {
        const merged = await compactIndex(store);
        if (merged) logger.info('segments merged', { version: merged.version, segments: merged.change.manifest.segments.length });
      } catch (err) {
        logger.warn('segment merge failed (the index is fine, only more fragmented)', { error: describe(err) });
      }
    }
    const count = (o: FileOutcome['outcome']) => summary.files.filter((f) => f.outcome === o).length;
    const metrics: Metric[] = [
      { name: 'IngestTime', unit: 'Milliseconds', value: Math.round(performance.now() - t0) },
      { name: 'FilesProcessed', unit: 'Count', value: count('processed') },
      { name: 'FilesRejected', unit: 'Count', value: count('rejected') },
      { name: 'FilesFailed', unit: 'Count', value: failures.length },
      { name: 'ArticlesAdded', unit: 'Count', value: summary.files.reduce((n, f) => n + (f.outcome === 'processed' ? f.added + f.replaced : 0), 0) },
      { name: 'RecordsRejected', unit: 'Count', value: summary.files.reduce((n, f) => n + (f.outcome === 'gone' ? 0 : f.rejected), 0) },
    ];
    sink(JSON.stringify(emfRecord(metrics, { FunctionName: config.functionName }, { awsRequestId: context?.awsRequestId })));
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} files not ingested`);
    return summary;
  };
}

function describe(err: unknown): string {
  const status = httpStatusOf(err);
  if (status !== undefined) return `${describeS3Error(err)} (HTTP ${status})`;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

let container: IngestHandler | undefined;

/** Built on first use so importing this module never throws; a bad config fails the invocation with the variable named. */
export const handler: IngestHandler = (event, context) => {
  container ??= createIngestHandler(readIngestConfig(process.env));
  return container(event, context);
};
