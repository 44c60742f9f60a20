/**
 * Test helpers for packages built on @gomomo/core: a fresh, migrated database per test file, and a
 * clock tests can move. Import from `@gomomo/core/testing`; never from production code.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPool, type Pool } from '../db/pool.js';
import './provided-context.js';
import { withDatabase } from './scratch-database.js';

export { testDatabaseSetup } from './paths.js';
export { ManualClock } from './clock.js';
export { namesAsWritten } from './names.js';
export { openScratchDatabase, startThrowawayPostgres, throwawaySettings } from './scratch-database.js';
export type { ScratchDatabase, ThrowawayPostgres } from './scratch-database.js';
export { recordStatements } from './statements.js';
export { countListeningConnections, openListeningFeed } from './listening-feed.js';
export { postgresCpuMs, postmasterPidOf, processCpuMs } from './cpu.js';
export { tableRowsRead } from './rows-read.js';

export interface TestDatabase {
  pool: Pool;
  /** Superuser connection string of this file's database (for extra connections or child processes). */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Clones the run's migrated template into a database of this test file's own. */
export async function createTestDatabase(options: { max?: number } = {}): Promise<TestDatabase> {
  // Loaded here, not at the top: benchmarks import this module outside a vitest run.
  const { inject } = await import('vitest');
  const { adminUrl, template, runId } = inject('gomomoDatabase');
  const name = `gomomo_t_${runId}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const pool = createPool(url, { max: options.max ?? 10 });
  return {
    pool,
    url,
    name,
    drop: async () => {
      await pool.end();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
