import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { MANIFEST_NAME, parseManifest, type Manifest, type PartInfo } from '../core/format/format.ts';

/** A bundle ready to publish: its manifest, and each part as bytes or a stream opened on demand. */
export interface BundleSource {
  manifest: Manifest;
  manifestBytes: Uint8Array;
  parts: Array<{ info: PartInfo; open: () => Uint8Array | Readable }>;
}

export class BundleSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleSourceError';
  }
}

/** A bundle built in this process (`buildBundle(...).files`). */
export function bundleFromMemory(files: ReadonlyMap<string, Uint8Array>): BundleSource {
  const manifestBytes = files.get(MANIFEST_NAME);
  if (!manifestBytes) throw new BundleSourceError(`the bundle has no ${MANIFEST_NAME}`);
  const manifest = parseManifest(manifestBytes);
  return {
    manifest,
    manifestBytes,
    parts: manifest.parts.map((info) => {
      const bytes = files.get(info.name);
      if (!bytes) throw new BundleSourceError(`the bundle has no part ${info.name}`);
      return { info, open: () => bytes };
    }),
  };
}

/**
 * A bundle folder on disk (`news-search build --out <dir>`). Every part is hashed first, so a
 * damaged folder is refused before anything is uploaded; parts then stream from disk, so their
 * size does not bound memory.
 */
export async function bundleFromFolder(dir: string): Promise<BundleSource> {
  let manifestBytes: Uint8Array;
  try {
    manifestBytes = await readFile(join(dir, MANIFEST_NAME));
  } catch {
    throw new BundleSourceError(`${dir} has no ${MANIFEST_NAME}: is it an index folder?`);
  }
  const manifest = parseManifest(manifestBytes);
  for (const info of manifest.parts) {
    const path = join(dir, info.name);
    const size = await stat(path).then((s) => s.size, () => -1);
    if (size !== info.bytes) {
      throw new BundleSourceError(size < 0 ? `part ${info.name} is missing from ${dir}` : `part ${info.name} has ${size} bytes, manifest says ${info.bytes}`);
    }
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    if (hash.digest('hex') !== info.sha256) throw new BundleSourceError(`part ${info.name} in ${dir} failed its SHA-256 check`);
  }
  return { manifest, manifestBytes, parts: manifest.parts.map((info) => ({ info, open: () => createReadStream(join(dir, info.name)) })) };
}
