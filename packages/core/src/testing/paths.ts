import { fileURLToPath } from 'node:url';

/** Absolute path of the vitest global setup that starts one Postgres per test run. */
export const testDatabaseSetup = fileURLToPath(new URL('./global-setup.ts', import.meta.url));
