// Issue 14, item 1: a message about an appointment is re-checked against the appointment when it
// is sent. Manual clock throughout; the tenant is in New York (UTC−5 in December) and opens at
// 06:00 so that an early appointment's reminder falls in quiet hours (before 08:00).
import { createLogTransport, createOutboxSender, type OutboundMessage } from '@gomomo/channels';
import { createTenant, demoTenantInput, type Appointment } from '@gomomo/core';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installQueue } from '../../src/queue/install.js';
import { jobsOf, makeHarness, outboxOf, runDueJobs, type Harness } from '../helpers.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await installQueue(db.pool);
});
afterAll(async () => db?.drop());

async function earlyTenant(): Promise<{ id: string; serviceId: string }> {
  const tenant = await createTenant(db.pool, {
    ...demoTenantInput,
    slug: `early-${Math.random().toString(36).slice(2, 10)}`,
    hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '06:00', closes: '17:00' })),
  });
  const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM services WHERE tenant_id = $1 ORDER BY name LIMIT 1', [tenant.id]);
  return { id: tenant.id, serviceId: rows[0]!.id };
}

const phone = '+15550104242';

async function bookAt(h: Harness, tenant: { id: string; serviceId: string }, start: string): Promise<Appointment> {
  const sessionId = `s-${Math.random().toString(36).slice(2)}`;
  const hold = await h.engine.hold({ tenantId: tenant.id, serviceId: tenant.serviceId, start, sessionId });
  return h.engine.confirm({ tenantId: tenant.id, holdId: hold.id, sessionId, client: { name: 'Ana', phone } });
}

function senderOf(h: Harness) {
  const sent: OutboundMessage[] = [];
  const sender = createOutboxSender({
    pool: db.pool,
    clock: h.clock,
    transports: { email: createLogTransport({ channel: 'email' }), sms: createLogTransport({ channel: 'sms', onMessage: (m) => sent.push(m) }) },
  });
  return { sender, sent };
}

/** Runs the reminder job of this offset as the worker would when it comes due. */
async function runReminder(h: Harness, appointment: Appointment, offset: string): Promise<void> {
  const job = (await jobsOf(db.pool)).find((j) => j.key === `reminder:${appointment.id}:${offset}`);
  expect(job, `reminder job ${offset}`).toBeDefined();
  await h.tasks.send_reminder!(job!.payload, {} as never);
}

async function rowsOf(tenantId: string, template: string) {
  return (await outboxOf(db.pool, tenantId)).filter((r) => r.template === template);
}

describe('regression: reminders after a cancel or reschedule, and after the start', () => {
  it('drops a 07:00 appointment\'s 2 h reminder that quiet hours would hold until 08:00, after the start', async () => {
    const h = makeHarness(db.pool);
    const tenant = await earlyTenant();
    const appointment = await bookAt(h, tenant, '2026-12-03T07:00:00-05:00');
    await runDueJobs(db.pool, h.tasks);
    const { sender, sent } = senderOf(h);
    await sender.drain();
    expect(sent.map((m) => m.template)).toEqual(['confirmation']);

    h.clock.set('2026-12-03T05:00:00-05:00');
    await runReminder(h, appointment, '2h');
    const result = await sender.drain();
    const [reminder] = await rowsOf(tenant.id, 'reminder');
    expect(result).toMatchObject({ obsolete: 1, sent: 0, held: 0 });
    expect(reminder!.status).toBe('obsolete');
    expect(sent.map((m) => m.template)).toEqual(['confirmation']);
  });

  it('does not send a held reminder after the customer cancelled', async () => {
    const h = makeHarness(db.pool);
    const tenant = await earlyTenant();
    const appointment = await bookAt(h, tenant, '2026-12-03T09:00:00-05:00');
    await runDueJobs(db.pool, h.tasks);
    const { sender, sent } = senderOf(h);
    await sender.drain();

    h.clock.set('2026-12-03T07:00:00-05:00');
    await runReminder(h, appointment, '2h');
    expect(await sender.drain()).toMatchObject({ held: 1 });
    h.clock.set('2026-12-03T07:30:00-05:00');
    await h.engine.cancel({ tenantId: tenant.id, reference: appointment.reference, verify: { phone } });
    await runDueJobs(db.pool, h.tasks);
    h.clock.set('2026-12-03T08:00:00-05:00');
    await sender.drain();

    const [reminder] = await rowsOf(tenant.id, 'reminder');
    expect(reminder!.status).toBe('obsolete');
    expect(sent.map((m) => m.template)).toEqual(['confirmation', 'cancellation']);
  });

  it('does not send a held reminder with the old time after a reschedule; the new time gets its own', async () => {
    const h = makeHarness(db.pool);
    const tenant = await earlyTenant();
    const appointment = await bookAt(h, tenant, '2026-12-03T09:00:00-05:00');
    await runDueJobs(db.pool, h.tasks);
    const { sender, sent } = senderOf(h);
    await sender.drain();

    h.clock.set('2026-12-03T07:00:00-05:00');
    await runReminder(h, appointment, '2h');
    expect(await sender.drain()).toMatchObject({ held: 1 });
    h.clock.set('2026-12-03T07:30:00-05:00');
    const moved = await h.engine.reschedule({ tenantId: tenant.id, reference: appointment.reference, verify: { phone }, newStart: '2026-12-03T11:00:00-05:00' });
    await runDueJobs(db.pool, h.tasks);
    h.clock.set('2026-12-03T08:00:00-05:00');
    await sender.drain();
    expect((await rowsOf(tenant.id, 'reminder')).map((r) => r.status)).toEqual(['obsolete']);

    h.clock.set('2026-12-03T09:00:00-05:00');
    await runReminder(h, moved, '2h');
    await sender.drain();
    expect((await rowsOf(tenant.id, 'reminder')).map((r) => r.status)).toEqual(['obsolete', 'sent']);
    expect(sent.map((m) => m.template)).toEqual(['confirmation', 'reschedule', 'reminder']);
    expect(sent.at(-1)!.body).toContain('11:00');
  });

  it('does not send a confirmation that was still queued when the booking was cancelled', async () => {
    const h = makeHarness(db.pool);
    const tenant = await earlyTenant();
    const appointment = await bookAt(h, tenant, '2026-12-03T09:00:00-05:00');
    await runDueJobs(db.pool, h.tasks);
    await h.engine.cancel({ tenantId: tenant.id, reference: appointment.reference, verify: { phone } });
    await runDueJobs(db.pool, h.tasks);
    const { sender, sent } = senderOf(h);
    await sender.drain();
    expect((await rowsOf(tenant.id, 'confirmation')).map((r) => r.status)).toEqual(['obsolete']);
    expect(sent.map((m) => m.template)).toEqual(['cancellation']);
  });
});

describe('regression: reschedule notices deduplicated by start time', () => {
  it('sends a notice for each move A → B → A → B, the last naming B', async () => {
    const h = makeHarness(db.pool);
    const tenant = await earlyTenant();
    const appointment = await bookAt(h, tenant, '2026-12-03T09:00:00-05:00');
    await runDueJobs(db.pool, h.tasks);
    const { sender, sent } = senderOf(h);
    await sender.drain();
    const moves = ['2026-12-04T10:00:00-05:00', '2026-12-03T09:00:00-05:00', '2026-12-04T10:00:00-05:00'];
    for (const newStart of moves) {
      await h.engine.reschedule({ tenantId: tenant.id, reference: appointment.reference, verify: { phone }, newStart });
      await runDueJobs(db.pool, h.tasks);
      await sender.drain();
    }
    const notices = sent.filter((m) => m.template === 'reschedule');
    expect(notices).toHaveLength(3);
    expect(notices.at(-1)!.body).toMatch(/Fri|Dec 4|4 Dec|12\/4/);
  });

  it('sends one notice, with the final time, when the moves came faster than the notices', async () => {
    const h = makeHarness(db.pool);
    const tenant = await earlyTenant();
    const appointment = await bookAt(h, tenant, '2026-12-03T09:00:00-05:00');
    await runDueJobs(db.pool, h.tasks);
    const { sender, sent } = senderOf(h);
    await sender.drain();
    for (const newStart of ['2026-12-04T10:00:00-05:00', '2026-12-03T09:00:00-05:00', '2026-12-04T10:00:00-05:00']) {
      await h.engine.reschedule({ tenantId: tenant.id, reference: appointment.reference, verify: { phone }, newStart });
    }
    await runDueJobs(db.pool, h.tasks);
    await sender.drain();
    const notices = sent.filter((m) => m.template === 'reschedule');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body).toMatch(/Fri|Dec 4|4 Dec|12\/4/);
  });
});

describe('regression: an evening offer is held for quiet hours past its hold', () => {
  it('gives the offer messages their hold\'s expiry as the deadline', async () => {
    const h = makeHarness(db.pool);
    const tenant = await earlyTenant();
    const appointment = await bookAt(h, tenant, '2026-12-03T09:00:00-05:00');
    await h.engine.joinWaitlist({
      tenantId: tenant.id, serviceId: tenant.serviceId, windowStart: '2026-12-01', windowEnd: '2026-12-10',
      client: { name: 'Bea', email: 'bea@example.com', phone: '+15550105051' }, sessionId: 'sess-bea',
    });
    await runDueJobs(db.pool, h.tasks);
    await h.engine.cancel({ tenantId: tenant.id, reference: appointment.reference, verify: { staff: true } });
    await runDueJobs(db.pool, h.tasks);
    const { rows } = await db.pool.query<{ channel: string; sendBefore: Date | null; expiresAt: Date }>(
      `SELECT o.channel, o.send_before AS "sendBefore", h.expires_at AS "expiresAt"
         FROM notification_outbox o JOIN waitlist_offers w ON w.tenant_id = o.tenant_id JOIN holds h ON h.id = w.hold_id
        WHERE o.tenant_id = $1 AND o.template = 'waitlist_offer' ORDER BY o.channel`,
      [tenant.id],
    );
    expect(rows.map((row) => row.channel)).toEqual(['email', 'sms']);
    for (const row of rows) expect(row.sendBefore?.toISOString()).toBe(row.expiresAt.toISOString());
  });
});
