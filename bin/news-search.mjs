#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so `npm install` is all the set-up a checkout needs.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/cli.ts');
process.exitCode = await main(process.argv);
