#!/usr/bin/env node
// The CLI runs compiled: dist/cli.mjs, built by cli/build.mjs (npm `prepare`, so on
// `npm install` / `npm ci`). If any bundled source changed since, it is rebuilt here first (~0.2 s,
// once; the check itself costs about a millisecond). If esbuild cannot be loaded, or the sources do
// not bundle, the CLI runs from source through tsx as before (with a warning for the latter).
// NEWS_SEARCH_FROM_SOURCE=1 forces the tsx path.
async function loadMain() {
  const build = process.env.NEWS_SEARCH_FROM_SOURCE === '1' ? null : await import('../cli/build.mjs').catch(() => null);
  if (build) {
    let ready = build.isFresh();
    if (!ready) {
      try {
        await build.buildCli();
        ready = true;
      } catch (err) {
        const missing = err?.code === 'ERR_MODULE_NOT_FOUND' && /esbuild/.test(err.message);
        if (!missing) console.error(`news-search: could not compile the CLI, running it from source: ${err?.message ?? err}`);
      }
    }
    if (ready) {
      // Stack traces name the .ts files (dist/*.map).
      process.setSourceMapsEnabled(true);
      return (await import('../dist/cli.mjs')).main;
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('../cli/cli.ts')).main;
}

const main = await loadMain();
process.exitCode = await main(process.argv);
