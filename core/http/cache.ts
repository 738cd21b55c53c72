import { createHash } from 'node:crypto';
import type { CachePolicy } from './routes.ts';

/**
 * HTTP caching: validators (ETag, If-None-Match) and freshness (Cache-Control).
 *
 * ETags are weak (`W/"…"`) and derived, not hashed from the body: SHA-256 of the API revision, the
 * index version and the canonical request (canonical.ts). Derived, so a matching If-None-Match is
 * answered 304 before any search runs. Weak, because two answers to one request are equivalent but
 * not byte-identical (`tookMs` differs), and because the gzip, brotli and identity variants share
 * one tag (a strong tag would have to differ per content coding); `Vary: Accept-Encoding` keeps
 * caches from mixing the variants up. If-None-Match uses the weak comparison anyway (RFC 9110 §13.1.2).
 */

/**
 * Bump when answers to the same request over the same index change: a ranking change, a new
 * response field. It is mixed into every ETag, so clients stop revalidating their old copies.
 * (The served OpenAPI document is mixed in too: an API change moves every tag by itself.)
 */
export const API_REVISION = 1;

/** Seconds a CDN may keep serving a stale answer while it fetches a fresh one, or while the origin fails. */
export const STALE_IF_ERROR_SECONDS = 86_400;

/** The weak ETag of one answer: `version` is the index version (or the document's hash for static routes). */
export function entityTag(revision: string, version: string, routePath: string, canonical: string): string {
  const hash = createHash('sha256').update(`${API_REVISION}\n${revision}\n${version}\n${routePath}\n${canonical}`).digest('base64url');
  return `W/"${hash.slice(0, 22)}"`;
}

/** A short hash of a static value (the OpenAPI document), for `entityTag`'s revision and version. */
export function contentVersion(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/**
 * How an If-None-Match header relates to the current tag: `match` when it lists the tag (weak
 * comparison: `W/` is ignored on both sides), `any` for `*` (any current representation: known only
 * once the handler has answered 200), `none` otherwise or without the header.
 */
export function ifNoneMatch(header: string | undefined, etag: string): 'match' | 'any' | 'none' {
  if (header === undefined) return 'none';
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const want = opaque(etag);
  let any = false;
  for (const tag of header.split(',')) {
    const t = tag.trim();
    if (t === '*') any = true;
    else if (opaque(t) === want) return 'match';
  }
  return any ? 'any' : 'none';
}

/**
 * The Cache-Control of a policy. `public`: browsers and CDNs keep the answer for `seconds` (the
 * index reload interval: a newer version cannot be picked up sooner), then may serve it stale for as
 * long again while revalidating in the background (usually a cheap 304), and for a day while the
 * origin fails. With 0 seconds, caches must revalidate every time.
 */
export function cacheControl(policy: CachePolicy, seconds: number): string {
  if (policy === 'no-store') return 'no-store';
  if (seconds <= 0) return `public, no-cache, stale-if-error=${STALE_IF_ERROR_SECONDS}`;
  return `public, max-age=${seconds}, s-maxage=${seconds}, stale-while-revalidate=${seconds}, stale-if-error=${STALE_IF_ERROR_SECONDS}`;
}

/** Vary values merged: each field name once, lower-case, in first-seen order. */
export function mergeVary(...values: Array<string | undefined>): string | undefined {
  const names = new Set<string>();
  for (const value of values) for (const n of (value ?? '').split(',')) if (n.trim()) names.add(n.trim().toLowerCase());
  return names.size ? [...names].join(', ') : undefined;
}
