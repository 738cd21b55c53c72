import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../bin/news-search.mjs');

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { timeout: 120_000 });
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
  build = await cli(['build', 'examples/articles', join(dir, 'extra.ndjson'), '--out', ix, '--quiet', '--workers', '2']);
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
});
