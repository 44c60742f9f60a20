import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
export type QueryResult<R extends pg.QueryResultRow = pg.QueryResultRow> = pg.QueryResult<R>;
/** Anything that runs a query: a pool, or a client inside a transaction. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

export interface PoolOptions {
  /** Maximum connections in the pool (default 10). */
  max?: number;
  /** `pg` TLS options, passed through unchanged; `true` verifies against the system CAs. */
  ssl?: pg.PoolConfig['ssl'];
  /** Name shown in `pg_stat_activity`. */
  applicationName?: string;
}

// Postgres returns `timestamptz` as text; pg parses it into a Date, which is what we want.
// `int8` (bigint) would become a string by default; event ids and counts fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** Creates a `pg` pool for a connection string. */
export function createPool(connectionString: string, options: PoolOptions = {}): Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    ssl: options.ssl,
    application_name: options.applicationName ?? 'gomomo',
  });
  // An idle client losing its connection (database restart) must not crash the process;
  // the pool drops the client and the next checkout opens a fresh one.
  pool.on('error', () => undefined);
  // The same for a checked-out client whose connection drops: its query rejects, which is enough.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
