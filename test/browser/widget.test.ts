/**
 * Browser tests of the `<news-search>` widget: headless Chromium against the real local server and a
 * real index. One file so the index build and browser launch are paid once; the suites live in
 * ./suites, one per concern.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startHarness, type Harness } from './harness.ts';
import { aboutSuite } from './suites/about.ts';
import { completionsSuite } from './suites/completions.ts';
import { demoSuite } from './suites/demo.ts';
import { errorSuite } from './suites/errors.ts';
import { searchSuite } from './suites/search.ts';
import { securitySuite } from './suites/security.ts';

let hx: Harness | undefined;
const harness = (): Harness => {
  if (!hx) throw new Error('harness not started');
  return hx;
};

beforeAll(async () => {
  hx = await startHarness();
});
afterEach(async () => {
  await hx?.closePages();
});
afterAll(async () => {
  await hx?.close();
});

searchSuite(harness);
aboutSuite(harness);
completionsSuite(harness);
errorSuite(harness);
securitySuite(harness);
demoSuite(harness);
