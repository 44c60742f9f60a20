// Issue 15: in a burst of bookings the running sender spent two statements on nearly every message.
// Each notification woke it at once, so it claimed the one or two messages committed so far, wrote
// their outcome, and claimed again at once. Now a notification starts a short gathering window, and
// the messages committed in it go in one claim and one outcome update; after a batch that was not
// full it gathers again before it looks once more, and when that finds nothing it waits for a
// notification.
import { createTestDatabase, recordStatements, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogTransport } from '../../src/transports/log.js';
import { createOutboxSender } from '../../src/outbox/sender.js';
import { makeTenant, queue, rowOf } from '../helpers.js';

let db: TestDatabase;
const transports = { email: createLogTransport({ channel: 'email' }), sms: createLogTransport({ channel: 'sms' }) };

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

const claims = (statements: string[]) => statements.filter((sql) => sql.startsWith('WITH due AS ('));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function untilSent(ids: string[]): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const statuses = await Promise.all(ids.map(async (id) => (await rowOf(db.pool, id)).status));
    if (statuses.every((status) => status === 'sent')) return;
    await sleep(20);
  }
  throw new Error('the messages were not sent within 4 s');
}

describe('the running outbox sender in a burst', () => {
  it('claims the messages committed while it gathers in one claim, and records them in one update', async () => {
    const tenantId = await makeTenant(db.pool);
    // A long window, so that the test does not depend on how fast this machine is.
    const running = createOutboxSender({ pool: db.pool, transports, pollIntervalMs: 60_000, gatherMs: 600 }).start();
    await sleep(100);
    const { statements } = await recordStatements(db.pool, async () => {
      const first = await queue(db.pool, { tenantId, channel: 'email', recipient: 'first@example.com' });
      await sleep(50);
      const rest = await Promise.all(['second@example.com', 'third@example.com'].map((recipient) => queue(db.pool, { tenantId, channel: 'email', recipient })));
      await untilSent([first, ...rest]);
    });
    await running.stop();
    expect(claims(statements)).toHaveLength(1);
    expect(statements.filter((sql) => sql.startsWith('UPDATE notification_outbox AS o SET status = v.status'))).toHaveLength(1);
  });

  it('after a batch, looks once more (another sender may have held rows back) and then waits for a notification', async () => {
    const tenantId = await makeTenant(db.pool);
    const running = createOutboxSender({ pool: db.pool, transports, pollIntervalMs: 60_000, gatherMs: 10 }).start();
    await sleep(100);
    const { statements } = await recordStatements(db.pool, async () => {
      const id = await queue(db.pool, { tenantId, channel: 'email', recipient: 'only@example.com' });
      await untilSent([id]);
      // Time enough for claims that would follow.
      await sleep(300);
    });
    await running.stop();
    // The claim that sent it and the one that found nothing more; no claim per gathering window after.
    expect(claims(statements)).toHaveLength(2);
  });

  it('claims the rows another sender skipped past without waiting for the slow poll', async () => {
    const tenantId = await makeTenant(db.pool);
    const ids = await Promise.all(Array.from({ length: 30 }, (_, i) => queue(db.pool, { tenantId, channel: 'email', recipient: `skip-${i}@example.com` })));
    // Two senders side by side, as in production: their claims skip each other's rows (SKIP LOCKED).
    const senders = [1, 2].map(() => createOutboxSender({ pool: db.pool, transports, pollIntervalMs: 60_000, batchSize: 4, gatherMs: 5 }).start());
    await untilSent(ids);
    await Promise.all(senders.map((running) => running.stop()));
    expect((await Promise.all(ids.map(async (id) => (await rowOf(db.pool, id)).status))).every((status) => status === 'sent')).toBe(true);
  });

  it('claims again at once after a full batch, without waiting for a notification', async () => {
    const tenantId = await makeTenant(db.pool);
    const ids = await Promise.all(['a', 'b', 'c'].map((name) => queue(db.pool, { tenantId, channel: 'email', recipient: `${name}@example.com` })));
    const running = createOutboxSender({ pool: db.pool, transports, pollIntervalMs: 60_000, batchSize: 2 }).start();
    await untilSent(ids);
    await running.stop();
    expect((await rowOf(db.pool, ids[2]!)).status).toBe('sent');
  });
});
