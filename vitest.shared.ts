import { availableParallelism } from 'node:os';
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
    // Vitest's default is one file at a time on two cores (cores − 1), which left half the machine
    // idle: most of a test's time is spent waiting on Postgres. Every file has a database of its
    // own (the global setup's template), so two run side by side; `pnpm test` on two cores took
    // 13 minutes one at a time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    hookTimeout: 60_000,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The JSON report feeds tooling/run-tests.mjs, which prints one total for the whole monorepo.
    reporters: ['default', ['json', { outputFile: '.test-results.json' }]],
  },
});
