import { IndexFormatError, IndexUnavailableError, NewsSearchError } from '../errors.ts';
import type { ErrorBody } from '../types.ts';
import type { ApiResponse } from './types.ts';

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'x-content-type-options': 'nosniff',
};

export function json(status: number, value: unknown, route: string, extra: Record<string, string> = {}): ApiResponse {
  return { status, headers: { ...JSON_HEADERS, ...extra }, body: JSON.stringify(value), log: { route } };
}

/** 304: the client's copy (If-None-Match) is current. No body; the 200's ETag and Cache-Control (RFC 9110 §15.4.5). */
export function notModified(route: string, headers: { etag: string; 'cache-control': string }): ApiResponse {
  return { status: 304, headers: { ...headers }, body: '', log: { route } };
}

/**
 * The one place an error becomes an HTTP response. Known errors keep their status, code and field
 * (400 bad parameters, 404, 405, 409 `index_changed` for a cursor of another index version, 503);
 * anything else is a 500 whose body says nothing about internals (no message, stack or path).
 * Errors are never cached (`no-store`): a CDN must not keep a 503 or a 409 past the moment.
 */
export function toErrorResponse(thrown: unknown, route: string): ApiResponse {
  // A part that fails its checksum mid-request (a lazily read article chunk) means the index is
  // damaged, not that the server is broken: 503 so clients retry after a republish.
  const err = thrown instanceof IndexFormatError ? new IndexUnavailableError(`index is damaged: ${thrown.message}`) : thrown;
  if (err instanceof NewsSearchError) {
    const body: ErrorBody = {
      error: {
        code: err.code,
        message: err.expose ? err.message : 'Internal error',
        ...('field' in err && typeof err.field === 'string' ? { field: err.field } : {}),
      },
    };
    const extra: Record<string, string> = { 'cache-control': 'no-store' };
    if (err.status === 503) extra['retry-after'] = '1';
    if ('allowed' in err && Array.isArray(err.allowed)) extra['allow'] = err.allowed.join(', ');
    const res = json(err.status, body, route, extra);
    res.log.errorCode = err.code;
    return res;
  }
  const res = json(500, { error: { code: 'internal', message: 'Internal error' } }, route, { 'cache-control': 'no-store' });
  res.log.errorCode = 'internal';
  return res;
}
