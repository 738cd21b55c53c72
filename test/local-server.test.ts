import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../indexer/build-bundle.ts';
import { startLocalServer, type LocalServer } from '../local/server.ts';
import { writeBundleToFolder } from '../storage/local-folder.ts';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { article } from './helpers/memory-index.ts';

let server: LocalServer;
const logs: string[] = [];

beforeAll(async () => {
  const dir = join(await mkdtemp(join(tmpdir(), 'ns-local-')), 'ix');
  const { files } = await buildBundle([
    article({ id: 'x1', date: '2024-04-01', title: 'Tram line opens', body: 'The new tram line in Lisbon opened on Monday.', people: ['Helena Duarte'], locations: ['Lisbon', 'Portugal'] }),
    article({ id: 'x2', date: '2024-05-01', title: 'Port reopens', body: 'Hamburg port reopened after the storm.', locations: ['Hamburg', 'Germany'] }),
  ]);
  await writeBundleToFolder(dir, files);
  server = await startLocalServer({ indexDir: dir, port: 0, log: (l) => logs.push(l) });
});
afterAll(() => server?.close());

describe('local server over real HTTP', () => {
  it('serves search with repeated parameters', async () => {
    const res = await fetch(`${server.url}/search?q=tram&location=Lisbon&location=Portugal`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = await res.json();
    expect(body.total).toBe(1);
    expect(body.hits[0].snippet).toContain('<mark>tram</mark>');
  });

  it('answers bad input with a JSON 400 naming the field', async () => {
    const res = await fetch(`${server.url}/search?limit=0`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'invalid_parameter', message: 'limit must be a whole number from 1 to 100', field: 'limit' } });
  });

  it('logs one JSON line per request with route, status and index version', async () => {
    await fetch(`${server.url}/health`);
    const line = JSON.parse(logs[logs.length - 1] as string);
    expect(line).toMatchObject({ method: 'GET', path: '/health', status: 200, route: '/health', indexVersion: server.index.manifest.indexVersion });
    expect(typeof line.ms).toBe('number');
  });

  it('serves the demo page with security headers', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(await res.text()).toContain('<news-search');
  });
});
