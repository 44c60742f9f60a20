// Vitest global setup: one Postgres per test run and one migrated template database. Each test file
// then clones the template (CREATE DATABASE … TEMPLATE, tens of milliseconds) so files never share
// state. With TEST_DATABASE_URL the run uses that server instead of starting its own.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate } from '../db/migrate.js';
import { createPool } from '../db/pool.js';
import './provided-context.js';
import { startThrowawayPostgres, withDatabase } from './scratch-database.js';


export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = randomBytes(4).toString('hex');
  const server = process.env.TEST_DATABASE_URL ? undefined : await startThrowawayPostgres();
  const adminUrl = process.env.TEST_DATABASE_URL ?? server!.url;
  const template = `gomomo_tpl_${runId}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  const pool = createPool(withDatabase(adminUrl, template), { max: 1 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  project.provide('gomomoDatabase', { adminUrl, template, runId });

  return async () => {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`gomomo_%${runId}%`]);
    for (const row of rows) await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
    await admin.end();
    await server?.stop();
  };
}
