// Builds widget/dist/news-search.js: one minified IIFE with no dependencies, plus a size check.
// `node widget/build.mjs` from the repo root; tests import `buildWidget()` so they never run a stale file.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

/** The budget for the built file, gzipped. */
export const GZIP_BUDGET_BYTES = 20 * 1024;
export const OUTFILE = here('./dist/news-search.js');

/** @returns {Promise<{ bytes: number, gzipBytes: number, outfile: string }>} */
export async function buildWidget() {
  await build({
    entryPoints: [here('./src/index.ts')],
    outfile: OUTFILE,
    bundle: true,
    minify: true,
    format: 'iife',
    // ES2019 syntax runs on every browser with custom elements and shadow DOM in the wild.
    target: ['es2019', 'chrome79', 'firefox78', 'safari15'],
    legalComments: 'none',
    logLevel: 'warning',
    banner: { js: '/*! news-search widget | MIT */' },
  });
  const code = readFileSync(OUTFILE);
  const gzipBytes = gzipSync(code, { level: 9 }).byteLength;
  if (gzipBytes > GZIP_BUDGET_BYTES) {
    throw new Error(`widget is ${gzipBytes} bytes gzipped, over the ${GZIP_BUDGET_BYTES}-byte budget`);
  }
  return { bytes: code.byteLength, gzipBytes, outfile: OUTFILE };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildWidget().then(
    (r) => console.log(`widget/dist/news-search.js: ${(r.bytes / 1024).toFixed(1)} kB, ${(r.gzipBytes / 1024).toFixed(1)} kB gzipped`),
    (err) => {
      console.error(err.message ?? err);
      process.exit(1);
    },
  );
}
