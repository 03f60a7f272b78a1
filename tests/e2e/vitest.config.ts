import { defineConfig } from 'vitest/config';

// End-to-end: the built CLI's `serve` driven by Chromium. One file at a time:
// each starts its own server and browser, and the machine has few cores.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
