import { BadRequestError } from '../../core/errors.ts';
import type { ApiRequest, ApiResponse } from '../../core/http/types.ts';

/** Where an invocation came from; each answers in its own response shape. */
export type EventSource = 'http-api' | 'function-url' | 'rest-api' | 'alb';

/** One event source: reads its event into the router's request and writes the answer back. */
export interface SourceAdapter<E, R> {
  source: EventSource;
  /** Throws `InvalidEventError` naming the missing or malformed field. */
  toRequest(event: E): ApiRequest;
  /** Works on any event of this source, even one `toRequest` refused (for the 400 answer). */
  toResult(res: ApiResponse, event: E): R;
}

/**
 * The invocation is not an HTTP event this function understands, or lacks a field it needs. A 400
 * (not a 500): whoever invoked the function sent the wrong thing, and the message and `field` say what.
 */
export class InvalidEventError extends BadRequestError {
  constructor(
    message: string,
    field: string,
    readonly source?: EventSource,
  ) {
    super('invalid_event', message, field);
    this.name = 'InvalidEventError';
  }
}

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A required string field, or an `InvalidEventError` naming it. */
export function requireString(obj: Json, key: string, path: string, what: string, source: EventSource): string {
  const v = obj[key];
  if (typeof v !== 'string' || v === '') throw new InvalidEventError(`${what} event without ${path}`, path, source);
  return v;
}

/** An optional map field: absent or null is fine, anything but an object is malformed. */
export function optionalMap(obj: Json, key: string, what: string, source: EventSource): Json | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new InvalidEventError(`${what} event whose ${key} is not an object`, key, source);
  return v;
}

/** Header names lower-cased; repeated values joined with ", " (RFC 9110), multi-value maps first. */
export function lowerCaseHeaders(single: Json | undefined, multi: Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(single ?? {})) if (typeof v === 'string') out[k.toLowerCase()] = v;
  for (const [k, v] of Object.entries(multi ?? {})) {
    if (Array.isArray(v)) out[k.toLowerCase()] = v.filter((x) => typeof x === 'string').join(', ');
  }
  return out;
}

/**
 * A query string from a parameter map. `encoded` says whether the values arrive still
 * percent-encoded (ALB passes them as the client sent them) or decoded (API Gateway, whose
 * values are encoded back here, so `Belém`, `a&b` and `+` survive the round trip). Multi-value maps
 * keep every repeat (`person=A&person=B`); a single-value map has one value per name.
 */
export function queryFromMaps(single: Json | undefined, multi: Json | undefined, encoded: boolean): string {
  const enc = encoded ? (s: string) => s : encodeURIComponent;
  const parts: string[] = [];
  // The multi-value map when it has anything (API Gateway sends both maps; ALB one, per its mode).
  if (multi && Object.keys(multi).length > 0) {
    for (const [k, vs] of Object.entries(multi)) {
      for (const v of Array.isArray(vs) ? vs : [vs]) if (typeof v === 'string') parts.push(`${enc(k)}=${enc(v)}`);
    }
    return parts.join('&');
  }
  for (const [k, v] of Object.entries(single ?? {})) if (typeof v === 'string') parts.push(`${enc(k)}=${enc(v)}`);
  return parts.join('&');
}

/**
 * A path safe to hand to the router, which expects it percent-encoded: most sources pass it as
 * sent, HTTP APIs decoded (`rawPath` is not raw). Only what can never stand literally in an encoded path
 * (spaces, `?`, `#`, non-ASCII, controls, a `%` not starting an escape) is encoded, so an encoded
 * path passes unchanged and a decoded one becomes a valid encoded path.
 */
export function encodedPath(path: string): string {
  return path.replace(/%(?![0-9A-Fa-f]{2})|[^\x21-\x7e]|[?#]/gu, (c) => {
    try {
      return encodeURIComponent(c);
    } catch {
      return '%EF%BF%BD'; // a lone surrogate: U+FFFD, as a URL parser would
    }
  });
}

/** The body as Lambda integrations take it: bytes (a compressed answer) go base64. */
export function encodeBody(body: string | Uint8Array): { body: string; isBase64Encoded: boolean } {
  if (typeof body === 'string') return { body, isBase64Encoded: false };
  return { body: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64'), isBase64Encoded: true };
}

/**
 * The request of a payload-1.0-shaped event (REST API proxy integration and ALB share it): `httpMethod`,
 * `path`, the single- and multi-value query and header maps. `queryEncoded`: ALB passes query names and
 * values still percent-encoded; API Gateway decodes them first.
 */
export function payloadV1Request(event: unknown, what: string, source: EventSource, queryEncoded: boolean): ApiRequest {
  const e = event as Json;
  const method = requireString(e, 'httpMethod', 'httpMethod', what, source);
  const path = requireString(e, 'path', 'path', what, source);
  const query = queryFromMaps(optionalMap(e, 'queryStringParameters', what, source), optionalMap(e, 'multiValueQueryStringParameters', what, source), queryEncoded);
  const headers = lowerCaseHeaders(optionalMap(e, 'headers', what, source), optionalMap(e, 'multiValueHeaders', what, source));
  return { method: method.toUpperCase(), path: encodedPath(path), query, headers };
}

/** Response headers as a multi-value map (one value each), for sources that read `multiValueHeaders`. */
export function multiValued(headers: Record<string, string>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = [v];
  return out;
}
