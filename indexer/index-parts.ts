import { encodePart, sha256Hex } from '../core/format/codec.ts';
import type { PartInfo, PartRole } from '../core/format/format.ts';
import type { EntityDictionary } from './entities/dictionary.ts';
import type { TermStats } from './term-stats.ts';

/** A part named by its content: `<role>-<16 hex of its SHA-256>.json.gz`. */
export function contentPart(role: PartRole, value: unknown): { info: PartInfo; bytes: Uint8Array } {
  const bytes = encodePart(value);
  const sha256 = sha256Hex(bytes);
  return { info: { name: `${role}-${sha256.slice(0, 16)}.json.gz`, role, bytes: bytes.byteLength, sha256, encoding: 'gzip' }, bytes };
}

/** The index-wide parts writers need besides the vocabulary: the live term statistics and the entity dictionary. */
export function indexWideParts(dictionary: EntityDictionary, stats: TermStats): Array<{ info: PartInfo; bytes: Uint8Array }> {
  return [contentPart('stats', stats.toPart()), contentPart('entities', dictionary.toJSON())];
}
