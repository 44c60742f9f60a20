import type { Pool } from '../db/pool.js';

type Queryable = { query: (...args: unknown[]) => unknown };

/**
 * The SQL statements a pool's connections are sent while `fn` runs, in order, whether through
 * `pool.query` or a checked-out client. For tests that pin how many round trips a path makes
 * (issue 15): each entry is one round trip, and a multi-statement string (BEGIN; SET LOCAL …)
 * counts once.
 */
export async function recordStatements<T>(pool: Pool, fn: () => Promise<T>): Promise<{ result: T; statements: string[]; names: (string | undefined)[] }> {
  const statements: string[] = [];
  // Each statement's name when it was sent as a named (prepared once per connection) statement.
  const names: (string | undefined)[] = [];
  const textOf = (query: unknown): string => (typeof query === 'string' ? query : ((query as { text?: string } | null)?.text ?? '')).replace(/\s+/g, ' ').trim();
  const originals = new Map<Queryable, Queryable['query']>();
  // pg-pool emits 'acquire' for every checkout, its own for `pool.query` included.
  const onAcquire = (client: Queryable): void => {
    if (originals.has(client)) return;
    const query = client.query;
    originals.set(client, query);
    client.query = function (this: unknown, ...args: unknown[]) {
      statements.push(textOf(args[0]));
      names.push(typeof args[0] === 'object' && args[0] !== null ? (args[0] as { name?: string }).name : undefined);
      return query.apply(client, args);
    };
  };
  pool.on('acquire', onAcquire as never);
  try {
    return { result: await fn(), statements, names };
  } finally {
    pool.off('acquire', onAcquire as never);
    for (const [client, query] of originals) client.query = query;
  }
}
