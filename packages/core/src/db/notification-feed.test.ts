// A process with no event hub (`gomomo-worker`) shares one LISTEN connection between its job runner
// and its outbox sender (issue 15: Postgres wakes every listening connection on every NOTIFY). The
// feed must hand each notification to every subscriber, stop at unsubscribe, come back after its
// connection is killed, and let go of the connection when closed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countListeningConnections, createTestDatabase, type TestDatabase } from '../testing/index.js';
import { openNotificationFeed, type DatabaseNotification } from './notification-feed.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

async function until(check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('openNotificationFeed', () => {
  it('hands every notification of its channels to each subscriber until it unsubscribes, and only those channels', async () => {
    const feed = openNotificationFeed(db.pool, { channels: ['gomomo_events', 'gomomo_outbox'] });
    await feed.ready;
    try {
      const first: DatabaseNotification[] = [];
      const second: DatabaseNotification[] = [];
      feed.subscribe((n) => void first.push(n));
      const unsubscribe = feed.subscribe((n) => void second.push(n));
      await db.pool.query("SELECT pg_notify('gomomo_events', 't:1'), pg_notify('gomomo_session', 'not ours'), pg_notify('gomomo_outbox', '')");
      await until(() => first.length === 2);
      expect(first).toEqual([
        { channel: 'gomomo_events', payload: 't:1' },
        { channel: 'gomomo_outbox', payload: '' },
      ]);
      expect(second).toEqual(first);
      unsubscribe();
      await db.pool.query("SELECT pg_notify('gomomo_events', 't:2')");
      await until(() => first.length === 3);
      expect(second).toHaveLength(2);
    } finally {
      await feed.close();
    }
  });

  it('listens again within about a second after its connection is killed, and closes its connection', async () => {
    const errors: unknown[] = [];
    const before = await countListeningConnections(db.pool);
    const feed = openNotificationFeed(db.pool, { channels: ['gomomo_events'], onError: (error) => void errors.push(error) });
    await feed.ready;
    const seen: string[] = [];
    feed.subscribe((n) => void seen.push(n.payload ?? ''));
    expect(await countListeningConnections(db.pool)).toBe(before + 1);
    await db.pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN \"gomomo_events\"'");
    await until(() => errors.length > 0);
    await until(async () => (await countListeningConnections(db.pool)) === before + 1);
    await db.pool.query("SELECT pg_notify('gomomo_events', 'after')");
    await until(() => seen.includes('after'));
    await feed.close();
    await until(async () => (await countListeningConnections(db.pool)) === before);
  });
});
