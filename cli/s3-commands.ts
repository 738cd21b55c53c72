import type { S3Client } from '@aws-sdk/client-s3';
import type { Command } from 'commander';
import type { BundleSource } from '../storage/bundle-source.ts';
import type { PublishResult } from '../storage/publish.ts';
import type { S3Location } from '../storage/uri.ts';
import { InputError } from '../indexer/read-inputs.ts';

/**
 * The S3 modules (and the AWS SDK, ~250 ms to import) load only when an S3 command runs, so
 * `query`, `serve` and local builds start as fast as before.
 */
async function s3Modules() {
  const [source, publish, client, uri, versions, progress] = await Promise.all([
    import('../storage/bundle-source.ts'),
    import('../storage/publish.ts'),
    import('../storage/s3-client.ts'),
    import('../storage/uri.ts'),
    import('../storage/versions.ts'),
    import('cli-progress'),
  ]);
  return { ...source, ...publish, ...client, ...uri, ...versions, cliProgress: progress.default };
}

/**
 * `publish`, `versions`, `rollback` and `prune`: the S3 side of the CLI. Credentials and region come
 * from the usual AWS variables and profiles; `AWS_ENDPOINT_URL_S3` points at S3-compatible servers.
 */
export function registerS3Commands(program: Command): void {
  program
    .command('publish')
    .description('upload an index folder to S3 as a new version and make it live')
    .argument('<dir>', 'index bundle folder (from build --out)')
    .argument('<s3uri>', 's3://bucket/prefix')
    .option('--keep <n>', 'versions to keep, the live one included', (v) => wholeNumber(v, '--keep'), 5)
    .option('--concurrency <n>', 'parts uploaded at once', (v) => wholeNumber(v, '--concurrency'), 8)
    .option('-q, --quiet', 'no progress bar')
    .action(async (dir: string, uri: string, o: PublishCliOptions) => {
      const m = await s3Modules();
      const loc = await location(uri);
      const src = await m.bundleFromFolder(dir);
      await explainS3Errors(uri, () => publishWithProgress(loc, src, o));
    });

  program
    .command('versions')
    .description('list the published versions of an index, newest first (* = live)')
    .argument('<s3uri>', 's3://bucket/prefix')
    .option('--json', 'print JSON')
    .option('--segments', 'list each version\'s segments: date range, live and deleted articles, when added')
    .action(async (uri: string, o: { json?: boolean; segments?: boolean }) => {
      const m = await s3Modules();
      const loc = await location(uri);
      const list = await explainS3Errors(uri, async () => m.describeVersions(await client(), loc));
      if (o.json) {
        return void console.log(
          JSON.stringify(
            list.map((v) => ({
              version: v.version,
              current: v.current,
              builtAt: v.manifest?.builtAt ?? null,
              articleCount: v.manifest?.articleCount ?? null,
              segments: v.manifest?.segments.map((s) => ({ id: s.id, dateRange: s.dateRange, articles: s.articleCount - s.deleted.length, deleted: s.deleted.length, addedAt: s.addedAt })) ?? null,
            })),
            null,
            2,
          ),
        );
      }
      if (list.length === 0) return void console.error(`no versions under ${uri}`);
      for (const v of list) {
        const m = v.manifest;
        const size = m ? m.parts.reduce((s, p) => s + p.bytes, 0) : 0;
        const deleted = m ? m.segments.reduce((n, s) => n + s.deleted.length, 0) : 0;
        console.log(
          `${v.current ? '*' : ' '} ${v.version}  ` +
            (m ? `${m.articleCount} articles in ${m.segments.length} segment(s), ${deleted} deleted, ${(size / 1e6).toFixed(1)} MB` : '(incomplete: no manifest)'),
        );
        if (m && o.segments) {
          for (const s of m.segments) console.log(`    ${s.id}  ${s.dateRange.from} … ${s.dateRange.to}  ${s.articleCount - s.deleted.length} live, ${s.deleted.length} deleted, added ${s.addedAt}`);
        }
      }
    });

  program
    .command('rollback')
    .description('make an older published version live again')
    .argument('<s3uri>', 's3://bucket/prefix')
    .option('--to <version>', 'version name, as listed by `versions` (default: the version before the live one)')
    .action(async (uri: string, o: { to?: string }) => {
      const m = await s3Modules();
      const loc = await location(uri);
      const p = await explainS3Errors(uri, async () => {
        const c = await client();
        return m.rollback(c, loc, o.to ?? (await m.previousVersion(c, loc)));
      });
      console.error(`live: ${p.version} (was ${p.rolledBackFrom ?? 'none'})`);
    });

  program
    .command('prune')
    .description('delete old versions, keeping the live one and the newest others')
    .argument('<s3uri>', 's3://bucket/prefix')
    .requiredOption('--keep <n>', 'versions to keep, the live one included', (v) => wholeNumber(v, '--keep'))
    .action(async (uri: string, o: { keep: number }) => {
      const m = await s3Modules();
      const loc = await location(uri);
      const gone = await explainS3Errors(uri, async () => m.prune(await client(), loc, o.keep));
      console.error(gone.length ? `deleted ${gone.join(', ')}` : 'nothing to delete');
    });
}

export interface PublishCliOptions {
  keep?: number;
  concurrency?: number;
  quiet?: boolean;
}

/** `build --out s3://…`: publishes the bundle just built into a temp folder. */
export async function publishBuiltFolder(dir: string, uri: string, o: PublishCliOptions = {}): Promise<PublishResult> {
  const m = await s3Modules();
  const loc = await location(uri);
  const src = await m.bundleFromFolder(dir);
  return explainS3Errors(uri, () => publishWithProgress(loc, src, o));
}

async function publishWithProgress(loc: S3Location, src: BundleSource, o: PublishCliOptions): Promise<PublishResult> {
  const { cliProgress, publishBundle, formatS3Uri } = await s3Modules();
  const bar = o.quiet
    ? null
    : new cliProgress.SingleBar(
        { format: 'uploading | {bar} | {percentage}% | {done}/{size} MB | parts {parts}', noTTYOutput: true, notTTYSchedule: 5000, stream: process.stderr, hideCursor: false },
        cliProgress.Presets.shades_classic,
      );
  const mb = (b: number) => (b / 1e6).toFixed(1);
  bar?.start(1, 0, { done: '0.0', size: '?', parts: '0/?' });
  let res: PublishResult;
  try {
    res = await publishBundle(await client(), loc, src, {
      ...(o.keep !== undefined ? { keep: o.keep } : {}),
      ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
      onProgress: (p) => {
        bar?.setTotal(p.bytesTotal);
        bar?.update(p.bytesDone, { done: mb(p.bytesDone), size: mb(p.bytesTotal), parts: `${p.partsDone}/${p.partsTotal}` });
      },
    });
  } finally {
    bar?.stop();
  }
  console.error(
    `published ${res.version} to ${formatS3Uri(loc)}: ${res.partsUploaded} objects, ${res.bytesUploaded.toLocaleString('en-US')} bytes in ${(res.ms / 1000).toFixed(1)} s` +
      (res.pruned.length ? `; pruned ${res.pruned.length} old version(s)` : ''),
  );
  return res;
}

let shared: S3Client | undefined;
/** CLI transfers may be large and links slow: longer timeouts than the Lambda's unless set. */
export async function client(): Promise<S3Client> {
  const { createS3Client, s3SettingsFromEnv } = await s3Modules();
  const env = { S3_REQUEST_TIMEOUT_MS: '120000', S3_CONNECT_TIMEOUT_MS: '5000', S3_MAX_ATTEMPTS: '5', ...process.env };
  shared ??= createS3Client(s3SettingsFromEnv(env));
  return shared;
}

export async function location(uri: string): Promise<S3Location> {
  const { parseS3Uri } = await s3Modules();
  try {
    return parseS3Uri(uri);
  } catch (err) {
    throw new InputError((err as Error).message);
  }
}

/** Where the README explains credentials and a local S3 server. */
export const LOCAL_S3_HELP = 'see "Local S3" in README.md';

/**
 * Runs one S3 operation and turns the failures people meet first (no credentials, credentials the server
 * refuses, a missing bucket, no server at AWS_ENDPOINT_URL_S3) into an `InputError` that says what to set or
 * start. Anything else is rethrown as it is.
 */
export async function explainS3Errors<T>(uri: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const why = s3ErrorAdvice(err, uri, process.env);
    throw why === null ? err : new InputError(why);
  }
}

/** The advice for an S3 failure, or null when it is not one of the well-known set-up mistakes. */
export function s3ErrorAdvice(err: unknown, uri: string, env: NodeJS.ProcessEnv): string | null {
  const e = err as { name?: string; code?: string; message?: string } | null;
  const name = e?.name ?? '';
  const message = e?.message ?? '';
  const endpoint = env['AWS_ENDPOINT_URL_S3']?.trim();
  const where = endpoint ? `the S3 server at ${endpoint} (AWS_ENDPOINT_URL_S3)` : 'AWS S3';
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return (
      `no AWS credentials found for ${uri}. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE for a ` +
      `profile in ~/.aws/config (and AWS_REGION if the bucket is not in us-east-1). For a local S3 server (s3rver): ` +
      `AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_ENDPOINT_URL_S3=http://127.0.0.1:4569; ${LOCAL_S3_HELP}`
    );
  }
  if (name === 'InvalidAccessKeyId' || name === 'SignatureDoesNotMatch') {
    return (
      `${where} refused the credentials (${name}): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY ` +
      `(s3rver accepts only S3RVER / S3RVER); ${LOCAL_S3_HELP}`
    );
  }
  if (name === 'NoSuchBucket') {
    const bucket = /^s3:\/\/([^/]+)/.exec(uri)?.[1] ?? uri;
    return `bucket "${bucket}" does not exist on ${where}` + (endpoint ? ` (start s3rver with --configure-bucket ${bucket}); ${LOCAL_S3_HELP}` : '');
  }
  if (e?.code === 'ECONNREFUSED' && endpoint) return `nothing answers at ${endpoint} (AWS_ENDPOINT_URL_S3): is the S3 server running? ${LOCAL_S3_HELP}`;
  return null;
}

function wholeNumber(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`${name} must be a whole number of at least 1`);
  return n;
}
