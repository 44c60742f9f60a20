// Issue 15: each domain event was handled in a transaction of its own: BEGIN with its claim, a
// closing statement, COMMIT and a notification, most of a confirmation's cost in the worker. In a
// burst, events that wait for a database slot are now handled together in one transaction, each
// claimed just before its handler runs. These tests hold what must not change: each event is
// handled once, with its own receipt, records and message, and one event's failure fails only its
// own job, which is retried on its own.
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTasks } from '../../src/handlers/tasks.js';
import { installQueue } from '../../src/queue/install.js';
import { book, makeHarness, makeTenant, outboxOf } from '../helpers.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ max: 12 });
  await installQueue(db.pool);
});
afterAll(async () => {
  await db?.drop();
});

/** Books `count` appointments and returns their booking.created event ids, oldest first. */
async function burst(harness: ReturnType<typeof makeHarness>, tenant: { id: string; serviceId: string }, count: number): Promise<number[]> {
  for (let i = 0; i < count; i++) await book(harness.engine, tenant, { name: `Guest ${i}`, email: `guest${i}@example.com` });
  const { rows } = await db.pool.query<{ id: number }>("SELECT id FROM domain_events WHERE tenant_id = $1 AND type = 'booking.created' ORDER BY id", [tenant.id]);
  return rows.map((row) => Number(row.id));
}

/** The events of one transaction start in one synchronous loop: each group is one transaction. */
function transactionsSeen() {
  const transactions: number[][] = [];
  let starting: number[] | undefined;
  return {
    transactions,
    onEventStart(eventId: number) {
      if (!starting) {
        starting = [];
        transactions.push(starting);
        queueMicrotask(() => (starting = undefined));
      }
      starting.push(eventId);
    },
  };
}

async function receiptsOf(eventIds: number[]): Promise<Record<number, string>> {
  const { rows } = await db.pool.query<{ eventId: string; outcome: string }>('SELECT event_id AS "eventId", outcome FROM autonomy_event_receipts WHERE event_id = ANY($1::bigint[])', [eventIds]);
  return Object.fromEntries(rows.map((row) => [Number(row.eventId), row.outcome]));
}

async function actionEventsOf(tenantId: string): Promise<number[]> {
  const { rows } = await db.pool.query<{ eventId: string }>("SELECT event_id AS \"eventId\" FROM autonomy_actions WHERE tenant_id = $1 AND tool = 'send_confirmation' ORDER BY event_id", [tenantId]);
  return rows.map((row) => Number(row.eventId));
}

describe('regression: a burst of events paid a transaction each', () => {
  it("handles the events that waited for the slot in one transaction, each once, with its own receipt, records and confirmation", async () => {
    const harness = makeHarness(db.pool, { config: { databaseConcurrency: 1 } });
    const tenant = await makeTenant(db.pool);
    const events = await burst(harness, tenant, 5);
    const seen = transactionsSeen();
    const handled: number[] = [];
    const tasks = createTasks(harness.ctx, { onEventStart: (id) => seen.onEventStart(id), onEventHandled: (info) => void handled.push(info.eventId) });

    await Promise.all(events.map((id) => tasks.domain_event!({ id, tenantId: tenant.id }, {} as never)));

    // The first job's event at once, on its own; the four that waited for the slot together.
    expect(seen.transactions).toEqual([[events[0]], events.slice(1)]);
    expect(handled.sort((a, b) => a - b)).toEqual(events);
    const receipts = await receiptsOf(events);
    for (const id of events) expect(receipts[id]).toBe('done,done');
    expect(await actionEventsOf(tenant.id)).toEqual(events);
    const confirmations = (await outboxOf(db.pool, tenant.id)).filter((message) => message.template === 'confirmation');
    expect(confirmations.map((message) => message.recipient).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `guest${i}@example.com`));
    // Each outcome in the audit log names its own event.
    const { rows: audited } = await db.pool.query<{ eventId: string }>("SELECT details->>'eventId' AS \"eventId\" FROM audit_log WHERE tenant_id = $1 AND tool = 'send_confirmation' AND outcome = 'succeeded' ORDER BY seq", [tenant.id]);
    expect(audited.map((row) => Number(row.eventId))).toEqual(events);

    // The same jobs again (a retry, or the catch-up racing the trigger): the receipts stop them.
    await Promise.all(events.map((id) => tasks.domain_event!({ id, tenantId: tenant.id }, {} as never)));
    expect((await outboxOf(db.pool, tenant.id)).filter((message) => message.template === 'confirmation')).toHaveLength(5);
    expect(await actionEventsOf(tenant.id)).toEqual(events);
  });

  it("fails only the job of the event that failed: the others are handled on their own, and it is left for its retry", async () => {
    const harness = makeHarness(db.pool, { config: { databaseConcurrency: 1 } });
    const tenant = await makeTenant(db.pool);
    const events = await burst(harness, tenant, 4);
    const failing = events[2]!;
    // A real failure inside the shared transaction: the closing statement's insert of this event's records.
    await db.pool.query(`CREATE FUNCTION test_fail_one_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.event_id = ${failing} THEN RAISE EXCEPTION 'injected failure for event %', NEW.event_id; END IF;
        RETURN NEW;
      END $$`);
    await db.pool.query('CREATE TRIGGER test_fail_one_event BEFORE INSERT ON autonomy_actions FOR EACH ROW EXECUTE FUNCTION test_fail_one_event()');
    try {
      const seen = transactionsSeen();
      const tasks = createTasks(harness.ctx, { onEventStart: (id) => seen.onEventStart(id) });
      const results = await Promise.allSettled(events.map((id) => tasks.domain_event!({ id, tenantId: tenant.id }, {} as never)));

      // Together first; when that failed, each again on its own.
      expect(seen.transactions).toEqual([[events[0]], events.slice(1), [events[1]], [events[2]], [events[3]]]);
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      expect(String((results[2] as PromiseRejectedResult).reason)).toContain(`injected failure for event ${failing}`);
      const receipts = await receiptsOf(events);
      expect(Object.keys(receipts).map(Number).sort((a, b) => a - b)).toEqual(events.filter((id) => id !== failing));
      expect(await actionEventsOf(tenant.id)).toEqual(events.filter((id) => id !== failing));
      expect((await outboxOf(db.pool, tenant.id)).filter((message) => message.template === 'confirmation')).toHaveLength(3);
    } finally {
      await db.pool.query('DROP TRIGGER test_fail_one_event ON autonomy_actions; DROP FUNCTION test_fail_one_event()');
    }
    // Its retry, once the cause is gone, handles it.
    const retried = createTasks(harness.ctx);
    await retried.domain_event!({ id: failing, tenantId: tenant.id }, {} as never);
    expect((await receiptsOf([failing]))[failing]).toBe('done,done');
    expect((await outboxOf(db.pool, tenant.id)).filter((message) => message.template === 'confirmation')).toHaveLength(4);
  });
});
