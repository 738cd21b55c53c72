import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/** A router `ApiResponse` or any Lambda HTTP result (API Gateway v1/v2, Function URL, ALB). */
export interface HasBody {
  body?: string | Uint8Array | null;
  isBase64Encoded?: boolean;
  headers?: Record<string, unknown> | null;
  multiValueHeaders?: Record<string, unknown[]> | null;
}

/** A response header, whatever the case of its name and whether it came single- or multi-valued. */
export function headerOf(res: HasBody, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(res.headers ?? {})) if (k.toLowerCase() === want && v != null) return String(v);
  for (const [k, v] of Object.entries(res.multiValueHeaders ?? {})) if (k.toLowerCase() === want && v.length) return v.map(String).join(', ');
  return undefined;
}

/** The body's bytes as the client receives them: base64 decoded, then `content-encoding` undone. */
export function bodyBytes(res: HasBody): Uint8Array {
  const raw = res.body ?? '';
  let bytes: Uint8Array = typeof raw === 'string' ? (res.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8')) : raw;
  const encoding = headerOf(res, 'content-encoding')?.trim().toLowerCase();
  if (encoding === 'gzip') bytes = gunzipSync(bytes);
  else if (encoding === 'br') bytes = brotliDecompressSync(bytes);
  else if (encoding === 'deflate') bytes = inflateSync(bytes);
  else if (encoding && encoding !== 'identity') throw new Error(`bodyText: unknown content-encoding ${encoding}`);
  return bytes;
}

/** The body as text, for tests that read JSON: works for plain, base64 and compressed bodies alike. */
export function bodyText(res: HasBody): string {
  return new TextDecoder().decode(bodyBytes(res));
}

/** The body parsed as JSON. */
export function bodyJson<T = unknown>(res: HasBody): T {
  return JSON.parse(bodyText(res)) as T;
}
