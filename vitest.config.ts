import { defineConfig } from 'vitest/config';
import { INTEGRATION_TESTS } from './tests/integration.js';

// The quick unit tests; the slow ones (tests/integration.ts) run in `npm run test:integration`.
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...INTEGRATION_TESTS],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
