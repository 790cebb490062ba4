import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// For running this package's tests alone:
//   npx vitest run --config packages/s3-publish/vitest.config.ts
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/s3/**/*.test.ts'],
    globalSetup: ['test/setup/s3.global.ts'],
    testTimeout: 300_000,
    hookTimeout: 900_000,
    // Test files share one server; running them one at a time keeps the 200 MB upload and the
    // fault tests from fighting over 2 cores.
    fileParallelism: false,
  },
});
