import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny HTTP proxy in front of s3rver that counts the response bytes each request got, so a cold
 * start's "bytes read from S3" is measured on the wire, whatever the SDK does.
 */
export interface CountingProxy {
  endpoint: string;
  /** Requests since the last reset: method, path (no query), status, body bytes. */
  log: Array<{ method: string; path: string; status: number; bytes: number }>;
  reset(): void;
  close(): Promise<void>;
}

export async function startCountingProxy(upstream: { host: string; port: number }): Promise<CountingProxy> {
  let log: CountingProxy['log'] = [];
  const server: Server = createServer((req, res) => {
    const entry = { method: req.method ?? 'GET', path: (req.url ?? '').split('?')[0] as string, status: 0, bytes: 0 };
    log.push(entry);
    const up = request({ host: upstream.host, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
      entry.status = upRes.statusCode ?? 0;
      res.writeHead(entry.status, upRes.headers);
      upRes.on('data', (chunk: Buffer) => (entry.bytes += chunk.byteLength));
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get log() {
      return log;
    },
    reset() {
      log = [];
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
