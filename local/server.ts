import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { loadIndex } from '../core/search/load-index.ts';
import { createRouter } from '../core/http/router.ts';
import { accessLogLine } from '../core/http/access-log.ts';
import type { SearchIndex } from '../core/search/search-index.ts';
import { folderReader } from '../storage/local-folder.ts';

export interface LocalServerOptions {
  indexDir: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  corsOrigins?: string[];
  /** A prefix the API is also served under, e.g. `/v1` (see `RouterOptions.basePath`). */
  basePath?: string;
  /** Log one JSON line per request to this function (default: none). */
  log?: (line: string) => void;
}

export interface LocalServer {
  url: string;
  index: SearchIndex;
  close(): Promise<void>;
}

// Also right from the compiled CLI: cli/build.mjs bundles this module into dist/, which is one
// folder below the root like local/ (test/cli.test.ts serves the demo page through it).
const WIDGET_DIR = fileURLToPath(new URL('../widget/', import.meta.url));

/** Static files of the widget demo. Fixed table: no path from the request reaches the filesystem. */
const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'demo.html', type: 'text/html; charset=utf-8' },
  '/news-search.js': { file: 'dist/news-search.js', type: 'text/javascript; charset=utf-8' },
};

const PAGE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

/**
 * The API on localhost over a local bundle, plus the widget demo page: the same router as the
 * Lambda, so local and deployed behaviour cannot drift.
 */
export async function startLocalServer(opts: LocalServerOptions): Promise<LocalServer> {
  const index = await loadIndex(folderReader(opts.indexDir));
  const router = createRouter({ getIndex: async () => index, corsOrigins: opts.corsOrigins ?? ['*'], basePath: opts.basePath });

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"internal","message":"Internal error"}}');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const t0 = performance.now();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? '' : url.slice(q + 1);
    const asset = STATIC[path];
    if (asset && (req.method === 'GET' || req.method === 'HEAD')) {
      try {
        const body = await readFile(WIDGET_DIR + asset.file);
        res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-cache', ...PAGE_HEADERS });
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`${asset.file} is missing: run npm run build:widget\n`);
      }
      return;
    }
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const out = await router({ method: req.method ?? 'GET', path, query, headers });
    res.writeHead(out.status, out.headers);
    // Text, or the compressed bytes with their content-encoding header: sent as they are.
    res.end(out.body);
    opts.log?.(accessLogLine(out, { method: req.method, path, ms: performance.now() - t0 }));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 3000, opts.host ?? '127.0.0.1', () => resolve());
  });
  // The URL names what was really bound ('localhost' may have resolved to 127.0.0.1 or ::1).
  const { address, family, port } = server.address() as AddressInfo;
  return {
    url: `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`,
    index,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
