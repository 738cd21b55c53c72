import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy on 127.0.0.1 in front of s3rver that enforces conditional writes the way S3 does.
 * s3rver 3.7.1 ignores `If-Match` / `If-None-Match` on PutObject (every such PUT succeeds), so a
 * compare-and-swap against it proves nothing. Here a PUT carrying either header is checked, under a
 * per-key mutex (S3 serializes conditional writes to one key), against a HEAD of the key upstream:
 *  - `If-None-Match: *` and the object exists → 412 PreconditionFailed;
 *  - `If-Match: <etag>` (or `*`) and the object is missing, or its ETag differs → 412 PreconditionFailed;
 *  - otherwise the PUT is forwarded, still inside the mutex, so the next conditional PUT to the key
 *    sees its result.
 * Everything else is forwarded unchanged (path-style keys, streaming bodies both ways). Requests are
 * counted per method and key.
 */
export interface CasProxy {
  endpoint: string;
  /** Every request seen, in arrival order (`status` once answered). */
  seen: Array<{ method: string; key: string; conditional: boolean; status?: number }>;
  /** Requests with this method (and key, when given). */
  count(method: string, key?: string | ((key: string) => boolean)): number;
  /** Conditional PUTs refused with 412. */
  refused: number;
  /** Conditional PUTs let through. */
  allowed: number;
  /** Forgets what was seen and the counters. */
  reset(): void;
  close(): Promise<void>;
}

export const preconditionFailedXml = (key: string, condition: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message>` +
  `<Condition>${condition}</Condition><Resource>${key}</Resource><RequestId>CASPROXY0001</RequestId><HostId>cas-proxy</HostId></Error>`;

/** ETags compare without quotes or a weak prefix. */
const bareEtag = (e: string) => e.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');

const header = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v.join(', ') : v;
};

/** A per-key FIFO mutex: `run` waits for earlier holders of the key, then runs `f`. */
function keyedMutex() {
  const tails = new Map<string, Promise<void>>();
  return async function run<T>(key: string, f: () => Promise<T>): Promise<T> {
    const before = tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((ok) => (release = ok));
    const tail = before.then(() => mine);
    tails.set(key, tail);
    await before;
    try {
      return await f();
    } finally {
      release();
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

export async function startCasProxy(upstreamPort: number, bucket: string): Promise<CasProxy> {
  const lock = keyedMutex();
  const proxy: CasProxy = {
    endpoint: '',
    seen: [],
    refused: 0,
    allowed: 0,
    count(method, key) {
      const match = typeof key === 'function' ? key : (k: string) => key === undefined || k === key;
      return proxy.seen.filter((s) => s.method === method && match(s.key)).length;
    },
    reset() {
      proxy.seen = [];
      proxy.refused = 0;
      proxy.allowed = 0;
    },
    close: async () => {},
  };

  /** Status and ETag of the key upstream (unsigned: s3rver lets anonymous requests through). */
  const head = (path: string) =>
    new Promise<{ status: number; etag: string | undefined }>((ok, fail) => {
      const r = request({ host: '127.0.0.1', port: upstreamPort, method: 'HEAD', path }, (res) => {
        res.resume();
        res.on('end', () => ok({ status: res.statusCode ?? 0, etag: header(res.headers, 'etag') }));
      });
      r.on('error', fail);
      r.end();
    });

  /** Forwards the request; resolves once the upstream answer has been passed on completely (or failed). */
  const forward = (req: IncomingMessage, res: ServerResponse, note: { status?: number }) =>
    new Promise<void>((done) => {
      const up = request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
        note.status = upRes.statusCode ?? 502;
        res.writeHead(note.status, upRes.headers);
        upRes.pipe(res);
        upRes.on('end', () => done());
        upRes.on('error', () => done());
        res.on('close', () => done());
      });
      up.on('error', () => {
        res.destroy();
        done();
      });
      req.pipe(up);
    });

  const refuse = (req: IncomingMessage, res: ServerResponse, key: string, condition: string, note: { status?: number }) => {
    proxy.refused++;
    note.status = 412;
    req.resume(); // drain the body the client is sending
    const body = preconditionFailedXml(`/${bucket}/${key}`, condition);
    res.writeHead(412, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), 'x-amz-request-id': 'CASPROXY0001' });
    res.end(body);
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] as string;
    const key = decodeURIComponent(path).replace(`/${bucket}/`, '');
    const ifMatch = header(req.headers, 'if-match');
    const ifNoneMatch = header(req.headers, 'if-none-match');
    const conditional = method === 'PUT' && (ifMatch !== undefined || ifNoneMatch !== undefined);
    const note: { method: string; key: string; conditional: boolean; status?: number } = { method, key, conditional };
    proxy.seen.push(note);
    if (!conditional) return void forward(req, res, note);
    // Hold the body (unread) while the condition is checked; S3 checks, then stores, atomically per key.
    req.pause();
    void lock(`${bucket}/${key}`, async () => {
      let current: { status: number; etag: string | undefined };
      try {
        current = await head(path);
      } catch {
        req.resume();
        res.writeHead(502).end();
        return;
      }
      const exists = current.status === 200;
      if (current.status !== 200 && current.status !== 404) {
        req.resume();
        res.writeHead(502).end();
        return;
      }
      if (ifNoneMatch !== undefined) {
        // S3 supports only `*` here: "create if absent".
        if (ifNoneMatch.trim() !== '*') {
          req.resume();
          res.writeHead(501, { 'content-type': 'application/xml' }).end('<Error><Code>NotImplemented</Code></Error>');
          return;
        }
        if (exists) return refuse(req, res, key, 'If-None-Match', note);
      }
      if (ifMatch !== undefined) {
        if (!exists) return refuse(req, res, key, 'If-Match', note);
        const wanted = ifMatch.split(',').map(bareEtag);
        if (!wanted.includes('*') && !wanted.includes(bareEtag(current.etag ?? ''))) return refuse(req, res, key, 'If-Match', note);
      }
      proxy.allowed++;
      await forward(req, res, note);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    });
  return proxy;
}
