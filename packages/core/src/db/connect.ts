import { createPool, type Pool, type PoolOptions } from './pool.js';
import { loadEmbeddedPostgres } from './load-embedded.js';

export interface ConnectOptions extends PoolOptions {
  /**
   * A Postgres connection string. When absent, an embedded Postgres is started in `dataDir`; that
   * needs the optional `@gomomo/embedded-postgres` package.
   */
  databaseUrl?: string | undefined;
  /** Where the embedded Postgres keeps its data (default `.data/postgres` under the working folder). */
  dataDir?: string;
  onLog?: (line: string) => void;
}

export interface Database {
  pool: Pool;
  url: string;
  /** True when the database is the embedded one this process started. */
  isEmbedded: boolean;
  /** Closes the pool and, for an embedded database, stops the server. */
  close(): Promise<void>;
}

/** Connects to `databaseUrl`, or starts the embedded Postgres when none is given. */
export async function connectDatabase(options: ConnectOptions = {}): Promise<Database> {
  if (options.databaseUrl) {
    const pool = createPool(options.databaseUrl, options);
    return { pool, url: options.databaseUrl, isEmbedded: false, close: () => pool.end() };
  }
  const { startEmbeddedPostgres } = await loadEmbeddedPostgres();
  const server = await startEmbeddedPostgres({ dataDir: options.dataDir ?? '.data/postgres', ...(options.onLog ? { onLog: options.onLog } : {}) });
  const pool = createPool(server.url, options);
  return {
    pool,
    url: server.url,
    isEmbedded: true,
    close: async () => {
      await pool.end();
      await server.stop();
    },
  };
}
