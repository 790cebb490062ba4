import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The viewer's own runs (until the root config has a `viewer` project): the browser tests in real
// headless Chromium, and the unit tests of the app's pure modules.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    projects: [
      {
        test: {
          name: 'viewer',
          include: ['test/viewer/**/*.int.test.ts'],
          globalSetup: ['test/setup/chromium.global.ts'],
          testTimeout: 120_000,
          hookTimeout: 900_000,
        },
      },
      {
        test: {
          name: 'viewer-unit',
          include: ['test/viewer/**/*.unit.test.ts'],
        },
      },
    ],
  },
});
