import type { Manifest } from '../core/format/format.ts';
import { s3Key, type S3Location } from './uri.ts';

/**
 * `prefix/current.json`: the one small object that says which published version is live. A version
 * is its manifest, `prefix/versions/<version>/manifest.json`; the parts it names sit in
 * `prefix/parts/`, named by content (a segment's parts by the segment's hash), so versions share the
 * segments they have in common and nothing is ever rewritten. Switching versions is a single PUT of
 * this pointer, written after the parts and the manifest: readers see the old index or the new
 * one, never half of one.
 */
export const POINTER_NAME = 'current.json';
export const POINTER_FORMAT = 'news-search-pointer';
export const VERSIONS_DIR = 'versions';
export const PARTS_DIR = 'parts';

export interface Pointer {
  format: typeof POINTER_FORMAT;
  pointerVersion: 2;
  /** Folder name under `versions/`, e.g. `20240501T123456Z-1a2b3c4d5e6f7a8b`. */
  version: string;
  indexVersion: string;
  builtAt: string;
  articleCount: number;
  publishedAt: string;
  /** Full key of the version's manifest; the version's parts are its siblings. */
  manifestKey: string;
  /** SHA-256 of manifest.json, so the manifest is verified like every part it lists. */
  manifestSha256: string;
  /** Set when this pointer was written by `rollback`. */
  rolledBackFrom?: string;
}

export class PointerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PointerError';
  }
}

/**
 * Version names sort by build time, so "newest first" is a string sort; the index's content hash
 * makes two different builds at the same second distinct.
 *
 * @example versionName({ builtAt: '2024-05-01T12:34:56.789Z', indexVersion: 'ab12' }) // '20240501T123456Z-ab12'
 */
export function versionName(m: Pick<Manifest, 'builtAt' | 'indexVersion'>): string {
  const compact = m.builtAt.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
  if (!/^\d{8}T\d{6}Z$/.test(compact)) throw new PointerError(`manifest builtAt ${JSON.stringify(m.builtAt)} is not an ISO UTC time`);
  return `${compact}-${m.indexVersion}`;
}

export const VERSION_PATTERN = /^\d{8}T\d{6}Z-[a-z0-9]+$/;

export function versionPrefix(loc: S3Location, version: string): string {
  return s3Key(loc, `${VERSIONS_DIR}/${version}/`);
}

export function makePointer(loc: S3Location, version: string, manifest: Manifest, manifestSha256: string, now: Date): Pointer {
  return {
    format: POINTER_FORMAT,
    pointerVersion: 2,
    version,
    indexVersion: manifest.indexVersion,
    builtAt: manifest.builtAt,
    articleCount: manifest.articleCount,
    publishedAt: now.toISOString(),
    manifestKey: `${versionPrefix(loc, version)}manifest.json`,
    manifestSha256,
  };
}

export function parsePointer(bytes: Uint8Array): Pointer {
  let p: unknown;
  try {
    p = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new PointerError(`${POINTER_NAME} is not valid JSON`);
  }
  const ptr = p as Partial<Pointer> | null;
  if (!ptr || typeof ptr !== 'object' || ptr.format !== POINTER_FORMAT) throw new PointerError(`${POINTER_NAME} is not a ${POINTER_FORMAT}`);
  if (ptr.pointerVersion !== 2) {
    throw new PointerError(`${POINTER_NAME} is a version ${String(ptr.pointerVersion)} pointer (an index of an older format); publish a rebuilt index with this version of news-search`);
  }
  if (typeof ptr.version !== 'string' || !VERSION_PATTERN.test(ptr.version)) throw new PointerError(`${POINTER_NAME} has an invalid version`);
  if (typeof ptr.manifestKey !== 'string' || !ptr.manifestKey.endsWith('/manifest.json')) {
    throw new PointerError(`${POINTER_NAME} has an invalid manifestKey`);
  }
  if (typeof ptr.manifestSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(ptr.manifestSha256)) {
    throw new PointerError(`${POINTER_NAME} has an invalid manifestSha256`);
  }
  return ptr as Pointer;
}

/** Key prefix (ending in `/`) of the parts of an index (of every version). */
export function partsKeyPrefix(loc: S3Location): string {
  return s3Key(loc, `${PARTS_DIR}/`);
}

/** Key prefix (ending in `/`) of the parts a pointer's version names: the index's `parts/`. */
export function partsPrefix(p: Pointer): string {
  const tail = `${VERSIONS_DIR}/${p.version}/manifest.json`;
  if (!p.manifestKey.endsWith(tail)) throw new PointerError(`${POINTER_NAME} has a manifestKey outside ${VERSIONS_DIR}/${p.version}/`);
  return `${p.manifestKey.slice(0, -tail.length)}${PARTS_DIR}/`;
}
