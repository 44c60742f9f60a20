import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';
import { testDatabaseSetup } from '../../packages/core/src/testing/paths.js';

export default mergeConfig(sharedConfig, { test: { globalSetup: [testDatabaseSetup] } });
