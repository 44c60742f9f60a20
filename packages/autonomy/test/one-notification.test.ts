// Issue 15, item 5: a transaction sends at most one NOTIFY (a NOTIFY takes a cluster-wide lock at
// commit). With the job queue installed, a booking change used to send three: core's event
// notification, graphile-worker's 'jobs:insert' from add_job, and the outbox's. Now the job is
// still enqueued in the event's transaction (migration 0054) without a notification of its own, and
// the outbox's part rides on the event notification (core 0008, channels 0067). A fence notification
// sent afterwards arrives after everything the transactions sent, so "nothing else" needs no wait.
import { enqueueOutboxMessage } from '@gomomo/channels';
import { recordEvent, withTenant, type PoolClient } from '@gomomo/core';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
      await new Promise<void>((resolve) => {
        const check = (): void => (handled.includes(id) ? resolve() : void setTimeout(check, 10));
        check();
      });
      expect(handled).toEqual([id]);
    } finally {
      await runner.stop();
    }
  });
});
