import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client, type S3ClientSettings } from '../../storage/s3-client.ts';

/** The part of s3rver's (untyped, CommonJS) API the tests use. */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverCtor = new (opts: Record<string, unknown>) => S3rverInstance;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverCtor;

/** s3rver accepts only its built-in key pair. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
export const TEST_BUCKET = 'news-index';

export interface LocalS3 {
  endpoint: string;
  port: number;
  /** Client settings for this server; tight timeouts so failure tests run fast. */
  settings: S3ClientSettings;
  client: S3Client;
  /** Stops the server; its files stay, so `start()` brings back the same bucket. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes its files. */
  dispose(): Promise<void>;
}

/** A real S3 API on 127.0.0.1 (any free port) over a temp folder, with one bucket. */
export async function startLocalS3(opts: { port?: number } = {}): Promise<LocalS3> {
  const directory = await mkdtemp(join(tmpdir(), 'news-s3-'));
  let server: S3rverInstance | null = null;
  let port = opts.port ?? 0;
  const start = async () => {
    const s = new S3rver({ address: '127.0.0.1', port, silent: true, directory, configureBuckets: [{ name: TEST_BUCKET }] });
    port = (await s.run()).port;
    server = s;
  };
  await start();
  const endpoint = `http://127.0.0.1:${port}`;
  const settings: S3ClientSettings = {
    endpoint,
    region: 'us-east-1',
    credentials: S3RVER_CREDENTIALS,
    connectTimeoutMs: 500,
    requestTimeoutMs: 5000,
    maxAttempts: 2,
  };
  const client = createS3Client(settings);
  const stop = async () => {
    const s = server;
    server = null;
    if (s) await s.close();
  };
  return {
    endpoint,
    port,
    settings,
    client,
    stop,
    start,
    async dispose() {
      await stop();
      client.destroy();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
