// Compiles the CLI ahead of time into dist/ (git-ignored), as serverless-esbuild does for the
// Lambda: `node cli/build.mjs`. npm's `prepare` runs it on `npm install` / `npm ci`, and
// bin/news-search.mjs rebuilds through buildCli() whenever a bundled source file is newer than the
// build (see isFresh), so nobody ever runs an old bundle.
//
//   dist/cli.mjs            entry: cli/cli.ts (`main(argv)`)
//   dist/enrich-worker.mjs  entry: indexer/enrich-worker.ts, found by indexer/enrich-pool.ts through
//                           the __NEWS_SEARCH_ENRICH_WORKER__ constant defined below
//   dist/chunk-*.mjs        shared code and the modules the CLI loads lazily (`import()`), so
//                           `--help` parses only what it needs
//   dist/build.json         the stamp: build start time, every input file (esbuild's metafile)
//                           and every output file
//
// Only our code is bundled; npm packages stay external and load from node_modules/. All files sit
// directly in dist/, one folder below the root like cli/ and local/, so `new URL('../widget/',
// import.meta.url)` in local/server.ts and createRequire(import.meta.url) resolve as from source.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = join(ROOT, 'dist');
export const STAMP = join(DIST, 'build.json');
export const CLI_ENTRY = join(DIST, 'cli.mjs');

/** Read by the bundle and the staleness check: besides the bundled sources, a change here rebuilds. */
const CONFIG_INPUTS = ['cli/build.mjs', 'tsconfig.json'];
/** Chunks no build has referenced for this long are deleted (a running CLI may still import one lazily). */
const PRUNE_AFTER_MS = 24 * 3600 * 1000;

/**
 * True when dist/ holds a complete build (every output file is there) and no input changed since
 * it started: one small JSON read and a stat per file (~150, about a millisecond). A new source
 * file can only matter through an import, which changes an input. Never throws.
 */
export function isFresh(stampFile = STAMP, root = ROOT) {
  try {
    /** @type {{ startedAt: number, inputs: string[], outputs: string[] }} */
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
    for (const f of stamp.inputs) if (statSync(join(root, f)).mtimeMs >= stamp.startedAt) return false;
    for (const f of stamp.outputs) statSync(join(dirname(stampFile), f));
    return true;
  } catch {
    return false;
  }
}

/**
 * Bundles cli/cli.ts and the worker into dist/. Safe to run concurrently (parallel tests may all
 * find the build stale): files are written under temporary names and renamed, chunks (named by
 * content hash) first, then the entries, then the stamp, so a reader never sees a half-written
 * file or an entry whose chunks are missing.
 * @returns {Promise<{ ms: number, files: number }>}
 */
export async function buildCli() {
  const t0 = Date.now();
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { cli: 'cli/cli.ts', 'enrich-worker': 'indexer/enrich-worker.ts' },
    outdir: DIST,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    packages: 'external',
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // Stack traces point to the .ts files (bin/news-search.mjs enables source maps); the sources
    // are in the checkout, so the maps need not carry them.
    sourcemap: 'linked',
    sourcesContent: false,
    define: { __NEWS_SEARCH_ENRICH_WORKER__: JSON.stringify('./enrich-worker.mjs') },
    metafile: true,
    write: false,
    logLevel: 'silent',
  }).finally(() => esbuild.stop()); // else its service process lives as long as `news-search serve`
  mkdirSync(DIST, { recursive: true });
  const now = new Date();
  const isChunk = (/** @type {string} */ p) => basename(p).startsWith('chunk-');
  const outputs = [...result.outputFiles].sort((a, b) => Number(isChunk(b.path)) - Number(isChunk(a.path)));
  for (const f of outputs) {
    if (isChunk(f.path) && exists(f.path)) {
      utimesSync(f.path, now, now); // same hash, same content: mark it as in use
      continue;
    }
    writeAtomic(f.path, f.contents);
  }
  const inputs = [...new Set([...Object.keys(result.metafile.inputs), ...CONFIG_INPUTS])].sort();
  const keep = new Set(outputs.map((f) => basename(f.path)));
  writeAtomic(STAMP, JSON.stringify({ startedAt: t0, inputs, outputs: [...keep].sort() }, null, 1) + '\n');
  for (const name of readdirSync(DIST)) {
    const p = join(DIST, name);
    if (!name.startsWith('chunk-') || keep.has(name)) continue;
    try {
      if (now.getTime() - statSync(p).mtimeMs > PRUNE_AFTER_MS) rmSync(p, { force: true });
    } catch {
      // Another build pruned it first.
    }
  }
  return { ms: Date.now() - t0, files: outputs.length };
}

/** @param {string} p @param {string | Uint8Array} data */
function writeAtomic(p, data) {
  const tmp = `${p}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, p);
}

/** @param {string} p */
function exists(p) {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // --optional (npm `prepare`): esbuild is a devDependency. It usually comes with tsx anyway, but an
  // install without it must not fail: the CLI then runs from source through tsx.
  const optional = process.argv.includes('--optional');
  try {
    await import('esbuild');
  } catch {
    console.error(`esbuild is not installed: ${optional ? 'the CLI will run from source through tsx' : 'run npm install'}`);
    process.exit(optional ? 0 : 1);
  }
  try {
    const r = await buildCli();
    console.error(`${relative(ROOT, CLI_ENTRY)}: ${r.files} files in ${r.ms} ms`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
