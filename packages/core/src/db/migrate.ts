import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pool } from './pool.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationStatus {
  applied: number[];
  pending: number[];
}

/** Key of the session-level advisory lock that serialises migrators (any constant works; it's ours). */
const migrationLockKey = 7_316_001;
const fileNamePattern = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** The `migrations/` folder shipped in this package, found from source or from the build. */
export function defaultMigrationsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth++) {
    const candidate = path.join(dir, 'migrations');
    if (existsSync(candidate) && existsSync(path.join(dir, 'package.json'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('Could not find the migrations folder of @gomomo/core');
}

/**
 * Reads the numbered `.sql` files in order; a duplicate number is an error. Numbers may have gaps:
 * each package owns a range (core 1–19, policy 20–29, agent 30–39, server 40–49, autonomy 50–59,
 * channels 60–69; second ranges: core 100–119, channels 120–139, server 140–159, agent 160–179,
 * autonomy 180–189, policy 190–199) so work on different packages never collides.
 */
export async function loadMigrations(dir = defaultMigrationsDir()): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = fileNamePattern.exec(file);
    if (!match) throw new Error(`Migration file ${file} must be named NNNN_snake_case.sql`);
    const sql = await readFile(path.join(dir, file), 'utf8');
    const version = Number(match[1]);
    const previous = migrations.at(-1);
    if (previous?.version === version) throw new Error(`Two migrations are numbered ${version}: ${file} and ${previous.name}`);
    migrations.push({ version, name: match[2]!, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return migrations;
}

const createVersionsTable = `
  CREATE TABLE IF NOT EXISTS gomomo_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

/**
 * Applies pending migrations, each in its own transaction, under a session advisory lock so two
 * instances starting together don't race (the second waits, then finds nothing to do). Refuses to
 * run when an applied migration's file changed since, or when the database is ahead of this code.
 */
export async function migrate(pool: Pool, options: { dir?: string; log?: (line: string) => void } = {}): Promise<number[]> {
  const migrations = await loadMigrations(options.dir);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
    await client.query(createVersionsTable);
    const { rows } = await client.query<{ version: number; checksum: string; name: string }>('SELECT version, name, checksum FROM gomomo_migrations ORDER BY version');
    const byVersion = new Map(migrations.map((migration) => [migration.version, migration]));
    for (const row of rows) {
      const migration = byVersion.get(row.version);
      if (!migration) {
        throw new Error(`The database has migration ${row.version} (${row.name}) that this version of @gomomo/core does not know; upgrade the code instead of downgrading the database`);
      }
      if (migration.checksum !== row.checksum) {
        throw new Error(`Migration ${String(row.version).padStart(4, '0')}_${row.name}.sql was edited after it was applied; add a new migration instead`);
      }
    }
    const applied = new Set(rows.map((row) => row.version));
    const newlyApplied: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO gomomo_migrations (version, name, checksum) VALUES ($1, $2, $3)', [migration.version, migration.name, migration.checksum]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`, { cause: error });
      }
      options.log?.(`applied migration ${migration.version} ${migration.name}`);
      newlyApplied.push(migration.version);
    }
    return newlyApplied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]).catch(() => undefined);
    client.release();
  }
}

/** Which migrations the database has and which it still needs (for `/ready`). */
export async function migrationStatus(pool: Pool, dir?: string): Promise<MigrationStatus> {
  const migrations = await loadMigrations(dir);
  const { rows } = await pool.query<{ version: number }>(
    `SELECT version FROM gomomo_migrations WHERE to_regclass('gomomo_migrations') IS NOT NULL ORDER BY version`,
  ).catch((error: unknown) => {
    if ((error as { code?: string }).code === '42P01') return { rows: [] as { version: number }[] };
    throw error;
  });
  const applied = rows.map((row) => row.version);
  const known = new Set(applied);
  return { applied, pending: migrations.filter((m) => !known.has(m.version)).map((m) => m.version) };
}

/**
 * The SQL a DBA would run by hand: every migration numbered above `fromVersion`, or exactly the
 * `versions` given (a database's pending ones, from `migrationStatus`). Each package numbers its
 * migrations in a block of its own, so a release can add a version below the highest applied one:
 * `fromVersion` would leave it out, `versions` does not.
 */
export async function renderMigrationSql(options: { fromVersion?: number; versions?: readonly number[]; dir?: string } = {}): Promise<string> {
  const only = options.versions === undefined ? undefined : new Set(options.versions);
  const migrations = (await loadMigrations(options.dir)).filter((m) => m.version > (options.fromVersion ?? 0) && (only === undefined || only.has(m.version)));
  const parts = [`-- gomomo migrations, generated for manual application`, `${createVersionsTable.trim()};`];
  for (const m of migrations) {
    parts.push(
      `-- ${String(m.version).padStart(4, '0')}_${m.name}.sql`,
      'BEGIN;',
      m.sql.trim(),
      `INSERT INTO gomomo_migrations (version, name, checksum) VALUES (${m.version}, '${m.name}', '${m.checksum}');`,
      'COMMIT;',
    );
  }
  return `${parts.join('\n')}\n`;
}
