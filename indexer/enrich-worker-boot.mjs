// Worker entry point when running from source (tsx, vitest): Node 20 does not apply `--import tsx`
// from a Worker's execArgv, so the worker registers tsx itself and then loads the TypeScript worker.
// The compiled CLI starts dist/enrich-worker.mjs instead (see enrich-pool.ts, cli/build.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./enrich-worker.ts');
