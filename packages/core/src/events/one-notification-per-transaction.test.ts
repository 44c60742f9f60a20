// Issue 15, item 5: a NOTIFY takes a cluster-wide lock at commit, so a transaction sends at most one
// (migration 0008). What listeners rely on stays true: every committed event is named, in order,
// once; a rolled-back one never is. A fence notification sent after the transactions under test is
// delivered after everything they sent (notifications arrive in commit order), so "nothing else
// came" is checked without waiting for time to pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PoolClient } from '../db/pool.js';
import { withTenant } from '../db/transaction.js';
import { createBookingEngine, type BookingEngine } from '../engine/engine.js';
import { createTestDatabase, ManualClock, type TestDatabase } from '../testing/index.js';
import { at, client as contact, createBookingTenant, testNow, type BookingTenant } from '../../test/fixtures.js';
import { recordEvent } from './events.js';

let db: TestDatabase;
let engine: BookingEngine;
let t: BookingTenant;
let listener: PoolClient;
const heard: { channel: string; payload: string }[] = [];
let fences = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  engine = createBookingEngine({ pool: db.pool, clock: new ManualClock(testNow) });
  t = await createBookingTenant(db.pool, 'notify-once');
  listener = await db.pool.connect();
  listener.on('notification', (message) => heard.push({ channel: message.channel, payload: message.payload ?? '' }));
  await listener.query('LISTEN gomomo_events; LISTEN gomomo_outbox; LISTEN "jobs:insert"; LISTEN test_fence');
});
afterAll(async () => {
  await listener.query('UNLISTEN *');
  listener.release();
  await db.drop();
});

/** What was heard while `work` ran, up to a fence committed after it. */
async function notificationsOf(work: () => Promise<unknown>): Promise<{ channel: string; payload: string }[]> {
  heard.length = 0;
  await work();
  const fence = String(++fences);
  await db.pool.query(`SELECT pg_notify('test_fence', $1)`, [fence]);
  await new Promise<void>((resolve) => {
    const check = (): void => {
      if (heard.some((h) => h.channel === 'test_fence' && h.payload === fence)) resolve();
      else setImmediate(check);
    };
    check();
  });
  return heard.filter((h) => h.channel !== 'test_fence');
}

const event = (occurredAt = new Date(testNow)) => ({ tenantId: t.tenant.id, type: 'hold.released' as const, occurredAt });

describe('one notification per transaction', () => {
  it('sends a hold and a confirm one notification each, naming their event as before', async () => {
    const sessionId = 'notify-once-1';
    let hold: Awaited<ReturnType<BookingEngine['hold']>> | undefined;
    const onHold = await notificationsOf(async () => {
      hold = await engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: at('2026-12-03 10:00'), resourceId: t.chen.id, sessionId });
    });
    const { rows: holdEvents } = await db.pool.query<{ id: string }>(`SELECT id FROM domain_events WHERE type = 'hold.created' AND subject_id = $1`, [hold!.id]);
    expect(onHold).toEqual([{ channel: 'gomomo_events', payload: `${t.tenant.id}:${holdEvents[0]!.id}` }]);

    const onConfirm = await notificationsOf(() => engine.confirm({ tenantId: t.tenant.id, holdId: hold!.id, sessionId, client: contact }));
    expect(onConfirm).toHaveLength(1);
    expect(onConfirm[0]!.payload).toMatch(new RegExp(`^${t.tenant.id}:\\d+$`));
  });

  it('names every event of a transaction, in order, in its one notification', async () => {
    let ids: number[] = [];
    const sent = await notificationsOf(() =>
      withTenant(db.pool, t.tenant.id, async (c) => {
        ids = [await recordEvent(c, event()), await recordEvent(c, event()), await recordEvent(c, event())];
      }),
    );
    expect(sent).toEqual([{ channel: 'gomomo_events', payload: ids.map((id) => `${t.tenant.id}:${id}`).join(';') }]);
  });

  it('leaves out events of a rolled-back savepoint, and says nothing for a rolled-back transaction', async () => {
    let kept = 0;
    const sent = await notificationsOf(() =>
      withTenant(db.pool, t.tenant.id, async (c) => {
        kept = await recordEvent(c, event());
        await c.query('SAVEPOINT undo');
        await recordEvent(c, event());
        await c.query('ROLLBACK TO SAVEPOINT undo');
      }),
    );
    expect(sent).toEqual([{ channel: 'gomomo_events', payload: `${t.tenant.id}:${kept}` }]);

    const none = await notificationsOf(() =>
      withTenant(db.pool, t.tenant.id, async (c) => {
        await recordEvent(c, event());
        throw new Error('changed my mind');
      }).catch(() => undefined),
    );
    expect(none).toEqual([]);
  });

  it('says "*" (replay from the table) when the events would not fit a payload', async () => {
    const sent = await notificationsOf(() =>
      withTenant(db.pool, t.tenant.id, async (c) => {
        for (let i = 0; i < 250; i++) await recordEvent(c, event());
      }),
    );
    expect(sent).toEqual([{ channel: 'gomomo_events', payload: '*' }]);
  });
});
