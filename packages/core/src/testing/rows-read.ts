import type { Pool } from '../db/pool.js';

/**
 * Rows of `table` read so far by sequential and index scans (`pg_stat_user_tables`), as the
 * server's statistics have them: how a test tells a lookup by key from a scan of a growing table.
 * A backend sends its counts when it goes idle, at most once a second, or when it exits. `flushing`,
 * a pool of one connection, has its backend send them now (`pg_stat_force_next_flush`, Postgres 15).
 */
export async function tableRowsRead(pool: Pool, table: string, flushing?: Pool): Promise<number> {
  if (flushing) await flushing.query('SELECT pg_stat_force_next_flush()');
  const { rows } = await pool.query<{ read: string }>(
    'SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) AS read FROM pg_stat_user_tables WHERE relname = $1',
    [table],
  );
  return Number(rows[0]?.read ?? 0);
}
