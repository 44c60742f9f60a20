import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';
import { testDatabaseSetup } from '../core/src/testing/paths.js';

// The console's browser tests (*.e2e.ts) run in the same `pnpm test` as the unit tests, like the
// widget's: they are the proof that staff can run their day from the page.
export default mergeConfig(sharedConfig, {
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.e2e.ts'],
    globalSetup: [testDatabaseSetup],
    // Each e2e file starts Chromium and an API; one file at a time keeps the 2-core machine responsive.
    fileParallelism: false,
  },
});
