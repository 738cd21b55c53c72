import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readConfig } from '../functions/config.ts';
import { createHandler } from '../functions/search.ts';
import { validateRecord } from '../indexer/validate.ts';
import { buildBundle } from '../indexer/build-bundle.ts';
import { createRouter } from '../core/http/router.ts';
import { LIMITS } from '../core/http/params.ts';
import { SNIPPET_LENGTH } from '../core/search/snippet.ts';
import type { SearchResponse, StoredArticle } from '../core/types.ts';
import { startLocalServer, type LocalServer } from '../local/server.ts';
import { writeBundleToFolder } from '../storage/local-folder.ts';
import { callDeadline, s3SettingsFromEnv } from '../storage/s3-client.ts';
import { article, memoryIndex } from './helpers/memory-index.ts';
import { bodyText } from './helpers/body.ts';

/**
 * Hardening: regexes that cannot be driven into catastrophic backtracking, bounded responses, no
 * internals in error bodies, CORS defaults, security headers on the demo page, and S3 timeouts that
 * fit inside the function's timeout.
 */
type Json = Record<string, unknown>;
const sls = parse(readFileSync(new URL('../serverless.yml', import.meta.url), 'utf8')) as { provider: Json & { environment: Record<string, string>; timeout: number; httpApi: Json } };

describe('regexes on adversarial 100 KB inputs', () => {
  const N = 100_000;
  const INPUTS: Record<string, string> = {
    letters: 'a'.repeat(N),
    spaces: ' '.repeat(N) + '!',
    whitespaceMix: ' \t\n\r\u00a0\u2028'.repeat(N / 6),
    dots: '. '.repeat(N / 2),
    sentences: 'a. '.repeat(N / 3),
    initials: 'A.'.repeat(N / 2),
    longFirstSentence: `${'a'.repeat(20)}.${' '.repeat(N)}a`,
    manyShortSentences: `${'x'.repeat(19)}. `.repeat(N / 21),
    dateHeader: `date${' '.repeat(N)}x`,
    dateWords: 'date '.repeat(N / 5),
    digits: '1'.repeat(N),
    isoDates: '2021-01-01'.repeat(N / 10),
    isoTs: '2021-01-01T'.repeat(N / 11),
    dashes: '-'.repeat(N),
    accents: 'é'.repeat(N),
    combining: 'e\u0301'.repeat(N / 2),
    html: `<&"'`.repeat(N / 4),
    loneSurrogates: '\ud800'.repeat(N),
    emoji: '😀'.repeat(N / 2),
    percent: '%'.repeat(N),
    percentPairs: '%2'.repeat(N / 2),
    ampEquals: '&='.repeat(N / 2),
    names: 'Mr. Smith '.repeat(N / 10),
    apostrophes: "O'".repeat(N / 2),
    acronyms: 'U.S.'.repeat(N / 4),
    hyphens: 'a-'.repeat(N / 2),
    controls: '\u0000\u0001'.repeat(N / 2),
    urlish: `http://${'a.'.repeat(N / 2)}`,
  };
  // Each target runs in a worker with a watchdog: a catastrophic regex blocks its thread, and a
  // worker can be terminated where a blocked test cannot.
  const TARGETS = `
    const text = await import(lib + 'core/text.ts');
    const snippet = await import(lib + 'core/search/snippet.ts');
    const validate = await import(lib + 'indexer/validate.ts');
    const plain = await import(lib + 'indexer/parse-text.ts');
    const params = await import(lib + 'core/http/params.ts');
    const dates = await import(lib + 'core/dates.ts');
    const entities = await import(lib + 'indexer/entities/index.ts');
    const uri = await import(lib + 'storage/uri.ts');
    const attempt = (f) => { try { f(); } catch {} };
    const good = { id: 'x', date: '2024-01-01', body: 'b' };
    return {
      tokenize: (s) => text.tokenize(s),
      wordSpans: (s) => text.wordSpans(s),
      parseQuery: (s) => text.parseQuery(s),
      foldWord: (s) => text.foldWord(s),
      facetKey: (s) => text.facetKey(s),
      escapeHtml: (s) => text.escapeHtml(s),
      snippet: (s) => { const q = text.parseQuery(s.slice(0, 500)); snippet.makeSnippet(s, new snippet.Matcher({ terms: new Set(q.terms), prefix: q.prefix })); },
      snippetOfWord: (s) => snippet.makeSnippet(s, new snippet.Matcher({ terms: new Set(['a', 'e', 'x']), prefix: 'a' })),
      deriveTitle: (s) => validate.deriveTitle(s),
      normalizeDate: (s) => validate.normalizeDate(s),
      validateId: (s) => validate.validateRecord({ ...good, id: s }),
      validateDate: (s) => validate.validateRecord({ ...good, date: s }),
      validateBody: (s) => validate.validateRecord({ ...good, body: s }),
      validateTitle: (s) => validate.validateRecord({ ...good, title: s }),
      validateUrl: (s) => validate.validateRecord({ ...good, url: s }),
      validateLists: (s) => validate.validateRecord({ ...good, people: [s], places: [s, s] }),
      parsePlainText: (s) => plain.parsePlainText(s, 'id'),
      parsePlainTextWithHeader: (s) => plain.parsePlainText('date 2024-01-01 ' + s, 'id'),
      rawQuery: (s) => params.rawQueryFromString(s),
      searchParams: (s) => { for (const k of ['q', 'person', 'from', 'page', 'sort', s.slice(0, 50)]) attempt(() => params.parseSearchParams(new Map([[k, [s]]]))); },
      suggestParams: (s) => attempt(() => params.parseSuggestParams(new Map([['q', [s]]]))),
      parseIsoDate: (s) => dates.parseIsoDate(s),
      canonicalPerson: (s) => entities.canonicalPerson(s),
      canonicalPlace: (s) => entities.canonicalPlace(s),
      s3Uri: (s) => attempt(() => uri.parseIndexUri('s3://bucket/' + s)),
    };`;

  let worker: Worker;
  let names: string[];
  const pending = new Map<number, (r: { ms: number; error?: string }) => void>();
  let seq = 0;

  beforeAll(async () => {
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      (async () => {
        const { register } = await import(workerData.tsx);
        register();
        const lib = workerData.lib;
        const targets = await (async () => { ${TARGETS} })();
        parentPort.on('message', ({ id, fn, input }) => {
          const t0 = performance.now();
          try { targets[fn](input); parentPort.postMessage({ id, ms: performance.now() - t0 }); }
          catch (err) { parentPort.postMessage({ id, ms: performance.now() - t0, error: String(err && err.message) }); }
        });
        parentPort.postMessage({ ready: Object.keys(targets) });
      })().catch((err) => parentPort.postMessage({ failed: String(err && err.stack) }));`;
    worker = new Worker(source, { eval: true, workerData: { tsx: import.meta.resolve('tsx/esm/api'), lib: new URL('../', import.meta.url).href } });
    names = await new Promise<string[]>((resolve, reject) => {
      worker.on('message', (m: { ready?: string[]; failed?: string; id?: number; ms?: number; error?: string }) => {
        if (m.ready) resolve(m.ready);
        else if (m.failed) reject(new Error(m.failed));
        else pending.get(m.id as number)?.({ ms: m.ms as number, ...(m.error ? { error: m.error } : {}) });
      });
      worker.on('error', reject);
    });
  }, 60_000);
  afterAll(async () => {
    await worker?.terminate();
  });

  /** Runs one target on one input; fails (and kills the worker) if it has not finished in 10 s. */
  function run(fn: string, input: string): Promise<{ ms: number; error?: string }> {
    const id = ++seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`${fn} did not finish on a 100 KB input within 10 s: catastrophic backtracking?`));
      }, 10_000);
      pending.set(id, (r) => {
        clearTimeout(timer);
        pending.delete(id);
        resolve(r);
      });
      worker.postMessage({ id, fn, input });
    });
  }

  it('tokenizer, snippets, deriveTitle, validation, plain-text parser, params and names all finish', async () => {
    expect(names.length).toBeGreaterThanOrEqual(20);
    for (const fn of names) await run(fn, 'Warm up: lazy tables (gazetteers, lexicons) load on first use.');
    let slowest = { ms: 0, what: '' };
    let runs = 0;
    for (const fn of names) {
      for (const [kind, input] of Object.entries(INPUTS)) {
        const r = await run(fn, input);
        runs++;
        // Throwing on hostile input is fine for the validators (they are wrapped); other targets must not throw.
        expect(r.error, `${fn}(${kind})`).toBeUndefined();
        if (r.ms > slowest.ms) slowest = { ms: r.ms, what: `${fn}(${kind})` };
      }
    }
    console.log(`hardening: ${runs} runs on 100 KB inputs, slowest ${slowest.what} ${slowest.ms.toFixed(1)} ms`);
  }, 120_000);
});

describe('bounded responses', () => {
  it('a full page of huge articles stays small: snippets, not bodies', async () => {
    // 100 articles of 100 KB each, through validation, so titles are derived the way builds derive them.
    const words = ['oil', 'market', 'Lisbon', 'traders', 'supply', 'harbour', 'council'];
    const articles: StoredArticle[] = Array.from({ length: 100 }, (_, i) => {
      const body = Array.from({ length: 16_000 }, (_, w) => words[(w * (i + 3)) % words.length]).join(' ') + '.';
      const v = validateRecord({ id: `big-${i}`, date: '2024-01-01', body: `${'Headline words without end '.repeat(20)}\n${body}` });
      if (!v.ok) throw new Error(v.reason);
      return { ...v.article, url: null, people: ['Helena Duarte'], locations: ['Lisbon'], about: ['Lisbon'] };
    });
    expect(articles[0]?.body.length).toBeGreaterThan(100_000);
    const { index } = await memoryIndex(articles);
    const router = createRouter({ getIndex: async () => index });
    for (const q of ['q=oil', 'q=oil%20market%20lisbon%20trad', '']) {
      const res = await router({ method: 'GET', path: '/search', query: `${q}&limit=${LIMITS.maxLimit}`, headers: {} });
      expect(res.status).toBe(200);
      const body = JSON.parse(bodyText(res)) as SearchResponse;
      expect(body.hits.length).toBeGreaterThanOrEqual(80); // 14 articles hold only the word oil
      for (const h of body.hits) {
        expect(h.title.length).toBeLessThanOrEqual(201);
        expect(h.snippet.replace(/<\/?mark>/g, '').length).toBeLessThanOrEqual(SNIPPET_LENGTH * 6 + 2); // escaped, plus ellipses
      }
      // The cap SECURITY.md documents for derived titles: 4 KB per hit.
      expect(Buffer.byteLength(res.body)).toBeLessThan(LIMITS.maxLimit * 4096);
    }
  }, 60_000);

  // Parameter names are echoed in errors, cut to 100 characters.
  it('error bodies stay small however long an unknown parameter name', async () => {
    const { index } = await memoryIndex([article({ id: 'a' })]);
    const router = createRouter({ getIndex: async () => index });
    const res = await router({ method: 'GET', path: '/search', query: `${'k'.repeat(10_000)}=1`, headers: {} });
    expect(res.status).toBe(400);
    expect(res.body.length).toBeLessThan(1024);
  });

  it('error bodies stay small however long the offending value', async () => {
    const { index } = await memoryIndex([article({ id: 'a' })]);
    const router = createRouter({ getIndex: async () => index });
    const long = 'x'.repeat(10_000); // API Gateway's limit on the request line is about 10 KB
    const cases: Array<[string, string]> = [['/search', `q=${long}`], ['/search', `person=${long}`], ['/search', `page=${long}`], ['/search', `from=${long}`], ['/articles/' + long, ''], ['/suggest', `q=${long}`]];
    for (const [path, query] of cases) {
      const res = await router({ method: 'GET', path, query, headers: {} });
      expect(res.status).toBe(400);
      expect(res.body.length, `${path}?${query.slice(0, 20)}`).toBeLessThan(1024);
    }
  });
});

describe('no internals in responses', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ns-hard-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('hides stack, message and path of unexpected errors and of malformed events', async () => {
    const secret = new Error(`ENOENT: open '${dir}/node_modules/x.ts'`);
    const router = createRouter({ getIndex: async () => Promise.reject(secret) });
    const res = await router({ method: 'GET', path: '/search', query: 'q=x', headers: {} });
    expect(res.status).toBe(500);
    expect(res.body).toBe('{"error":{"code":"internal","message":"Internal error"}}');

    const lines: string[] = [];
    const handler = createHandler(readConfig({ INDEX_URI: join(dir, 'none') }), { log: (l) => lines.push(l) });
    // A malformed event is the caller's mistake: a 400 naming the field, still without internals.
    const malformed = await handler({} as APIGatewayProxyEventV2);
    expect(malformed.statusCode).toBe(400);
    expect(JSON.parse(malformed.body ?? '')).toEqual({ error: { code: 'invalid_event', message: expect.stringMatching(/^not an HTTP event/), field: 'requestContext' } });
    expect(malformed.body).not.toContain(dir);
    expect(lines.join('\n')).not.toMatch(/\n\s+at /); // logs name the failure without a stack trace either
  });

  it('names what is wrong with an unusable index without saying where it lives', async () => {
    const ix = join(dir, 'ix');
    const handler = createHandler(readConfig({ INDEX_URI: ix }), { log: () => {} });
    const event = JSON.parse(readFileSync(new URL('./fixtures/events/health.json', import.meta.url), 'utf8')) as APIGatewayProxyEventV2;
    const bodies: string[] = [];
    bodies.push((await handler(event)).body ?? ''); // no folder at all
    const bundle = await buildBundle([article({ id: 'a' })]);
    const files = new Map(bundle.files);
    const meta = bundle.manifest.parts.find((p) => p.role === 'meta');
    if (!meta) throw new Error('the bundle has no meta part');
    files.set(meta.name, new Uint8Array(10));
    await writeBundleToFolder(ix, files);
    bodies.push((await handler(event)).body ?? ''); // a damaged part
    files.set('manifest.json', new TextEncoder().encode('{"format":"news-search-index","formatVersion":99}'));
    await writeBundleToFolder(ix, files);
    bodies.push((await handler(event)).body ?? ''); // a format from the future
    for (const b of bodies) {
      expect(JSON.parse(b).error.code).toBe('index_unavailable');
      expect(b).not.toContain(dir);
      expect(b).not.toMatch(/\/tmp|node_modules|\n\s+at /);
    }
    expect(bodies.map((b) => JSON.parse(b).error.message)).toEqual([
      expect.stringMatching(/^no index in the configured folder/),
      expect.stringMatching(/meta\.json\.gz/),
      expect.stringMatching(/format version 99/),
    ]);
  });
});

describe('CORS', () => {
  it('allows any origin by default, and only the configured ones when set', async () => {
    const { index } = await memoryIndex([article({ id: 'a' })]);
    const req = (origin?: string) => ({ method: 'GET', path: '/health', query: '', headers: origin ? { origin } : {} });
    const open = createRouter({ getIndex: async () => index });
    expect((await open(req('https://any.example'))).headers['access-control-allow-origin']).toBe('*');
    expect(readConfig({ INDEX_URI: '/x' }).corsOrigins).toEqual(['*']);

    const origins = readConfig({ INDEX_URI: '/x', CORS_ORIGINS: 'https://news.example, https://www.news.example' }).corsOrigins;
    const closed = createRouter({ getIndex: async () => index, corsOrigins: origins });
    const ok = (await closed(req('https://www.news.example'))).headers;
    expect(ok['access-control-allow-origin']).toBe('https://www.news.example');
    expect(ok['vary']).toBe('origin');
    expect(ok['access-control-allow-methods']).toBe('GET, OPTIONS');
    const denied = (await closed(req('https://evil.example'))).headers;
    expect(denied['access-control-allow-origin']).toBeUndefined();
    expect(denied['access-control-allow-methods']).toBeUndefined();
  });

  it('is configured once for the deployment: by the function, from the corsOrigin parameter (test/cors-config.test.ts)', () => {
    expect((sls.provider.httpApi as Json | undefined)?.['cors']).toBeUndefined();
    expect(sls.provider.environment['CORS_ORIGINS']).toBe('${param:corsOrigin}');
    for (const doc of ['README.md', 'SECURITY.md']) expect(readFileSync(new URL(`../${doc}`, import.meta.url), 'utf8'), doc).toMatch(/CORS_ORIGINS/);
  });
});

describe('timeouts', () => {
  it('bounds one S3 call, retries included, well inside the function timeout', () => {
    const env = sls.provider.environment;
    const s = s3SettingsFromEnv(env);
    const deadlineMs = (s.connectTimeoutMs + s.requestTimeoutMs) * s.maxAttempts + 500 * (s.maxAttempts - 1);
    expect(callDeadline(s).aborted).toBe(false);
    // A cold start makes up to three S3 calls in a row (pointer, manifest, parts): one stuck call
    // must turn into a 503 with time to spare, not a Lambda timeout with API Gateway's bare 500.
    expect(deadlineMs, `S3 deadline ${deadlineMs} ms vs function timeout ${sls.provider.timeout} s`).toBeLessThanOrEqual((sls.provider.timeout * 1000) / 2);
  });
});

/** One request, without keep-alive, reporting which address and family answered. */
function get(base: string, path: string): Promise<{ status: number; body: string; remoteAddress?: string; family?: string }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port, path: url.pathname + url.search, method: 'GET', agent: false, timeout: 5000 }, (res) => {
      const { remoteAddress, remoteFamily: family } = res.socket;
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, remoteAddress, family }));
    });
    req.on('timeout', () => req.destroy(new Error(`${url.href} did not answer within 5 s`)));
    req.on('error', reject);
    req.end();
  });
}

const hasIpv6Loopback = () => Object.values(networkInterfaces()).some((list) => list?.some((a) => a.internal && a.address === '::1'));

describe('the local server', () => {
  let server: LocalServer;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ns-hard-srv-'));
    await writeBundleToFolder(join(dir, 'ix'), (await buildBundle([article({ id: 'a', body: 'Lisbon tram' })])).files);
    server = await startLocalServer({ indexDir: join(dir, 'ix'), port: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('listens on loopback only by default, and its URL answers', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await get(server.url, '/health');
    expect(health.status).toBe(200);
    expect(health.remoteAddress).toBe('127.0.0.1');
    // Bound to 127.0.0.1 itself, not to every interface: another loopback address gets no answer
    // (on Linux all of 127/8 reaches lo, so a wildcard bind would answer here).
    const other = await get(`http://127.0.0.2:${new URL(server.url).port}`, '/health').catch((err: NodeJS.ErrnoException) => err);
    expect(other).toBeInstanceOf(Error);
  });

  it('builds its URL from the address it bound, not from the host name it was given', async () => {
    const named = await startLocalServer({ indexDir: join(dir, 'ix'), port: 0, host: 'localhost' });
    try {
      // 'localhost' resolves to 127.0.0.1 or ::1; the URL names the one that was bound, and answers.
      expect(named.url).toMatch(/^http:\/\/(127\.0\.0\.1|\[::1\]):\d+$/);
      const res = await get(named.url, '/health');
      expect(res.status).toBe(200);
      expect(res.remoteAddress).toBe(new URL(named.url).hostname.replace(/^\[|\]$/g, ''));
    } finally {
      await named.close();
    }
  });

  it.runIf(hasIpv6Loopback())('brackets an IPv6 address in its URL', async () => {
    const v6 = await startLocalServer({ indexDir: join(dir, 'ix'), port: 0, host: '::1' });
    try {
      expect(v6.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
      const res = await get(v6.url, '/health');
      expect(res.status).toBe(200);
      expect(res.family).toBe('IPv6');
    } finally {
      await v6.close();
    }
  });

  it('serves the demo page with a strict CSP and anti-framing, sniffing and referrer headers', async () => {
    for (const method of ['GET', 'HEAD']) {
      const res = await fetch(`${server.url}/`, { method });
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      for (const d of ["default-src 'none'", "script-src 'self'", "connect-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"]) expect(csp).toContain(d);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
    const api = await fetch(`${server.url}/search?q=tram`);
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('never maps a request path to the filesystem', async () => {
    for (const path of ['/../../../../etc/passwd', '/..%2F..%2Fpackage.json', '/demo.html', '/widget/demo.html', '//etc/passwd']) {
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const url = new URL(server.url);
        const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(status, path).toBe(404);
      expect(JSON.parse(body).error.code).toBe('not_found');
    }
  });
});
