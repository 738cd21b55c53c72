import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { BadRequestError } from '../errors.ts';
import type { SearchAfter, SearchCursor, SearchParams } from '../types.ts';
import { searchIdentity } from './canonical.ts';
import { LIMITS, SORT_ORDERS } from './limits.ts';

/**
 * Cursors for deep paging (search-after). A token is base64url of JSON
 * `{"v": index version, "s": sort, "k": [kind, score or day, doc], "q": query hash}`:
 * opaque to clients, checked field by field here. The query is bound by a hash of its canonical
 * identity (canonical.ts) rather than carried whole, because a query may be ~10 kB (30 filter
 * values of 200 characters) and the token travels in a URL.
 */

const TOKEN = /^[A-Za-z0-9_-]+$/;
const finite = v.pipe(v.number(), v.finite());
const doc = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(0xffff_ffff));
const Token = v.strictObject({
  v: v.pipe(v.string(), v.regex(/^[0-9a-f]{1,64}$/)),
  s: v.picklist(SORT_ORDERS),
  k: v.union([v.strictTuple([v.picklist(['h', 't']), finite, doc]), v.strictTuple([v.literal('d'), v.pipe(v.number(), v.integer()), doc])]),
  q: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{22}$/)),
});

/** 128 bits of SHA-256 over the query's identity, base64url. */
function queryHash(p: SearchParams): string {
  return createHash('sha256').update(searchIdentity(p)).digest('base64url').slice(0, 22);
}

/** The token for continuing `params` after `after`, in index version `indexVersion`. */
export function encodeCursor(indexVersion: string, params: SearchParams, after: SearchAfter): string {
  const k = after.kind === 'date' ? ['d', after.day, after.doc] : [after.kind === 'head' ? 'h' : 't', after.score, after.doc];
  return Buffer.from(JSON.stringify({ v: indexVersion, s: params.sort, k, q: queryHash(params) }), 'utf8').toString('base64url');
}

const bad = (why: string) => new BadRequestError('invalid_parameter', `cursor ${why}`, 'cursor');

/**
 * Decodes a `cursor` for the query `params` (everything but page and cursor already validated).
 * A token that is not one of ours, or belongs to another query, is a 400 naming `cursor`; whether
 * its index version is still live is checked when the index is at hand (router.ts, a 409).
 */
export function decodeCursor(token: string, params: SearchParams): SearchCursor {
  if (!TOKEN.test(token) || token.length > LIMITS.cursorMaxLength) throw bad('is malformed: pass the nextCursor of an earlier answer unchanged');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad('is malformed: pass the nextCursor of an earlier answer unchanged');
  }
  const parsed = v.safeParse(Token, json);
  if (!parsed.success) throw bad('is malformed: pass the nextCursor of an earlier answer unchanged');
  const t = parsed.output;
  if (t.s !== params.sort || t.q !== queryHash(params)) {
    throw bad('belongs to another query: repeat the parameters of the answer that returned it (only limit and facetLimit may change)');
  }
  const [kind, key, docNo] = t.k;
  const after: SearchAfter = kind === 'd' ? { kind: 'date', day: key, doc: docNo } : { kind: kind === 'h' ? 'head' : 'tail', score: key, doc: docNo };
  return { indexVersion: t.v, after };
}
