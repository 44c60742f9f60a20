// Issue 15, item 5: a transaction sends at most one NOTIFY (a NOTIFY takes a cluster-wide lock at
// commit). With the job queue installed, a booking change used to send three: core's event
// notification, graphile-worker's 'jobs:insert' from add_job, and the outbox's. Now the job is
// still enqueued in the event's transaction (migration 0054) without a notification of its own, and
// the outbox's part rides on the event notification (core 0008, channels 0067). A fence notification
// sent afterwards arrives after everything the transactions sent, so "nothing else" needs no wait.
import { enqueueOutboxMessage } from '@gomomo/channels';
import { recordEvent, withTenant, withTransaction, type PoolClient } from '@gomomo/core';
import { countListeningConnections, createTestDatabase, openListeningFeed, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addJobs } from '../src/queue/add-job.js';
import { installQueue } from '../src/queue/install.js';
import { startJobRunner } from '../src/queue/runner.js';
import { jobsOf, makeTenant } from './helpers.js';

let db: TestDatabase;
let tenantId: string;
let listener: PoolClient;
const heard: { channel: string; payload: string }[] = [];
let fences = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  await installQueue(db.pool);
  tenantId = (await makeTenant(db.pool)).id;
  listener = await db.pool.connect();
  listener.on('notification', (message) => heard.push({ channel: message.channel, payload: message.payload ?? '' }));
  await listener.query('LISTEN gomomo_events; LISTEN gomomo_outbox; LISTEN "jobs:insert"; LISTEN test_fence');
});
afterAll(async () => {
  await listener?.query('UNLISTEN *');
  listener?.release();
  await db?.drop();
});

async function notificationsOf(work: () => Promise<unknown>): Promise<{ channel: string; payload: string }[]> {
  heard.length = 0;
  await work();
  const fence = String(++fences);
  await db.pool.query(`SELECT pg_notify('test_fence', $1)`, [fence]);
  await new Promise<void>((resolve) => {
    const check = (): void => (heard.some((h) => h.channel === 'test_fence' && h.payload === fence) ? resolve() : void setImmediate(check));
    check();
  });
  return heard.filter((h) => h.channel !== 'test_fence');
}

/** Resolves once `handled` holds `id` (the test's timeout ends a wait that never does). */
function untilHandled(handled: number[], id: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const check = (): void => (handled.includes(id) ? resolve() : void setTimeout(check, 10));
    check();
  });
}

const event = { type: 'booking.created', payload: {}, occurredAt: new Date('2026-12-01T12:00:00Z') } as const;
const message = (key: string) => ({ channel: 'email', template: 'booking_confirmed', recipient: 'ada@example.com', subject: 'Booked', body: 'See you', idempotencyKey: key }) as const;

describe('one notification per transaction, with the job queue installed', () => {
  it('enqueues each event’s job in its transaction and announces events and outbox messages in one notification', async () => {
    await db.pool.query('DELETE FROM graphile_worker._private_jobs');
    let ids: number[] = [];
    const sent = await notificationsOf(() =>
      withTenant(db.pool, tenantId, async (client) => {
        ids = [await recordEvent(client, { ...event, tenantId }), await recordEvent(client, { ...event, tenantId })];
        await enqueueOutboxMessage(client, { ...message('one-notification-1'), tenantId });
      }),
    );
    expect(sent).toEqual([{ channel: 'gomomo_events', payload: `${ids.map((id) => `${tenantId}:${id}`).join(';')};outbox` }]);
    expect((await jobsOf(db.pool)).map((j) => [j.task, j.key, j.payload])).toEqual(ids.map((id) => ['domain_event', `domain_event:${id}`, { id, tenantId }]));
  });

  it('announces outbox messages queued without an event on the outbox channel, once', async () => {
    const sent = await notificationsOf(() =>
      withTenant(db.pool, tenantId, async (client) => {
        await enqueueOutboxMessage(client, { ...message('one-notification-2'), tenantId });
        await enqueueOutboxMessage(client, { ...message('one-notification-3'), tenantId });
      }),
    );
    expect(sent).toEqual([{ channel: 'gomomo_outbox', payload: '' }]);
  });

  it('wakes a running worker with the event notification (its poll is an hour away), and the job runs', async () => {
    await db.pool.query('DELETE FROM graphile_worker._private_jobs');
    const handled: number[] = [];
    const runner = await startJobRunner({ pool: db.pool, concurrency: 1, jobTimeoutMs: 10_000, pollIntervalMs: 3_600_000, tasks: { domain_event: async (payload) => void handled.push(Number(payload['id'])) } });
    try {
      const id = await withTenant(db.pool, tenantId, (client) => recordEvent(client, { ...event, tenantId }));
      await untilHandled(handled, id);
      expect(handled).toEqual([id]);
    } finally {
      await runner.stop();
    }
  });

  it("wakes its workers from the process's shared LISTEN connection, with none of its own, and ignores the feed's other channels", async () => {
    await db.pool.query('DELETE FROM graphile_worker._private_jobs');
    const shared = await openListeningFeed(db.pool, ['gomomo_events', 'gomomo_outbox', 'gomomo_session']);
    const handled: number[] = [];
    // graphile-worker's own LISTEN ('jobs:insert') stays; the runner adds none beside it.
    const before = await countListeningConnections(db.pool);
    const runner = await startJobRunner({ pool: db.pool, notifications: shared.feed, concurrency: 1, jobTimeoutMs: 10_000, pollIntervalMs: 3_600_000, tasks: { domain_event: async (payload) => void handled.push(Number(payload['id'])) } });
    try {
      for (let i = 0; i < 50 && (await countListeningConnections(db.pool)) < before + 1; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await countListeningConnections(db.pool)).toBe(before + 1);
      expect(shared.subscriberCount()).toBe(1);
      // A conversation's typing on the same feed is no event: only the event's job runs.
      await db.pool.query(`SELECT pg_notify('gomomo_session', '{"t":"x","s":"y","e":{"type":"typing"}}')`);
      const id = await withTenant(db.pool, tenantId, (client) => recordEvent(client, { ...event, tenantId }));
      await untilHandled(handled, id);
      expect(handled).toEqual([id]);
    } finally {
      await runner.stop();
      await shared.close();
    }
    expect(shared.subscriberCount()).toBe(0);
  });

  it("schedules jobs for later (a booking's reminders) without graphile-worker's NOTIFY, and replaces a waiting job with the same key", async () => {
    await db.pool.query('DELETE FROM graphile_worker._private_jobs');
    const tomorrow = new Date(Date.now() + 86_400_000);
    const reminder = (offset: string, runAt: Date) => ({ task: 'send_reminder', payload: { tenantId, appointmentId: 'a-1', offset }, runAt, jobKey: `reminder:a-1:${offset}` });
    const sent = await notificationsOf(() =>
      withTransaction(db.pool, async (client) => {
        await recordEvent(client, { ...event, tenantId });
        await addJobs(client, [reminder('24h', tomorrow), reminder('2h', new Date(tomorrow.getTime() + 3_600_000))]);
      }, { tenantId }),
    );
    expect(sent.map((n) => n.channel)).toEqual(['gomomo_events']);
    // Scheduled again (a reschedule): the same keys, the new time, no second job.
    const later = new Date(tomorrow.getTime() + 7_200_000);
    await withTransaction(db.pool, (client) => addJobs(client, [reminder('24h', later)]), { tenantId });
    const reminders = (await jobsOf(db.pool)).filter((job) => job.task === 'send_reminder');
    expect(reminders.map((job) => [job.key, job.runAt.getTime(), job.attempts])).toEqual([
      ['reminder:a-1:24h', later.getTime(), 0],
      ['reminder:a-1:2h', tomorrow.getTime() + 3_600_000, 0],
    ]);
  });

  it('leaves a job that already started alone and queues the new one beside it, as add_jobs does', async () => {
    await db.pool.query('DELETE FROM graphile_worker._private_jobs');
    const runAt = new Date(Date.now() + 86_400_000);
    const job = { task: 'send_reminder', payload: { tenantId, appointmentId: 'a-2', offset: '24h' }, runAt, jobKey: 'reminder:a-2:24h' };
    await withTransaction(db.pool, (client) => addJobs(client, [job]), { tenantId });
    await db.pool.query("UPDATE graphile_worker._private_jobs SET locked_at = now(), locked_by = 'someone' WHERE key = 'reminder:a-2:24h'");
    await withTransaction(db.pool, (client) => addJobs(client, [{ ...job, payload: { ...job.payload, offset: 'moved' } }]), { tenantId });
    const rows = (await jobsOf(db.pool)).filter((row) => row.task === 'send_reminder');
    expect(rows.map((row) => [row.key, row.payload['offset'], row.attempts])).toEqual([
      [null, '24h', 25],
      ['reminder:a-2:24h', 'moved', 0],
    ]);
  });

  it('wakes the workers for a job that is due now', async () => {
    const sent = await notificationsOf(() => withTransaction(db.pool, (client) => addJobs(client, [{ task: 'send_reminder', payload: { tenantId }, runAt: new Date(Date.now() - 1000) }]), { tenantId }));
    expect(sent.map((n) => n.channel)).toEqual(['jobs:insert']);
  });
});

