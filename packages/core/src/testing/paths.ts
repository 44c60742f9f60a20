import { fileURLToPath } from 'node:url';

// From source this file sits next to global-setup.ts; in the published build, next to global-setup.js.
const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';

/** Absolute path of the vitest global setup that starts one Postgres per test run. */
export const testDatabaseSetup = fileURLToPath(new URL(`./global-setup.${extension}`, import.meta.url));
