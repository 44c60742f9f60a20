import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.mjs'],
    testTimeout: 60_000,
    // The JSON report feeds run-tests.mjs, which prints one total for the whole monorepo.
    reporters: ['default', ['json', { outputFile: '.test-results.json' }]],
  },
});
