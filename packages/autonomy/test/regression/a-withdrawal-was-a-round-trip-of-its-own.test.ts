// Issue 15, a sibling it did not list: withdrawing a booking's reminders (a cancellation, or a
// booking or reschedule into the last hours, whose 24-hour reminder is already past) was a
// statement of its own, `remove_job` for each key, one round trip more in the job's transaction.
// The closing statement, which queues the call's jobs, now withdraws them first, in the same
// transaction as before: a cancelled booking's reminders never outlive its cancellation.
import { recordStatements, createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installQueue } from '../../src/queue/install.js';
import { book, jobsOf, latestEventId, makeHarness, makeTenant } from '../helpers.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await installQueue(db.pool);
});
afterAll(async () => db?.drop());

describe('a cancellation', () => {
  it('withdraws the reminders in the statement that closes its job, with no round trip of its own', async () => {
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool);
    const appointment = await book(h.engine, tenant, { name: 'Ana López', email: 'ana@example.com' });
    await h.tasks.domain_event!({ id: await latestEventId(db.pool, tenant.id, 'booking.created'), tenantId: tenant.id }, {} as never);
    const reminders = async () => (await jobsOf(db.pool)).filter((job) => job.key?.startsWith(`reminder:${appointment.id}:`)).map((job) => job.key);
    expect(await reminders()).toEqual([`reminder:${appointment.id}:24h`, `reminder:${appointment.id}:2h`]);

    await h.engine.cancel({ tenantId: tenant.id, reference: appointment.reference, verify: { staff: true } });
    const cancelled = await latestEventId(db.pool, tenant.id, 'booking.cancelled');
    const { statements } = await recordStatements(db.pool, () => h.tasks.domain_event!({ id: cancelled, tenantId: tenant.id }, {} as never));

    expect(await reminders()).toEqual([]);
    // The claim (with BEGIN), the cancellation email, the closing statement, COMMIT.
    expect(statements.some((sql) => /remove_job/.test(sql) && !/^WITH written AS/.test(sql))).toBe(false);
    expect(statements.filter((sql) => /^WITH written AS .*graphile_worker\.remove_job.*gomomo_add_jobs_quietly/.test(sql))).toHaveLength(1);
    expect(statements).toHaveLength(4);
  });
});
