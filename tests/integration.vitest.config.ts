import { defineConfig } from 'vitest/config';
import { INTEGRATION_TESTS } from './integration.js';

// Models trained, packaged and measured, installers built, processes killed: see tests/integration.ts.
export default defineConfig({
  test: {
    include: INTEGRATION_TESTS,
    testTimeout: 60_000,
    pool: 'forks',
  },
});
