import { withTransaction, recordEvent } from '@gomomo/core';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalendarAppointment } from '../src/calendar/provider.js';
import { installQueue } from '../src/queue/install.js';
import { actionsOf, auditOf, book, jobsOf, makeHarness, makeTenant, outboxOf, runDueJobs } from './helpers.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await installQueue(db.pool);
});
afterAll(async () => db?.drop());

async function clearJobs(): Promise<void> {
  await db.pool.query('DELETE FROM graphile_worker._private_jobs');
}

describe('booking.created', () => {
  it('queues an email with an .ics and an SMS when the booking has a phone, and schedules 24 h and 2 h reminders', async () => {
    await clearJobs();
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool);
    const appointment = await book(h.engine, tenant, { name: 'Ana López', email: 'ana@example.com', phone: '+15550101010' });
    await runDueJobs(db.pool, h.tasks);
    const outbox = await outboxOf(db.pool, tenant.id);
    expect(outbox.map((r) => [r.template, r.channel, r.recipient])).toEqual([
      ['confirmation', 'email', 'ana@example.com'],
      ['confirmation', 'sms', '+15550101010'],
    ]);
    expect(outbox[0]!.attachments[0]!.filename).toBe('invite.ics');
    expect(outbox[0]!.idempotencyKey).toBe(`${appointment.id}:confirmation:email`);
    const reminders = (await jobsOf(db.pool)).filter((j) => j.task === 'send_reminder');
    expect(reminders.map((j) => [j.key, j.runAt.getTime()])).toEqual([
      [`reminder:${appointment.id}:24h`, new Date(appointment.start).getTime() - 24 * 3_600_000],
      [`reminder:${appointment.id}:2h`, new Date(appointment.start).getTime() - 2 * 3_600_000],
    ]);
    expect((await actionsOf(db.pool, tenant.id)).map((a) => `${a.tool}/${a.action}/${a.outcome}`)).toEqual([
      'send_confirmation/notify.email/done',
      'send_confirmation/notify.sms/done',
      'schedule_reminders/reminder.schedule/done',
    ]);
  });

  it('queues email only when the booking has no phone', async () => {
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool);
    await book(h.engine, tenant, { name: 'Bo', email: 'bo@example.com' });
    await runDueJobs(db.pool, h.tasks);
    expect((await outboxOf(db.pool, tenant.id)).map((r) => r.channel)).toEqual(['email']);
  });

  it('handles a replayed event once (the receipt makes handlers idempotent)', async () => {
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool);
    await book(h.engine, tenant, { name: 'Cy', email: 'cy@example.com' });
    await runDueJobs(db.pool, h.tasks);
    const { rows } = await db.pool.query<{ id: number }>(`SELECT id FROM domain_events WHERE tenant_id = $1 AND type = 'booking.created'`, [tenant.id]);
    await h.tasks.domain_event!({ id: rows[0]!.id, tenantId: tenant.id }, {} as never);
    expect(await outboxOf(db.pool, tenant.id)).toHaveLength(1);
    expect(await actionsOf(db.pool, tenant.id)).toHaveLength(2);
  });

  it('skips reminders whose time has already passed', async () => {
    await clearJobs();
    const h = makeHarness(db.pool, { config: { reminderOffsetsMs: [10 * 24 * 3_600_000, 2 * 3_600_000] } });
    const tenant = await makeTenant(db.pool);
    const appointment = await book(h.engine, tenant, { name: 'Di', email: 'di@example.com' });
    await runDueJobs(db.pool, h.tasks);
    expect((await jobsOf(db.pool)).filter((j) => j.task === 'send_reminder').map((j) => j.key)).toEqual([`reminder:${appointment.id}:2h`]);
    const schedule = (await actionsOf(db.pool, tenant.id)).find((a) => a.tool === 'schedule_reminders')!;
    expect(schedule.reason).toContain('already past: 240h');
  });
});

describe('reschedule and cancel', () => {
  it('sends a reschedule notice, moves the reminders, and on cancel withdraws them', async () => {
    await clearJobs();
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool);
    const appointment = await book(h.engine, tenant, { name: 'Flo', email: 'flo@example.com' });
    await runDueJobs(db.pool, h.tasks);
    const availability = await h.engine.getAvailability({ tenantId: tenant.id, serviceId: tenant.serviceId, from: '2026-12-07', to: '2026-12-07' });
    const moved = await h.engine.reschedule({ tenantId: tenant.id, reference: appointment.reference, verify: { staff: true }, newStart: availability.slots[3]!.start });
    await runDueJobs(db.pool, h.tasks);
    const reminders = (await jobsOf(db.pool)).filter((j) => j.task === 'send_reminder');
    expect(reminders.map((j) => j.payload.start)).toEqual([moved.start, moved.start].map((s) => new Date(s).toISOString()));
    await h.engine.cancel({ tenantId: tenant.id, reference: appointment.reference, verify: { staff: true } });
    await runDueJobs(db.pool, h.tasks);
    expect((await jobsOf(db.pool)).filter((j) => j.task === 'send_reminder')).toEqual([]);
    expect((await outboxOf(db.pool, tenant.id)).map((r) => r.template)).toEqual(['confirmation', 'reschedule', 'cancellation']);
  });

  it('does not send a reminder for an appointment that moved after the reminder was made', async () => {
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool);
    const appointment = await book(h.engine, tenant, { name: 'Gus', email: 'gus@example.com' });
    await h.tasks.send_reminder!({ tenantId: tenant.id, appointmentId: appointment.id, offset: '24h', start: '2026-12-09T15:00:00.000Z' }, {} as never);
    await h.tasks.send_reminder!({ tenantId: tenant.id, appointmentId: appointment.id, offset: '24h', start: new Date(appointment.start).toISOString() }, {} as never);
    expect((await outboxOf(db.pool, tenant.id)).map((r) => r.template)).toEqual(['reminder']);
  });
});

describe('hold.expired', () => {
  it('schedules one follow-up after the 30-minute cooldown and sends it only with contact details', async () => {
    await clearJobs();
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool);
    const availability = await h.engine.getAvailability({ tenantId: tenant.id, serviceId: tenant.serviceId, from: '2026-12-03', to: '2026-12-03' });
    const withContact = await h.engine.hold({ tenantId: tenant.id, serviceId: tenant.serviceId, start: availability.slots[0]!.start, sessionId: 'sess-known' });
    const anonymous = await h.engine.hold({ tenantId: tenant.id, serviceId: tenant.serviceId, start: availability.slots[2]!.start, sessionId: 'sess-anon' });
    await db.pool.query(`INSERT INTO waitlist_entries (tenant_id, service_id, window_start, window_end, client_name, client_email, session_id)
                         VALUES ($1, $2, now(), now() + interval '1 day', 'Hal', 'hal@example.com', 'sess-known')`, [tenant.id, tenant.serviceId]);
    h.clock.advance(10 * 60_000);
    await h.engine.expireHolds();
    await runDueJobs(db.pool, h.tasks);
    const followups = (await jobsOf(db.pool)).filter((j) => j.task === 'hold_followup');
    expect(followups).toHaveLength(2);
    for (const job of followups) expect(job.runAt.getTime()).toBe(h.clock.now().getTime() + 30 * 60_000);
    for (const job of followups) await h.tasks.hold_followup!(job.payload, {} as never);
    for (const job of followups) await h.tasks.hold_followup!(job.payload, {} as never);
    const outbox = await outboxOf(db.pool, tenant.id);
    expect(outbox.map((r) => [r.template, r.recipient])).toEqual([['hold_followup', 'hal@example.com']]);
    // Without contact details there is nothing to send, so nothing is asked of policy.
    const actions = await actionsOf(db.pool, tenant.id);
    expect(actions.filter((a) => a.tool === 'send_hold_followup' && a.action === 'followup.send').map((a) => a.decision)).toEqual(['allowed', 'denied']);
    const audit = await auditOf(db.pool, tenant.id);
    expect(audit.filter((a) => a.action === 'followup.send').map((a) => [a.subjectId, a.outcome])).toEqual([
      [withContact.id, 'allowed'],
      [withContact.id, 'succeeded'],
      [withContact.id, 'denied'],
    ]);
    expect(audit.some((a) => a.subjectId === anonymous.id)).toBe(false);
  });
});

describe('calendar.sync_failed', () => {
  it('retries at 30 s, 120 s and 480 s, then escalates to staff', async () => {
    await clearJobs();
    const failures: string[] = [];
    const h = makeHarness(db.pool, {
      calendar: {
        name: 'fake',
        async sync(appointment) {
          failures.push(appointment.appointmentId);
          throw new Error('calendar API down');
        },
      },
    });
    const tenant = await makeTenant(db.pool);
    const appointment = await book(h.engine, tenant, { name: 'Ivy', email: 'ivy@example.com' });
    await withTransaction(db.pool, (client) =>
      recordEvent(client, { tenantId: tenant.id, type: 'calendar.sync_failed', subjectId: appointment.id, payload: { appointmentId: appointment.id, error: 'first failure' }, occurredAt: h.clock.now() }),
    );
    await runDueJobs(db.pool, h.tasks);
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const job = (await jobsOf(db.pool)).find((j) => j.task === 'calendar_sync')!;
      delays.push(job.runAt.getTime() - h.clock.now().getTime());
      await db.pool.query('DELETE FROM graphile_worker._private_jobs WHERE key = $1', [job.key]);
      await h.tasks.calendar_sync!(job.payload, {} as never);
    }
    expect(delays).toEqual([30_000, 120_000, 480_000]);
    expect(failures).toHaveLength(3);
    const { rows } = await db.pool.query(`SELECT kind, status FROM staff_escalations WHERE tenant_id = $1`, [tenant.id]);
    expect(rows).toEqual([{ kind: 'calendar_sync_failed', status: 'open' }]);
    expect((await jobsOf(db.pool)).filter((j) => j.task === 'calendar_sync')).toEqual([]);
  });

  it('marks the appointment synced when the provider succeeds on a retry', async () => {
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool);
    const appointment = await book(h.engine, tenant, { name: 'Jo', email: 'jo@example.com' });
    await h.tasks.calendar_sync!({ tenantId: tenant.id, appointmentId: appointment.id, attempt: 1 }, {} as never);
    const { rows } = await db.pool.query('SELECT status, attempts FROM calendar_sync_attempts WHERE appointment_id = $1', [appointment.id]);
    expect(rows).toEqual([{ status: 'synced', attempts: 1 }]);
  });
});

/** Runs the pending calendar_sync job (scheduled on the harness clock) as the worker would, once. */
async function runCalendarJob(h: ReturnType<typeof makeHarness>): Promise<void> {
  const job = (await jobsOf(db.pool)).find((j) => j.task === 'calendar_sync');
  expect(job?.payload).toMatchObject({ attempt: 0 });
  await db.pool.query('DELETE FROM graphile_worker._private_jobs WHERE key = $1', [job!.key]);
  await h.tasks.calendar_sync!(job!.payload, {} as never);
}

describe('calendar writes (issue 18)', () => {
  it('mirrors a new booking at once with the first name only, then its cancellation', async () => {
    await clearJobs();
    const seen: CalendarAppointment[] = [];
    const h = makeHarness(db.pool, { calendar: { name: 'google', async sync(appointment) { seen.push(appointment); } } });
    const tenant = await makeTenant(db.pool);
    const appointment = await book(h.engine, tenant, { name: 'Ada Lovelace', email: 'ada@example.com' });
    await runDueJobs(db.pool, h.tasks);
    await runCalendarJob(h);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ appointmentId: appointment.id, status: 'booked', clientFirstName: 'Ada', resourceId: expect.any(String) });
    expect(seen[0]!.contact).toBeUndefined();
    expect(JSON.stringify(seen[0])).not.toContain('ada@example.com');
    await h.engine.cancel({ tenantId: tenant.id, reference: appointment.reference, verify: { staff: true } });
    await runDueJobs(db.pool, h.tasks);
    await runCalendarJob(h);
    expect(seen.map((a) => a.status)).toEqual(['booked', 'cancelled']);
  });

  it('escalates a permanent failure (a revoked grant) at once instead of retrying', async () => {
    await clearJobs();
    const h = makeHarness(db.pool, {
      calendar: {
        name: 'google',
        async sync() {
          throw new Error('Google refused the stored grant (invalid_grant)');
        },
        isPermanent: () => true,
      },
    });
    const tenant = await makeTenant(db.pool);
    const appointment = await book(h.engine, tenant, { name: 'Bo', email: 'bo@example.com' });
    await runDueJobs(db.pool, h.tasks);
    await runCalendarJob(h);
    const { rows } = await db.pool.query(`SELECT kind, subject_id AS "subjectId" FROM staff_escalations WHERE tenant_id = $1`, [tenant.id]);
    expect(rows).toEqual([{ kind: 'calendar_sync_failed', subjectId: appointment.id }]);
    expect((await jobsOf(db.pool)).filter((j) => j.task === 'calendar_sync')).toEqual([]);
  });

  it('reports a calendar whose grant was revoked during the busy refresh to staff', async () => {
    await clearJobs();
    const tenant = await makeTenant(db.pool);
    const resourceId = '6f1c2a8e-1d4b-4e5f-8a9b-0c1d2e3f4a5b';
    const h = makeHarness(db.pool, {
      calendar: { name: 'google', async sync() {}, refreshBusy: async () => [{ tenantId: tenant.id, resourceId, reason: 'invalid_grant' }] },
    });
    await h.tasks.calendar_busy_refresh!({}, {} as never);
    const { rows } = await db.pool.query(`SELECT kind, subject_id AS "subjectId", summary FROM staff_escalations WHERE tenant_id = $1`, [tenant.id]);
    expect(rows).toEqual([{ kind: 'calendar_revoked', subjectId: resourceId, summary: expect.stringContaining('reconnect the calendar') }]);
  });

  it('reports an ICS feed that kept failing past its bound to staff, as a feed to fix rather than a grant to reconnect', async () => {
    await clearJobs();
    const tenant = await makeTenant(db.pool);
    const resourceId = '7a2d3b9f-2e5c-4f60-9bac-1d2e3f4a5b6c';
    const h = makeHarness(db.pool, {
      calendar: { name: 'database', async sync() {}, refreshBusy: async () => [{ tenantId: tenant.id, resourceId, reason: 'the ICS feed at cal.example.com has failed since …: answered 503', kind: 'ics_feed_failing' as const }] },
    });
    await h.tasks.calendar_busy_refresh!({}, {} as never);
    const { rows } = await db.pool.query(`SELECT kind, subject_id AS "subjectId", summary FROM staff_escalations WHERE tenant_id = $1`, [tenant.id]);
    expect(rows).toEqual([{ kind: 'ics_feed_failing', subjectId: resourceId, summary: expect.stringContaining('fix or remove the feed') }]);
  });
});
