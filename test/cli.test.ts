import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY, DIST, isFresh } from '../cli/build.mjs';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../bin/news-search.mjs');

/**
 * A module for `node --import` that reports on stderr which file every worker thread runs, so the
 * build below shows whether entity extraction ran compiled (dist/enrich-worker.mjs) or from source.
 */
const WORKER_SPY = `data:text/javascript,${encodeURIComponent(`
  import wt from 'node:worker_threads';
  import { syncBuiltinESMExports } from 'node:module';
  const W = wt.Worker;
  wt.Worker = class extends W { constructor(file, o) { process.stderr.write('worker file: ' + file + '\\n'); super(file, o); } };
  syncBuiltinESMExports();
`)}`;

async function cli(args: string[], nodeArgs: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...nodeArgs, BIN, ...args], { timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;
let ix: string;
let build: { code: number; stdout: string; stderr: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ns-cli-'));
  ix = join(dir, 'ix');
  // The sample plus a file with one good and three bad records, one of them a duplicate id.
  await writeFile(
    join(dir, 'extra.ndjson'),
    [
      '{"id":"extra-1","date":"2024-02-02","title":"Extra story","body":"Mayor Helena Duarte opened a library in Lisbon."}',
      '{"id":"extra-1","date":"2024-02-03","body":"duplicate"}',
      '{"id":"extra-3","date":"2024-02-30","body":"bad date"}',
      '{"id":"extra-4","date":"2024-02-04","body":""}',
    ].join('\n'),
  );
  build = await cli(['build', 'examples/articles', join(dir, 'extra.ndjson'), '--out', ix, '--quiet', '--workers', '2'], ['--import', WORKER_SPY]);
}, 180_000);

describe('news-search CLI', () => {
  it('build reports read = indexed + rejected and names the file and record of each rejection', () => {
    expect(build.code).toBe(0);
    const m = /read (\d+) = indexed (\d+) \+ rejected (\d+)/.exec(build.stderr);
    expect(m).not.toBeNull();
    const [read, indexed, rejected] = m!.slice(1).map(Number) as [number, number, number];
    expect(read).toBe(indexed + rejected);
    expect(rejected).toBe(3);
    expect(build.stderr).toContain('extra.ndjson line 2: duplicate id "extra-1" (first seen in');
    expect(build.stderr).toContain('extra.ndjson line 3: bad date "2024-02-30"');
    expect(build.stderr).toContain('extra.ndjson line 4: empty body');
  });

  it('query prints hits and facets, or the full response with --json', async () => {
    const text = await cli(['query', 'library', '--index', ix]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Extra story');
    const json = await cli(['query', 'lisbon', '--index', ix, '--location', 'Lisbon', '--from', '2023-01-01', '--json']);
    const res = JSON.parse(json.stdout);
    expect(res.total).toBeGreaterThan(1);
    for (const h of res.hits) {
      expect(h.locations).toContain('Lisbon');
      expect(h.snippet).toMatch(/<mark>Lisbon<\/mark>/i);
    }
    expect(res.facets.location[0]).toEqual({ value: 'Lisbon', count: res.total });
  });

  it('rejects bad options with a message naming the field', async () => {
    const bad = await cli(['query', 'x', '--index', ix, '--from', '2021-13-01']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('from must be a real calendar date');
    const missing = await cli(['build', join(dir, 'nope'), '--out', join(dir, 'o')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope: no such file or folder');
    const noIndex = await cli(['query', 'x', '--index', join(dir, 'none')]);
    expect(noIndex.code).toBe(2);
    expect(noIndex.stderr).toContain('manifest.json is missing');
  });

  it('--help lists the commands', async () => {
    const help = await cli(['--help']);
    for (const c of ['build', 'serve', 'query']) expect(help.stdout).toContain(c);
  });

  it('serve answers the API and the demo page (widget files found from the compiled CLI too)', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--index', ix, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      const base = await new Promise<string>((resolve, reject) => {
        let err = '';
        child.stderr.on('data', (d: Buffer) => {
          err += d.toString();
          const m = /serving (http:\/\/\S+?)\/ /.exec(err);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
      });
      const res = await fetch(`${base}/search?q=lisbon`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { total: number }).total).toBeGreaterThan(1);
      const page = await fetch(`${base}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
    } finally {
      child.kill();
    }
  });
});

describe('the compiled CLI (cli/build.mjs)', () => {
  it('is what bin/news-search.mjs ran, entity extraction workers included', () => {
    // The first run builds dist/ when it is missing or stale; if the sources do not bundle, the CLI
    // runs from source with a warning, and this test fails on it.
    expect(build.stderr).not.toContain('could not compile the CLI');
    expect(existsSync(CLI_ENTRY)).toBe(true);
    const workers = [...build.stderr.matchAll(/^worker file: (.*)$/gm)].map((m) => m[1]);
    expect(workers).toEqual([pathToFileURL(join(DIST, 'enrich-worker.mjs')).href, pathToFileURL(join(DIST, 'enrich-worker.mjs')).href]);
  });

  it('is stale once an input is newer than the build or gone, an output is missing, or the stamp is missing or unreadable', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ns-stamp-'));
    await writeFile(join(root, 'a.ts'), '');
    await writeFile(join(root, 'cli.mjs'), '');
    const stamp = join(root, 'build.json');
    const write = (startedAt: number, inputs = ['a.ts'], outputs = ['cli.mjs']) => writeFile(stamp, JSON.stringify({ startedAt, inputs, outputs }));
    const now = Date.now();
    await utimes(join(root, 'a.ts'), new Date(now - 60_000), new Date(now - 60_000));
    await write(now);
    expect(isFresh(stamp, root)).toBe(true);
    await write(now, ['a.ts'], ['cli.mjs', 'chunk-gone.mjs']);
    expect(isFresh(stamp, root)).toBe(false);
    await utimes(join(root, 'a.ts'), new Date(now + 1000), new Date(now + 1000));
    await write(now);
    expect(isFresh(stamp, root)).toBe(false);
    await write(now + 2000);
    expect(isFresh(stamp, root)).toBe(true);
    await write(now + 2000, ['a.ts', 'gone.ts']);
    expect(isFresh(stamp, root)).toBe(false);
    expect(isFresh(join(root, 'none.json'), root)).toBe(false);
    await writeFile(stamp, '{');
    expect(isFresh(stamp, root)).toBe(false);
  });
});
