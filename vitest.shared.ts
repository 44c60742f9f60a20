import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packages = fileURLToPath(new URL('./packages/', import.meta.url));

/**
 * Tests import sibling packages from source, not from dist, so `pnpm test` needs no build.
 * `@gomomo/core/testing` → packages/core/src/testing/index.ts, `@gomomo/core` → packages/core/src/index.ts.
 */
export const sharedConfig = defineConfig({
  resolve: {
    alias: [
      { find: /^@gomomo\/([a-z-]+)\/([a-z-]+)$/, replacement: `${packages}$1/src/$2/index.ts` },
      { find: /^@gomomo\/([a-z-]+)$/, replacement: `${packages}$1/src/index.ts` },
    ],
  },
  test: {
    env: { TZ: 'UTC' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The JSON report feeds tooling/run-tests.mjs, which prints one total for the whole monorepo.
    reporters: ['default', ['json', { outputFile: '.test-results.json' }]],
  },
});
