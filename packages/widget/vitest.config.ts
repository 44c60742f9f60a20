import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';
import { testDatabaseSetup } from '../core/src/testing/paths.js';

// Browser tests (*.e2e.ts) run in the same `pnpm test` as the unit tests: they are the proof
// that the widget works on a real page, so CI must not be able to skip them.
export default mergeConfig(sharedConfig, {
  test: {
    include: ['test/**/*.e2e.ts'],
    globalSetup: [testDatabaseSetup],
    // Each e2e file starts Chromium and an API; one file at a time keeps the 2-core machine responsive.
    fileParallelism: false,
  },
});
