import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { IndexUnavailableError } from '../core/errors.ts';
import type { PartReader } from '../core/format/part-reader.ts';

/** Reads bundle parts (or a byte range of one) from a folder. Part names come from a validated manifest (no `/` or `..`). */
export function folderReader(dir: string): PartReader {
  return async (name, range) => {
    try {
      if (!range) return await readFile(join(dir, name));
      const file = await open(join(dir, name), 'r');
      try {
        const buf = new Uint8Array(range.length);
        const { bytesRead } = await file.read(buf, 0, range.length, range.offset);
        return bytesRead === range.length ? buf : buf.subarray(0, bytesRead);
      } finally {
        await file.close();
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new IndexUnavailableError(
        code === 'ENOENT' ? `index part ${name} is missing` : `index part ${name} could not be read (${code ?? 'error'})`,
        { cause: err },
      );
    }
  };
}

/**
 * Writes a bundle into `dir`, replacing what was there as a whole: parts go to a sibling temp
 * folder that is renamed into place, so a reader never sees a mix of two builds.
 */
export async function writeBundleToFolder(dir: string, files: Map<string, Uint8Array>): Promise<void> {
  const out = await openFolderWriter(dir);
  try {
    for (const [name, bytes] of files) await out.put(name, bytes);
    await out.commit();
  } catch (err) {
    await out.abort();
    throw err;
  }
}

/**
 * A folder filled part by part as a streaming build makes them, then put in place as a whole: parts
 * go to a sibling temp folder, renamed over `dir` on `commit` (a reader never sees a mix of two
 * builds); `abort` removes it.
 */
export async function openFolderWriter(dir: string): Promise<{ put(name: string, bytes: Uint8Array): Promise<void>; commit(): Promise<void>; abort(): Promise<void> }> {
  const target = resolve(dir);
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  return {
    put: (name, bytes) => writeFile(join(tmp, name), bytes),
    async commit() {
      await mkdir(dirname(target), { recursive: true });
      const old = `${target}.old-${process.pid}-${Date.now()}`;
      let hadOld = true;
      try {
        await rename(target, old);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        hadOld = false;
      }
      await rename(tmp, target);
      if (hadOld) await rm(old, { recursive: true, force: true });
    },
    abort: () => rm(tmp, { recursive: true, force: true }),
  };
}
