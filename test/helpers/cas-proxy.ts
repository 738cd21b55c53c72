import { createHash } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy on 127.0.0.1 in front of s3rver that enforces conditional writes the way S3 does.
 * s3rver 3.7.1 ignores `If-Match` / `If-None-Match` on PutObject (every such PUT succeeds), so a
 * compare-and-swap against it proves nothing. Here a PUT carrying either header is checked, under the
 * key's write lock (S3 serializes conditional writes to one key), against a HEAD of the key upstream:
 *  - `If-None-Match: *` and the object exists → 412 PreconditionFailed;
 *  - `If-Match: <etag>` (or `*`) and the object is missing, or its ETag differs → 412 PreconditionFailed;
 *  - otherwise the PUT is forwarded, still inside the lock, so the next conditional PUT to the key
 *    sees its result.
 * S3 also replaces objects atomically and reads after writes consistently, which s3rver does not:
 * object PUTs and GET/HEADs take a per-key read/write lock (see `keyedLock`), and a PUT is answered
 * only once the object reads back with its ETag (`settled`). Everything is forwarded unchanged
 * (path-style keys, streaming bodies both ways). Requests are counted per method and key.
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

/**
 * A per-key FIFO read/write lock: a write runs alone, reads run together. S3 replaces an object
 * atomically (a GET sees the old object or the new one, whole) and serializes conditional writes
 * to one key; s3rver writes the file in place (a GET racing a PUT can read it truncated), so every
 * object PUT holds the key's write lock and every object GET/HEAD a read lock until it has been
 * answered in full.
 */
function keyedLock() {
  interface Waiter {
    write: boolean;
    go: () => void;
  }
  const keys = new Map<string, { readers: number; writing: boolean; queue: Waiter[] }>();
  const pump = (key: string) => {
    const k = keys.get(key);
    if (!k) return;
    while (k.queue.length > 0 && !k.writing) {
      const head = k.queue[0] as Waiter;
      if (head.write && k.readers > 0) break;
      k.queue.shift();
      if (head.write) k.writing = true;
      else k.readers++;
      head.go();
    }
    if (k.queue.length === 0 && k.readers === 0 && !k.writing) keys.delete(key);
  };
  return async function hold<T>(key: string, write: boolean, f: () => Promise<T>): Promise<T> {
    let k = keys.get(key);
    if (!k) keys.set(key, (k = { readers: 0, writing: false, queue: [] }));
    const entry = k;
    await new Promise<void>((go) => {
      entry.queue.push({ write, go });
      pump(key);
    });
    try {
      return await f();
    } finally {
      if (write) entry.writing = false;
      else entry.readers--;
      pump(key);
    }
  };
}

export async function startCasProxy(upstreamPort: number, bucket: string): Promise<CasProxy> {
  const lock = keyedLock();
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

  /** The object's bytes upstream, or null when missing. */
  const getBody = (path: string) =>
    new Promise<Buffer | null>((ok, fail) => {
      const r = request({ host: '127.0.0.1', port: upstreamPort, method: 'GET', path }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => ok(res.statusCode === 200 ? Buffer.concat(chunks) : null));
        res.on('error', fail);
      });
      r.on('error', fail);
      r.end();
    });

  /**
   * Waits until a GET of the key returns the bytes whose MD5 is `etag`. s3rver answers a PUT before
   * its file is completely written, so without this a GET right after a PUT can read it truncated;
   * S3 is strongly read-after-write consistent.
   */
  const settled = async (path: string, etag: string) => {
    for (let i = 0; i < 200; i++) {
      const b = await getBody(path).catch(() => null);
      if (b && createHash('md5').update(b).digest('hex') === etag) return;
      await new Promise((r) => setTimeout(r, 2));
    }
    throw new Error(`${path} did not settle to ETag ${etag}`);
  };

  /** Forwards the request; resolves once the upstream answer has been passed on completely (or failed). */
  const forward = (req: IncomingMessage, res: ServerResponse, note: { status?: number }, path: string, verify = false) =>
    new Promise<void>((done) => {
      res.on('close', () => done());
      const up = request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
        note.status = upRes.statusCode ?? 502;
        const etag = bareEtag(header(upRes.headers, 'etag') ?? '');
        if (!verify || note.status !== 200 || !/^[0-9a-f]{32}$/.test(etag)) {
          res.writeHead(note.status, upRes.headers);
          upRes.pipe(res);
          upRes.on('end', () => done());
          upRes.on('error', () => done());
          return;
        }
        // A stored object: answer only once it reads back whole (inside the key's write lock).
        const chunks: Buffer[] = [];
        upRes.on('data', (c: Buffer) => chunks.push(c));
        upRes.on('end', () => {
          settled(path, etag).then(
            () => {
              res.writeHead(note.status as number, upRes.headers);
              res.end(Buffer.concat(chunks));
            },
            () => res.destroy(),
          );
        });
        upRes.on('error', () => done());
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

  /** The condition a conditional PUT states, checked against the key's current ETag; null when it holds. */
  const failedCondition = async (req: IncomingMessage, path: string): Promise<'If-Match' | 'If-None-Match' | 'unsupported' | null> => {
    const ifMatch = header(req.headers, 'if-match');
    const ifNoneMatch = header(req.headers, 'if-none-match');
    const current = await head(path);
    if (current.status !== 200 && current.status !== 404) throw new Error(`HEAD ${path} answered ${current.status}`);
    const exists = current.status === 200;
    if (ifNoneMatch !== undefined) {
      // S3 supports only `*` here: "create only if absent".
      if (ifNoneMatch.trim() !== '*') return 'unsupported';
      if (exists) return 'If-None-Match';
    }
    if (ifMatch !== undefined) {
      if (!exists) return 'If-Match';
      const wanted = ifMatch.split(',').map(bareEtag);
      if (!wanted.includes('*') && !wanted.includes(bareEtag(current.etag ?? ''))) return 'If-Match';
    }
    return null;
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const [path, query = ''] = (req.url ?? '/').split('?') as [string, string?];
    const key = decodeURIComponent(path).replace(`/${bucket}/`, '');
    const conditional = method === 'PUT' && (req.headers['if-match'] !== undefined || req.headers['if-none-match'] !== undefined);
    const note: CasProxy['seen'][number] = { method, key, conditional };
    proxy.seen.push(note);
    // Object reads and writes (not listings, batch deletes or multipart pieces) take the key's lock.
    const isObject = path.startsWith(`/${bucket}/`) && key !== '' && !/(^|&)(uploadId|uploads|partNumber)=?/.test(query);
    if (!isObject || !['GET', 'HEAD', 'PUT'].includes(method)) return void forward(req, res, note, path);
    // A write's body stays unread while it waits for the lock and its condition is checked.
    if (method === 'PUT') req.pause();
    void lock(`${bucket}/${key}`, method === 'PUT', async () => {
      if (conditional) {
        let failed: Awaited<ReturnType<typeof failedCondition>>;
        try {
          failed = await failedCondition(req, path);
        } catch {
          req.resume();
          res.writeHead(502).end();
          return;
        }
        if (failed === 'unsupported') {
          req.resume();
          res.writeHead(501, { 'content-type': 'application/xml' }).end('<Error><Code>NotImplemented</Code><Message>If-None-Match supports only *</Message></Error>');
          return;
        }
        if (failed) return refuse(req, res, key, failed, note);
        proxy.allowed++;
      }
      await forward(req, res, note, path, method === 'PUT');
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
