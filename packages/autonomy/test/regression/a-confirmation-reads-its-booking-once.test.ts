// Issue 15: a booking's confirmation job read the event, then the booking, then looked for a
// waitlist offer under its hold: three round trips where one statement can carry all three
// (core's read models as SQL functions, migration 0102). Its reminders were a round trip of their
// own too, and so was each policy decision and the outcomes after COMMIT, and then the one statement
// that appended them: the reminders and the decisions and outcomes now ride the statement that
// closes the transaction, so they commit with the work; and the claim rides the BEGIN round trip
// (core's `OpeningStatement`, prepared once per connection). A job's round trips are most of what
// a booking's deferred work costs. These tests pin the job's statements, and that what the
// claim reads is what the tools would have read (a booking on a waitlist offer still settles the
// offer: waitlist-offers.test.ts).
import { recordEvent, withTransaction } from '@gomomo/core';
import { createTestDatabase, recordStatements, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installQueue } from '../../src/queue/install.js';
import { closeToolWork } from '../../src/handlers/tasks.js';
import { addJobs, queueJobs, withdrawJobs, type PendingJobs } from '../../src/queue/add-job.js';
import { actionsOf, auditOf, book, jobsOf, latestEventId, makeHarness, makeTenant, outboxOf } from '../helpers.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await installQueue(db.pool);
});
afterAll(async () => db?.drop());

describe('a booking confirmation job', () => {
  it('reads the event, the booking and any waitlist offer in one statement, and makes four round trips in all', async () => {
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool);
    // A first booking's job loads the tenant's policy into the engine's cache.
    await book(h.engine, tenant, { name: 'Warm Up', email: 'warm@example.com' });
    await h.tasks.domain_event!({ id: await latestEventId(db.pool, tenant.id, 'booking.created'), tenantId: tenant.id }, {} as never);
    const appointment = await book(h.engine, tenant, { name: 'Ana López', email: 'ana@example.com' });
    const eventId = await latestEventId(db.pool, tenant.id, 'booking.created');

    const { statements, names } = await recordStatements(db.pool, () => h.tasks.domain_event!({ id: eventId, tenantId: tenant.id }, {} as never));

    // Each statement is parsed and planned once per connection: the claim is EXECUTEd, the email's
    // insert and the closing statement are named (the insert was planned for every message).
    expect(names.slice(1, 3).map((name) => name !== undefined)).toEqual([true, true]);
    const kinds: [string, RegExp][] = [
      ['BEGIN, claim the event, read the booking and any offer', /^BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL app\.tenant_id = .*; EXECUTE autonomy_claim_event_opening\('[0-9a-f-]{36}', \d+\)$/],
      ['queue the email', /^INSERT INTO notification_outbox/],
      ['record the actions and the receipt, queue the reminders, audit the decisions and outcomes', /^WITH written AS \( INSERT INTO autonomy_actions.*gomomo_add_jobs_quietly.*gomomo_audit_append_batch/],
      ['COMMIT', /^COMMIT$/],
    ];
    expect(statements.map((sql) => kinds.find(([, pattern]) => pattern.test(sql))?.[0] ?? sql.slice(0, 80))).toEqual([
      'BEGIN, claim the event, read the booking and any offer',
      'queue the email',
      'record the actions and the receipt, queue the reminders, audit the decisions and outcomes',
      'COMMIT',
    ]);
    // Two decisions, then their outcomes, in the order they were made, on the tenant's chain.
    expect((await auditOf(db.pool, tenant.id)).slice(-4).map((entry) => `${entry.action}/${entry.outcome}`)).toEqual([
      'notify.email/allowed',
      'reminder.schedule/allowed',
      'notify.email/succeeded',
      'reminder.schedule/succeeded',
    ]);
    // And the work is all there: the confirmation to the booking's address, the reminders, the records.
    const outbox = await outboxOf(db.pool, tenant.id);
    expect(outbox.filter((m) => m.recipient === 'ana@example.com').map((m) => [m.template, m.idempotencyKey])).toEqual([['confirmation', `${appointment.id}:confirmation:email`]]);
    expect((await actionsOf(db.pool, tenant.id)).slice(-2).map((a) => `${a.tool}/${a.outcome}`)).toEqual(['send_confirmation/done', 'schedule_reminders/done']);
    expect((await jobsOf(db.pool)).filter((job) => job.key?.startsWith(`reminder:${appointment.id}:`)).map((job) => [job.key, job.runAt.getTime()])).toEqual([
      [`reminder:${appointment.id}:24h`, new Date(appointment.start).getTime() - 24 * 3_600_000],
      [`reminder:${appointment.id}:2h`, new Date(appointment.start).getTime() - 2 * 3_600_000],
    ]);
  });

  it('through a transaction pooler (no SQL PREPARE kept), claims in a named statement of its own after BEGIN, and still confirms', async () => {
    const h = makeHarness(db.pool, { isPoolDirect: false });
    const tenant = await makeTenant(db.pool);
    // A first booking's job loads the tenant's policy into the engine's cache.
    await book(h.engine, tenant, { name: 'Warm Up', email: 'warm@example.com' });
    await h.tasks.domain_event!({ id: await latestEventId(db.pool, tenant.id, 'booking.created'), tenantId: tenant.id }, {} as never);
    const appointment = await book(h.engine, tenant, { name: 'Cy Park', email: 'cy@example.com' });
    const eventId = await latestEventId(db.pool, tenant.id, 'booking.created');

    const { statements, names } = await recordStatements(db.pool, () => h.tasks.domain_event!({ id: eventId, tenantId: tenant.id }, {} as never));

    expect(statements.some((sql) => /PREPARE|EXECUTE/.test(sql))).toBe(false);
    // BEGIN, then the claim, the email's insert and the closing statement, each named, then COMMIT.
    expect(names.map((name) => name !== undefined)).toEqual([false, true, true, true, false]);
    expect(statements[0]).toMatch(/^BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL app\.tenant_id = '[0-9a-f-]{36}'$/);
    expect(statements[1]).toMatch(/^WITH event AS .*gomomo_appointment_view/);
    expect(statements).toHaveLength(5);
    expect((await outboxOf(db.pool, tenant.id)).filter((m) => m.recipient === 'cy@example.com').map((m) => m.idempotencyKey)).toEqual([`${appointment.id}:confirmation:email`]);
  });

  it('never writes a job that was queued and then withdrawn in the same call, and still withdraws the one already written', async () => {
    const tenant = await makeTenant(db.pool);
    const runAt = new Date('2026-12-10T09:00:00Z');
    await withTransaction(db.pool, (client) => addJobs(client, [{ task: 'send_reminder', payload: { tenantId: tenant.id, n: 1 }, runAt, jobKey: `withdrawn:${tenant.id}:written` }]));
    await withTransaction(
      db.pool,
      async (client) => {
        const pending: PendingJobs = { queued: [], withdrawn: [] };
        queueJobs(pending, [
          { task: 'send_reminder', payload: { tenantId: tenant.id, n: 2 }, runAt, jobKey: `withdrawn:${tenant.id}:queued` },
          { task: 'send_reminder', payload: { tenantId: tenant.id, n: 3 }, runAt, jobKey: `withdrawn:${tenant.id}:kept` },
        ]);
        withdrawJobs(pending, [`withdrawn:${tenant.id}:queued`, `withdrawn:${tenant.id}:written`]);
        await closeToolWork(client, { actions: [], jobs: pending });
      },
      { isolation: 'read committed' },
    );
    expect((await jobsOf(db.pool)).filter((job) => job.key?.startsWith(`withdrawn:${tenant.id}:`)).map((job) => job.key)).toEqual([`withdrawn:${tenant.id}:kept`]);
  });

  it('keeps a job withdrawn and then queued again in the same call, in place of the one written before', async () => {
    const tenant = await makeTenant(db.pool);
    const key = `requeued:${tenant.id}`;
    await withTransaction(db.pool, (client) => addJobs(client, [{ task: 'send_reminder', payload: { tenantId: tenant.id, n: 1 }, runAt: new Date('2026-12-10T09:00:00Z'), jobKey: key }]));
    await withTransaction(
      db.pool,
      async (client) => {
        const pending: PendingJobs = { queued: [], withdrawn: [] };
        withdrawJobs(pending, [key]);
        queueJobs(pending, [{ task: 'send_reminder', payload: { tenantId: tenant.id, n: 2 }, runAt: new Date('2026-12-11T09:00:00Z'), jobKey: key }]);
        await closeToolWork(client, { actions: [], jobs: pending });
      },
      { isolation: 'read committed' },
    );
    expect((await jobsOf(db.pool)).filter((job) => job.key === key).map((job) => [job.payload.n, job.runAt.toISOString()])).toEqual([[2, '2026-12-11T09:00:00.000Z']]);
  });

  it('reads the booking again when the event names it in another spelling (upper case), and still confirms it', async () => {
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool);
    const appointment = await book(h.engine, tenant, { name: 'Bo Chen', email: 'bo@example.com' });
    const eventId = await withTransaction(db.pool, (client) =>
      recordEvent(client, { tenantId: tenant.id, type: 'booking.created', subjectId: appointment.id, payload: { appointmentId: appointment.id.toUpperCase() }, occurredAt: h.clock.now() }),
    );
    await db.pool.query('DELETE FROM autonomy_event_receipts WHERE tenant_id = $1', [tenant.id]);
    await db.pool.query('DELETE FROM notification_outbox WHERE tenant_id = $1', [tenant.id]);

    const { statements } = await recordStatements(db.pool, () => h.tasks.domain_event!({ id: Number(eventId), tenantId: tenant.id }, {} as never));

    // The claim (with BEGIN), then a read of the booking of its own under the id the tool was given.
    const isClaim = (sql: string) => /; EXECUTE autonomy_claim_event_opening\(/.test(sql);
    expect(statements.filter(isClaim)).toHaveLength(1);
    expect(statements.filter((sql) => !isClaim(sql) && sql.includes('gomomo_appointment_view'))).toHaveLength(1);
    expect((await outboxOf(db.pool, tenant.id)).map((m) => m.template)).toEqual(['confirmation']);
  });
});
