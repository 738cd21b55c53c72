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
      await publishWithProgress(loc, await m.bundleFromFolder(dir), o);
    });

  program
    .command('versions')
    .description('list the published versions of an index, newest first (* = live)')
    .argument('<s3uri>', 's3://bucket/prefix')
    .option('--json', 'print JSON')
    .action(async (uri: string, o: { json?: boolean }) => {
      const list = await (await s3Modules()).describeVersions(await client(), await location(uri));
      if (o.json) return void console.log(JSON.stringify(list.map((v) => ({ version: v.version, current: v.current, builtAt: v.manifest?.builtAt ?? null, articleCount: v.manifest?.articleCount ?? null })), null, 2));
      if (list.length === 0) return void console.error(`no versions under ${uri}`);
      for (const v of list) {
        const m = v.manifest;
        const size = m ? m.parts.reduce((s, p) => s + p.bytes, 0) : 0;
        console.log(`${v.current ? '*' : ' '} ${v.version}  ${m ? `${m.articleCount} articles, ${(size / 1e6).toFixed(1)} MB` : '(incomplete: no manifest)'}`);
      }
    });

  program
    .command('rollback')
    .description('make an older published version live again')
    .argument('<s3uri>', 's3://bucket/prefix')
    .requiredOption('--to <version>', 'version name, as listed by `versions`')
    .action(async (uri: string, o: { to: string }) => {
      const p = await (await s3Modules()).rollback(await client(), await location(uri), o.to);
      console.error(`live: ${p.version} (was ${p.rolledBackFrom ?? 'none'})`);
    });

  program
    .command('prune')
    .description('delete old versions, keeping the live one and the newest others')
    .argument('<s3uri>', 's3://bucket/prefix')
    .requiredOption('--keep <n>', 'versions to keep, the live one included', (v) => wholeNumber(v, '--keep'))
    .action(async (uri: string, o: { keep: number }) => {
      const gone = await (await s3Modules()).prune(await client(), await location(uri), o.keep);
      console.error(gone.length ? `deleted ${gone.join(', ')}` : 'nothing to delete');
    });
}

export interface PublishCliOptions {
  keep?: number;
  concurrency?: number;
  quiet?: boolean;
}

/** `build --out s3://…`: publishes the bundle just built in memory. */
export async function publishBuiltBundle(files: ReadonlyMap<string, Uint8Array>, uri: string, o: PublishCliOptions = {}): Promise<PublishResult> {
  const m = await s3Modules();
  return publishWithProgress(await location(uri), m.bundleFromMemory(files), o);
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
async function client(): Promise<S3Client> {
  const { createS3Client, s3SettingsFromEnv } = await s3Modules();
  const env = { S3_REQUEST_TIMEOUT_MS: '120000', S3_CONNECT_TIMEOUT_MS: '5000', S3_MAX_ATTEMPTS: '5', ...process.env };
  shared ??= createS3Client(s3SettingsFromEnv(env));
  return shared;
}

async function location(uri: string): Promise<S3Location> {
  const { parseS3Uri } = await s3Modules();
  try {
    return parseS3Uri(uri);
  } catch (err) {
    throw new InputError((err as Error).message);
  }
}

function wholeNumber(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`${name} must be a whole number of at least 1`);
  return n;
}
