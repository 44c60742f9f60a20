import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installQueue } from '../src/queue/install.js';
import { auditOf, book, makeHarness, makeTenant, outboxOf, runDueJobs } from './helpers.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await installQueue(db.pool);
});
afterAll(async () => db?.drop());

describe('offer_waitlist_slot', () => {
  it('offers an opened slot to the first matching entry: its own hold, SMS and email rows, and waitlist.offered for push', async () => {
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool);
    const appointment = await book(h.engine, tenant, { name: 'Ana', email: 'ana@example.com' });
    const first = await h.engine.joinWaitlist({
      tenantId: tenant.id,
      serviceId: tenant.serviceId,
      windowStart: '2026-12-01',
      windowEnd: '2026-12-10',
      client: { name: 'Bea', email: 'bea@example.com', phone: '+15550105050' },
      sessionId: 'sess-bea',
    });
    h.clock.advance(1000);
    await h.engine.joinWaitlist({ tenantId: tenant.id, serviceId: tenant.serviceId, windowStart: '2026-12-01', windowEnd: '2026-12-10', client: { name: 'Cy', email: 'cy@example.com' }, sessionId: 'sess-cy' });
    await runDueJobs(db.pool, h.tasks);

    await h.engine.cancel({ tenantId: tenant.id, reference: appointment.reference, verify: { staff: true } });
    await runDueJobs(db.pool, h.tasks);

    const { rows: offers } = await db.pool.query<{ entryId: string; holdId: string; slotStart: Date }>(
      'SELECT waitlist_entry_id AS "entryId", hold_id AS "holdId", slot_start AS "slotStart" FROM waitlist_offers WHERE tenant_id = $1',
      [tenant.id],
    );
    expect(offers).toHaveLength(1);
    expect(offers[0]!.entryId).toBe(first.id);
    expect(offers[0]!.slotStart.toISOString()).toBe(new Date(appointment.start).toISOString());
    const { rows: holds } = await db.pool.query('SELECT session_id AS "sessionId", status FROM holds WHERE id = $1', [offers[0]!.holdId]);
    const { rows: threads } = await db.pool.query('SELECT session_id AS "sessionId" FROM sms_conversations WHERE tenant_id = $1 AND phone = $2', [tenant.id, '+15550105050']);
    expect(holds).toEqual([{ sessionId: threads[0]!.sessionId, status: 'active' }]);
    const { rows: entries } = await db.pool.query('SELECT session_id AS "sessionId", status FROM waitlist_entries WHERE tenant_id = $1 ORDER BY created_at', [tenant.id]);
    expect(entries).toEqual([
      { sessionId: 'sess-bea', status: 'offered' },
      { sessionId: 'sess-cy', status: 'waiting' },
    ]);

    const outbox = (await outboxOf(db.pool, tenant.id)).filter((r) => r.template === 'waitlist_offer');
    expect(outbox.map((r) => [r.channel, r.recipient])).toEqual([
      ['email', 'bea@example.com'],
      ['sms', '+15550105050'],
    ]);
    const { rows: flags } = await db.pool.query(`SELECT DISTINCT is_transactional AS "isTransactional" FROM notification_outbox WHERE tenant_id = $1 AND template = 'waitlist_offer'`, [tenant.id]);
    expect(flags).toEqual([{ isTransactional: false }]);

    const { rows: pushed } = await db.pool.query<{ sessionId: string; subjectId: string; payload: Record<string, unknown> }>(
      `SELECT session_id AS "sessionId", subject_id AS "subjectId", payload FROM domain_events WHERE tenant_id = $1 AND type = 'waitlist.offered'`,
      [tenant.id],
    );
    expect(pushed).toHaveLength(1);
    expect(pushed[0]).toMatchObject({ sessionId: 'sess-bea', subjectId: first.id, payload: { holdId: offers[0]!.holdId, waitlistEntryId: first.id } });
    expect(JSON.stringify(pushed[0]!.payload)).not.toContain('bea@example.com');

    const audit = (await auditOf(db.pool, tenant.id)).filter((a) => a.tool === 'offer_waitlist_slot' && a.outcome === 'allowed');
    expect(audit.map((a) => a.action)).toEqual(['waitlist.offer', 'notify.push', 'notify.email', 'notify.sms']);
    // The waitlist.offered event has nothing more to do: it never became a job (migration 0180).
    const { rows: receipts } = await db.pool.query(
      `SELECT r.outcome FROM autonomy_event_receipts r JOIN domain_events e ON e.id = r.event_id WHERE e.tenant_id = $1 AND e.type = 'waitlist.offered'`,
      [tenant.id],
    );
    expect(receipts).toEqual([]);
    const { rows: offeredJobs } = await db.pool.query(
      `SELECT 1 FROM graphile_worker._private_jobs j JOIN domain_events e ON j.key = 'domain_event:' || e.id WHERE e.tenant_id = $1 AND e.type = 'waitlist.offered'`,
      [tenant.id],
    );
    expect(offeredJobs).toEqual([]);
  });

  it('offers nothing when no entry matches the opened slot', async () => {
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool);
    const appointment = await book(h.engine, tenant, { name: 'Dee', email: 'dee@example.com' });
    await runDueJobs(db.pool, h.tasks);
    await h.engine.joinWaitlist({ tenantId: tenant.id, serviceId: tenant.serviceId, windowStart: '2026-12-20', windowEnd: '2026-12-22', client: { name: 'Eve', email: 'eve@example.com' } });
    await h.engine.cancel({ tenantId: tenant.id, reference: appointment.reference, verify: { staff: true } });
    await runDueJobs(db.pool, h.tasks);
    expect((await outboxOf(db.pool, tenant.id)).map((r) => r.template)).toEqual(['confirmation', 'cancellation']);
    const { rows } = await db.pool.query('SELECT 1 FROM waitlist_offers WHERE tenant_id = $1', [tenant.id]);
    expect(rows).toEqual([]);
  });
});
