/**
 * Term shards: which FlexSearch shard of a segment holds a term. A hash of the term's first three
 * characters, so (1) the split depends on nothing but the term and the index's shard count: every
 * segment, built at any time, gives a document the same words per shard, which is what makes its
 * FlexSearch rank (a word's position among the words of its shard) the same in any segment layout;
 * and (2) a prefix of three or more characters expands within one shard.
 */
export const TERM_KEY_CHARS = 3;

/** FNV-1a (32-bit) of the first `TERM_KEY_CHARS` UTF-16 units of `term`, modulo `shards`. */
export function termShard(term: string, shards: number): number {
  let h = 0x811c9dc5;
  const n = Math.min(term.length, TERM_KEY_CHARS);
  for (let i = 0; i < n; i++) {
    h ^= term.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % shards;
}
