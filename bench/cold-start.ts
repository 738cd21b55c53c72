import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { publishBundle } from '../storage/publish.ts';
import { bundleFromFolder } from '../storage/bundle-source.ts';
import { parseS3Uri } from '../storage/uri.ts';
import { S3RVER_CREDENTIALS, startLocalS3, TEST_BUCKET, type LocalS3 } from '../test/helpers/s3rver.ts';
import { REPO, runChild } from './child.ts';
import type { ColdResult } from './cold-child.ts';
import { FIXTURE } from './events.ts';
import { startCountingProxy, type CountingProxy } from './s3-proxy.ts';

/**
 * Cold starts of the real handler, each in a fresh Node process: import of the handler bundle
 * (esbuild, with serverless.yml's settings, so what Lambda loads), index load, first answer. The
 * index is either published to s3rver with the repo's publish code and read through a counting
 * proxy, or read from a folder.
 */
export interface ColdRun extends ColdResult {
  source: 's3' | 'folder';
  /** Bytes read from storage before the first answer (S3: response bodies at the proxy). */
  bytesRead: number;
  requests: number;
}

export interface ColdBundle {
  handler: string;
  child: string;
  handlerBytes: number;
}

/** Bundles the handler like serverless-esbuild does (AWS SDK left out: Lambda provides it). */
export async function bundleForColdStart(): Promise<ColdBundle> {
  const dir = join(REPO, 'bench', 'results', '.build');
  await mkdir(dir, { recursive: true });
  const handler = join(dir, 'handler.mjs');
  const child = join(dir, 'cold-child.mjs');
  const common = { bundle: true, platform: 'node', target: 'node20', format: 'esm', logLevel: 'warning' } as const;
  await build({
    ...common,
    entryPoints: [join(REPO, 'functions', 'search.ts')],
    outfile: handler,
    minify: true,
    external: ['@aws-sdk/*'],
    mainFields: ['module', 'main'],
    legalComments: 'none',
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  });
  await build({ ...common, entryPoints: [join(REPO, 'bench', 'cold-child.ts')], outfile: child });
  return { handler, child, handlerBytes: (await stat(handler)).size };
}

export interface BenchS3 {
  s3: LocalS3;
  proxy: CountingProxy;
  close(): Promise<void>;
}

export async function startBenchS3(): Promise<BenchS3> {
  const s3 = await startLocalS3();
  const proxy = await startCountingProxy({ host: '127.0.0.1', port: s3.port });
  return {
    s3,
    proxy,
    async close() {
      await proxy.close();
      await s3.dispose();
    },
  };
}

/** Publishes a bundle folder to `s3://<test bucket>/bench/<name>` with the product's publish code. */
export async function publishForBench(s3: LocalS3, dir: string, name: string): Promise<{ uri: string; ms: number }> {
  const uri = `s3://${TEST_BUCKET}/bench/${name}`;
  const t0 = performance.now();
  try {
    await publishBundle(s3.client, parseS3Uri(uri), await bundleFromFolder(dir));
  } catch (err) {
    // s3rver now and then answers InternalError under a 30k-part publish (1M); parts already stored are skipped.
    process.stderr.write(`[bench] publish failed (${(err as Error).message}); retrying once\n`);
    await publishBundle(s3.client, parseS3Uri(uri), await bundleFromFolder(dir));
  }
  return { uri, ms: performance.now() - t0 };
}

export interface ColdOptions {
  bundle: ColdBundle;
  runs: number;
  /** Query string of the first request. */
  query: string;
  folder: string;
  s3: { uri: string; proxy: CountingProxy } | null;
  timeoutMs: number;
}

/** Alternates S3 and folder runs so machine noise spreads over both. */
export async function runColdStarts(o: ColdOptions): Promise<ColdRun[]> {
  const runs: ColdRun[] = [];
  // NODE_NO_WARNINGS: the AWS SDK warns about Node 20 on every start; the warning is noise here.
  const base = { AWS_LAMBDA_FUNCTION_NAME: 'news-search-bench', NODE_OPTIONS: '', NODE_NO_WARNINGS: '1' };
  for (let i = 0; i < o.runs; i++) {
    if (o.s3) {
      o.s3.proxy.reset();
      const r = await runChild<ColdResult>(o.bundle.child, [o.bundle.handler, FIXTURE, o.query], {
        timeoutMs: o.timeoutMs,
        env: {
          ...base,
          INDEX_URI: o.s3.uri,
          AWS_ENDPOINT_URL_S3: o.s3.proxy.endpoint,
          AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
          AWS_REGION: 'us-east-1',
          AWS_EC2_METADATA_DISABLED: 'true',
        },
      });
      const log = o.s3.proxy.log;
      runs.push({ ...r, source: 's3', bytesRead: log.reduce((n, e) => n + e.bytes, 0), requests: log.length });
    }
    const r = await runChild<ColdResult>(o.bundle.child, [o.bundle.handler, FIXTURE, o.query, o.folder], {
      timeoutMs: o.timeoutMs,
      env: { ...base, INDEX_URI: o.folder },
    });
    runs.push({ ...r, source: 'folder', bytesRead: r.fsBytes, requests: r.fsReads });
  }
  for (const r of runs) if (r.status !== 200) throw new Error(`cold start (${r.source}) answered ${r.status}`);
  return runs;
}
