import { defineConfig } from 'vitest/config';

// Three tiers, each its own npm script (see package.json):
//   unit     — fast, self-contained, no ../shared data, no browser (npm test)
//   corpus   — reads ../shared/data (npm run test:corpus)
//   browser  — real headless Chromium via playwright-core (npm run test:browser)
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 } },
      { test: { name: 'corpus', include: ['test/corpus/**/*.test.ts'], globalSetup: ['test/corpus/global-setup.ts'], testTimeout: 600_000, hookTimeout: 900_000 } },
      { test: { name: 'browser', include: ['test/browser/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000, fileParallelism: false } },
    ],
  },
});
