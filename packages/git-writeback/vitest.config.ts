import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// For running this package's tests on their own until the root config grows a `git` project.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/git/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
