import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3ErrorAdvice } from '../cli/s3-commands.ts';
import { S3RVER_CREDENTIALS, startLocalS3, TEST_BUCKET, type LocalS3 } from './helpers/s3rver.ts';

/**
 * What the CLI says when the set-up is incomplete: no index folder for `serve`, no AWS credentials, credentials
 * or a bucket a local S3 server does not know. Each message names what to set or run, exits non-zero and
 * prints no stack trace. The S3 round trip the README's "Local S3" section documents runs here too.
 */

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../bin/news-search.mjs');
const ROOT = join(import.meta.dirname, '..');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment without any AWS setting of the machine, so results do not depend on who runs the test. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  return {
    ...env,
    // No profile files, no instance metadata: the SDK's default chain finds nothing, quickly.
    AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    S3_MAX_ATTEMPTS: '1',
    ...extra,
  };
}

async function cli(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { timeout: 120_000, cwd: ROOT, env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A Node stack frame ("    at main (file:///…)") in the output. */
const STACK = /^\s+at .+[(:]/m;

let dir: string;
let s3: LocalS3;
const s3Env = (extra: Record<string, string> = {}) =>
  cleanEnv({
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_REGION: 'us-east-1',
    ...extra,
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ns-cli-msg-'));
  s3 = await startLocalS3();
});

afterAll(async () => {
  await s3?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('serve without an index', () => {
  it('names the folder and how to build one, exits 2, no stack trace', async () => {
    const missing = join(dir, 'no-such-index');
    const r = await cli(['serve', '--index', missing, '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no index in ${missing} (no such folder)`);
    expect(r.stderr).toContain(`news-search build <inputs> --out ${missing}`);
    expect(r.stderr).toContain(`news-search serve --index ${missing} --build <inputs>`);
    expect(r.stderr).not.toMatch(STACK);
  });

  it('says so for a folder without manifest.json too', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    const r = await cli(['serve', '--index', empty, '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no index in ${empty} (the folder has no manifest.json)`);
    expect(r.stderr).not.toMatch(STACK);
  });

  it('points an s3:// index to the Lambda handler instead', async () => {
    const r = await cli(['serve', '--index', 's3://bucket/news']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('serve reads an index folder, not s3://bucket/news');
    expect(r.stderr).toContain('"Local S3" in README.md');
  });
});

describe('S3 commands: set-up mistakes', () => {
  it('no credentials: names AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or AWS_PROFILE and the README section', async () => {
    const r = await cli(['versions', `s3://${TEST_BUCKET}/news`], cleanEnv({ AWS_ENDPOINT_URL_S3: s3.endpoint }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no AWS credentials found for s3://${TEST_BUCKET}/news`);
    for (const v of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', '"Local S3" in README.md']) expect(r.stderr).toContain(v);
    expect(r.stderr).not.toContain('Could not load credentials');
    expect(r.stderr).not.toMatch(STACK);
  });

  it('build --out s3:// without credentials fails the same way, after building', async () => {
    const r = await cli(['build', 'examples/articles/lisbon-tram-line-approved.txt', '--out', `s3://${TEST_BUCKET}/news`, '--quiet', '--workers', '1'], cleanEnv({ AWS_ENDPOINT_URL_S3: s3.endpoint }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE');
    expect(r.stderr).not.toMatch(STACK);
  });

  it('credentials the server refuses, a missing bucket, no server at the endpoint', async () => {
    const wrong = await cli(['versions', `s3://${TEST_BUCKET}/news`], s3Env({ AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'nope' }));
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`the S3 server at ${s3.endpoint} (AWS_ENDPOINT_URL_S3) refused the credentials (InvalidAccessKeyId)`);
    const bucket = await cli(['versions', 's3://no-such-bucket/news'], s3Env());
    expect(bucket.code).toBe(2);
    expect(bucket.stderr).toContain('bucket "no-such-bucket" does not exist');
    expect(bucket.stderr).toContain('--configure-bucket no-such-bucket');
    // A port nothing listens on: the server's own, once stopped.
    await s3.stop();
    try {
      const down = await cli(['versions', `s3://${TEST_BUCKET}/news`], s3Env());
      expect(down.code).toBe(2);
      expect(down.stderr).toContain(`nothing answers at ${s3.endpoint} (AWS_ENDPOINT_URL_S3): is the S3 server running?`);
    } finally {
      await s3.start();
    }
    for (const r of [wrong, bucket]) expect(r.stderr).not.toMatch(STACK);
  });

  it('leaves other errors alone', () => {
    expect(s3ErrorAdvice(new Error('boom'), 's3://b/p', {})).toBeNull();
    expect(s3ErrorAdvice(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 's3://b/p', {})).toBeNull();
  });
});

describe('the README "Local S3" round trip against s3rver', () => {
  it('build --out s3://, publish a folder, versions, rollback', async () => {
    const uri = `s3://${TEST_BUCKET}/sample`;
    const first = await cli(['build', 'examples/articles', '--out', uri, '--quiet', '--workers', '2'], s3Env());
    expect(first.stderr).toMatch(new RegExp(`published \\S+ to ${uri}: \\d+ objects`));
    expect(first.code).toBe(0);
    const v1 = /published (\S+) to/.exec(first.stderr)![1]!;

    const folder = join(dir, 'ix');
    expect((await cli(['build', 'examples/articles', '--out', folder, '--quiet', '--workers', '2'])).code).toBe(0);
    const second = await cli(['publish', folder, uri, '--quiet'], s3Env());
    expect(second.code).toBe(0);
    const v2 = /published (\S+) to/.exec(second.stderr)![1]!;
    expect(v2).not.toBe(v1);

    const listed = await cli(['versions', uri, '--json'], s3Env());
    expect(listed.code).toBe(0);
    const versions = JSON.parse(listed.stdout) as Array<{ version: string; current: boolean; articleCount: number }>;
    expect(versions.map((v) => [v.version, v.current])).toEqual([[v2, true], [v1, false]]);
    // What the folder build indexed, as its own manifest says, and more than nothing.
    const built = (JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as { articleCount: number }).articleCount;
    expect(built).toBeGreaterThan(30);
    expect(versions[0]!.articleCount).toBe(built);

    const back = await cli(['rollback', uri, '--to', v1], s3Env());
    expect(back.code).toBe(0);
    expect(back.stderr).toContain(`live: ${v1} (was ${v2})`);
    const text = await cli(['versions', uri], s3Env());
    expect(text.stdout).toMatch(new RegExp(`^\\* ${v1}  ${built} articles`, "m"));
  }, 120_000);
});
