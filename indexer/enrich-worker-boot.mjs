// Worker entry point. Node 20 does not apply `--import tsx` from a Worker's execArgv, so the
// worker registers tsx itself and then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./enrich-worker.ts');
