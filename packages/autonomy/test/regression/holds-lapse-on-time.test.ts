// Issue 14, item 3: lapsed holds are swept every minute (graphile-worker cron), each emitting one
// hold.expired; the follow-up goes out only when the conversation did not book since the hold.
// Manual clock for everything the sweep and the follow-up decide.
import { createLogTransport, createOutboxSender, type OutboundMessage } from '@gomomo/channels';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installQueue } from '../../src/queue/install.js';
import { holdSweepCron, startJobRunner } from '../../src/queue/runner.js';
import { jobsOf, makeHarness, makeTenant, outboxOf, runDueJobs, type Harness } from '../helpers.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await installQueue(db.pool);
});
afterAll(async () => db?.drop());

async function slotsOn(h: Harness, tenant: { id: string; serviceId: string }, day: string): Promise<string[]> {
  const availability = await h.engine.getAvailability({ tenantId: tenant.id, serviceId: tenant.serviceId, from: day, to: day });
  return availability.slots.map((slot) => slot.start);
}

async function expiredEvents(tenantId: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ subjectId: string }>(`SELECT subject_id AS "subjectId" FROM domain_events WHERE tenant_id = $1 AND type = 'hold.expired' ORDER BY id`, [tenantId]);
  return rows.map((row) => row.subjectId);
}

async function followupJobsFor(holdId: string) {
  return (await jobsOf(db.pool)).filter((job) => job.task === 'hold_followup' && job.payload.holdId === holdId);
}

describe('regression: nothing sweeps lapsed holds', () => {
  it('schedules the sweep every minute with the runner, once across processes', async () => {
    expect(holdSweepCron).toMatchObject({ task: 'expire_holds', match: '* * * * *', identifier: 'gomomo_expire_holds' });
    const runner = await startJobRunner({ pool: db.pool, tasks: { expire_holds: async () => undefined }, concurrency: 1, jobTimeoutMs: 5000, cron: [holdSweepCron] });
    try {
      const { rows } = await db.pool.query<{ identifier: string }>('SELECT identifier FROM graphile_worker._private_known_crontabs');
      expect(rows.map((row) => row.identifier)).toContain('gomomo_expire_holds');
    } finally {
      await runner.stop();
    }
  });

  it('expires a lapsed hold on the next sweep with exactly one hold.expired, and leaves live holds alone', async () => {
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool);
    const [first, second] = await slotsOn(h, tenant, '2026-12-03');
    const short = await h.engine.hold({ tenantId: tenant.id, serviceId: tenant.serviceId, start: first!, sessionId: 'sweep-short', ttlSeconds: 60 });
    const long = await h.engine.hold({ tenantId: tenant.id, serviceId: tenant.serviceId, start: second!, sessionId: 'sweep-long', ttlSeconds: 600 });
    await h.tasks.expire_holds!({}, {} as never);
    expect(await expiredEvents(tenant.id)).toEqual([]);

    h.clock.advance(61_000);
    // Two sweeps at once (two processes, or a slow one and the next minute's): one event per hold.
    await Promise.all([h.tasks.expire_holds!({}, {} as never), h.tasks.expire_holds!({}, {} as never)]);
    await h.tasks.expire_holds!({}, {} as never);
    expect(await expiredEvents(tenant.id)).toEqual([short.id]);
    const { rows } = await db.pool.query<{ id: string; status: string }>('SELECT id, status FROM holds WHERE id = ANY($1::uuid[])', [[short.id, long.id]]);
    expect(Object.fromEntries(rows.map((row) => [row.id, row.status]))).toEqual({ [short.id]: 'expired', [long.id]: 'active' });

    // The event then sets the follow-up in motion, once.
    await runDueJobs(db.pool, h.tasks);
    expect(await followupJobsFor(short.id)).toHaveLength(1);
  });
});

describe('regression: a hold follow-up goes out though the same conversation booked another slot', () => {
  it('sends no follow-up when the conversation booked another slot after taking the hold', async () => {
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool);
    // The lapsed hold is for a slot two weeks out; the booking is for one the day after tomorrow.
    const [far] = await slotsOn(h, tenant, '2026-12-15');
    const [near] = await slotsOn(h, tenant, '2026-12-03');
    const lapsed = await h.engine.hold({ tenantId: tenant.id, serviceId: tenant.serviceId, start: far!, sessionId: 'sess-booked', ttlSeconds: 60 });
    h.clock.advance(5_000);
    const taken = await h.engine.hold({ tenantId: tenant.id, serviceId: tenant.serviceId, start: near!, sessionId: 'sess-booked' });
    await h.engine.confirm({ tenantId: tenant.id, holdId: taken.id, sessionId: 'sess-booked', client: { name: 'Ida', email: 'ida@example.com', phone: '+15550108080' } });
    h.clock.advance(61_000);
    await h.tasks.expire_holds!({}, {} as never);
    await runDueJobs(db.pool, h.tasks);
    const [job] = await followupJobsFor(lapsed.id);
    h.clock.advance(30 * 60_000);
    await h.tasks.hold_followup!(job!.payload, {} as never);
    expect((await outboxOf(db.pool, tenant.id)).filter((row) => row.template === 'hold_followup')).toEqual([]);
  });

  it('still follows up a conversation that did not book, with the slot start as its deadline', async () => {
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool);
    const [far] = await slotsOn(h, tenant, '2026-12-15');
    const lapsed = await h.engine.hold({ tenantId: tenant.id, serviceId: tenant.serviceId, start: far!, sessionId: 'sess-left', ttlSeconds: 60 });
    await db.pool.query(
      `INSERT INTO waitlist_entries (tenant_id, service_id, window_start, window_end, client_name, client_email, session_id)
       VALUES ($1, $2, now(), now() + interval '1 day', 'Jo', 'jo@example.com', 'sess-left')`,
      [tenant.id, tenant.serviceId],
    );
    h.clock.advance(61_000);
    await h.tasks.expire_holds!({}, {} as never);
    await runDueJobs(db.pool, h.tasks);
    const [job] = await followupJobsFor(lapsed.id);
    await h.tasks.hold_followup!(job!.payload, {} as never);
    const { rows } = await db.pool.query<{ sendBefore: Date }>(`SELECT send_before AS "sendBefore" FROM notification_outbox WHERE tenant_id = $1 AND template = 'hold_followup'`, [tenant.id]);
    expect(rows.map((row) => row.sendBefore.toISOString())).toEqual([new Date(lapsed.start).toISOString()]);
  });

  it('drops a follow-up held for quiet hours when the conversation books before the window opens', async () => {
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool);
    const [far, other] = await slotsOn(h, tenant, '2026-12-15');
    h.clock.set('2026-12-02T03:00:00Z'); // 22:00 in New York
    const lapsed = await h.engine.hold({ tenantId: tenant.id, serviceId: tenant.serviceId, start: far!, sessionId: 'sess-night', ttlSeconds: 60 });
    await db.pool.query(
      `INSERT INTO waitlist_entries (tenant_id, service_id, window_start, window_end, client_name, client_phone, session_id)
       VALUES ($1, $2, now(), now() + interval '1 day', 'Kai', '+15550108181', 'sess-night')`,
      [tenant.id, tenant.serviceId],
    );
    h.clock.advance(61_000);
    await h.tasks.expire_holds!({}, {} as never);
    await runDueJobs(db.pool, h.tasks);
    const [job] = await followupJobsFor(lapsed.id);
    h.clock.advance(30 * 60_000);
    await h.tasks.hold_followup!(job!.payload, {} as never);
    const sent: OutboundMessage[] = [];
    const sender = createOutboxSender({ pool: db.pool, clock: h.clock, transports: { email: createLogTransport({ channel: 'email' }), sms: createLogTransport({ channel: 'sms', onMessage: (m) => sent.push(m) }) } });
    expect(await sender.drain()).toMatchObject({ held: 1 });

    h.clock.set('2026-12-02T12:00:00Z'); // 07:00: the customer comes back and books
    const again = await h.engine.hold({ tenantId: tenant.id, serviceId: tenant.serviceId, start: other!, sessionId: 'sess-night' });
    await h.engine.confirm({ tenantId: tenant.id, holdId: again.id, sessionId: 'sess-night', client: { name: 'Kai', phone: '+15550108181' } });
    h.clock.set('2026-12-02T13:00:00Z'); // 08:00: the window opens
    await sender.drain();
    const followups = (await outboxOf(db.pool, tenant.id)).filter((row) => row.template === 'hold_followup');
    expect(followups.map((row) => row.status)).toEqual(['obsolete']);
    expect(sent.filter((m) => m.template === 'hold_followup')).toEqual([]);
  });
});
