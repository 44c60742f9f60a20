// Every orchestrator tool call is authorised by @gomomo/policy and lands in its hash-chained audit log.
import { verifyAuditChain } from '@gomomo/policy';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installQueue } from '../src/queue/install.js';
import { actionsOf, auditOf, book, makeHarness, makeTenant, outboxOf, runDueJobs } from './helpers.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await installQueue(db.pool);
});
afterAll(async () => db?.drop());

describe('policy gating of orchestrator tools', () => {
  it('audits each allowed message as allowed, then succeeded once its transaction committed', async () => {
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool);
    const appointment = await book(h.engine, tenant, { name: 'Ana', email: 'ana@example.com', phone: '+15550101010' });
    await runDueJobs(db.pool, h.tasks);
    const audit = await auditOf(db.pool, tenant.id);
    expect(audit.map((a) => `${a.tool}/${a.action}/${a.outcome}`)).toEqual([
      'send_confirmation/notify.email/allowed',
      'send_confirmation/notify.sms/allowed',
      'schedule_reminders/reminder.schedule/allowed',
      'send_confirmation/notify.email/succeeded',
      'send_confirmation/notify.sms/succeeded',
      'schedule_reminders/reminder.schedule/succeeded',
    ]);
    // One message is one subject: the outbox idempotency key links the audit row to the outbox row.
    expect(audit[0]!.subjectId).toBe(`${appointment.id}:confirmation:email`);
    expect(audit[0]!.ruleId).toBe('builtin:autonomous-system');
    expect((await verifyAuditChain(db.pool, tenant.id)).ok).toBe(true);
  });

  it.each([
    ['notify.email', ['sms'], ['notify.email']],
    ['notify.sms', ['email'], ['notify.sms']],
    ['notify', [], ['notify.email', 'notify.sms']],
    ['*', [], ['notify.email', 'notify.sms', 'reminder.schedule']],
  ])('a kill switch on "%s" sends nothing on what it covers and audits that as denied', async (family, sent, denied) => {
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool);
    await h.policy.setKillSwitch(tenant.id, family, { enabled: true, by: 'staff:test', reason: 'carrier incident' });
    await book(h.engine, tenant, { name: 'Ed', email: 'ed@example.com', phone: '+15550101011' });
    await runDueJobs(db.pool, h.tasks);
    expect((await outboxOf(db.pool, tenant.id)).map((r) => r.channel)).toEqual(sent);
    const audit = await auditOf(db.pool, tenant.id);
    const deniedRows = audit.filter((a) => a.outcome === 'denied');
    expect(deniedRows.map((a) => a.action)).toEqual(denied);
    for (const row of deniedRows) expect(row).toMatchObject({ ruleId: `kill-switch:${family}` });
    expect(deniedRows[0]!.reason).toContain('carrier incident');
    const recorded = (await actionsOf(db.pool, tenant.id)).filter((a) => a.decision === 'denied');
    expect(recorded.map((a) => a.action)).toEqual(denied);
  });

  it('denies everything and audits it when AUTONOMY_ENABLED is off', async () => {
    const h = makeHarness(db.pool, { config: { enabled: false } });
    const tenant = await makeTenant(db.pool);
    await book(h.engine, tenant, { name: 'Flo', email: 'flo@example.com' });
    await runDueJobs(db.pool, h.tasks);
    expect(await outboxOf(db.pool, tenant.id)).toEqual([]);
    const audit = await auditOf(db.pool, tenant.id);
    expect(audit.map((a) => [a.action, a.outcome, a.ruleId])).toEqual([
      ['notify.email', 'denied', 'guard:autonomy-enabled'],
      ['reminder.schedule', 'denied', 'guard:autonomy-enabled'],
    ]);
  });

  it('audits a rolled-back tool call as failed, so the log never claims work that did not happen', async () => {
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool);
    const appointment = await book(h.engine, tenant, { name: 'Gus', email: 'gus@example.com' });
    await db.pool.query(`DELETE FROM graphile_worker._private_jobs WHERE task_id IN (SELECT id FROM graphile_worker._private_tasks WHERE identifier = 'domain_event')`);
    // The notification goes out, then the reminder scheduling fails: the whole transaction rolls back.
    const { runToolWork } = await import('../src/handlers/tasks.js');
    const { callTool } = await import('../src/tools/registry.js');
    await expect(
      runToolWork(h.ctx, { tenantId: tenant.id }, async (call) => {
        await callTool(h.ctx, call, { name: 'send_confirmation', args: { appointmentId: appointment.id } });
        throw new Error('database went away');
      }),
    ).rejects.toThrow('database went away');
    expect(await outboxOf(db.pool, tenant.id)).toEqual([]);
    const audit = await auditOf(db.pool, tenant.id);
    expect(audit.map((a) => [a.action, a.outcome])).toEqual([
      ['notify.email', 'allowed'],
      ['notify.email', 'failed'],
    ]);
    expect(audit[1]!.reason).toContain('database went away');
  });
});

describe('follow-up limits', () => {
  it('stops a second hold follow-up to the same client within the cooldown, and audits the denial', async () => {
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool);
    const availability = await h.engine.getAvailability({ tenantId: tenant.id, serviceId: tenant.serviceId, from: '2026-12-03', to: '2026-12-03' });
    const holds = [];
    for (const [index, session] of ['sess-kim-1', 'sess-kim-2'].entries()) {
      holds.push(await h.engine.hold({ tenantId: tenant.id, serviceId: tenant.serviceId, start: availability.slots[index * 2]!.start, sessionId: session }));
      await db.pool.query(
        `INSERT INTO waitlist_entries (tenant_id, service_id, window_start, window_end, client_name, client_email, session_id)
         VALUES ($1, $2, now(), now() + interval '1 day', 'Kim', 'Kim@Example.com', $3)`,
        [tenant.id, tenant.serviceId, session],
      );
    }
    await h.tasks.hold_followup!({ tenantId: tenant.id, holdId: holds[0]!.id }, {} as never);
    h.clock.advance(10 * 60_000);
    await h.tasks.hold_followup!({ tenantId: tenant.id, holdId: holds[1]!.id }, {} as never);
    expect((await outboxOf(db.pool, tenant.id)).map((r) => [r.template, r.recipient])).toEqual([['hold_followup', 'kim@example.com']]);
    const followups = (await auditOf(db.pool, tenant.id)).filter((a) => a.action === 'followup.send' && a.outcome !== 'succeeded');
    expect(followups.map((a) => [a.subjectId, a.outcome, a.ruleId])).toEqual([
      [holds[0]!.id, 'allowed', 'builtin:autonomous-system'],
      [holds[1]!.id, 'denied', 'guard:followup-cooldown'],
    ]);
  });

  it('lets a follow-up through again once the cooldown has passed', async () => {
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool);
    await h.policy.setFollowUpLimits(tenant.id, { maxPerClientPerDay: 5, maxPerBooking: 5, cooldownMinutes: 30, actions: ['followup.send', 'waitlist.offer'] }, { by: 'staff:test' });
    const availability = await h.engine.getAvailability({ tenantId: tenant.id, serviceId: tenant.serviceId, from: '2026-12-03', to: '2026-12-03' });
    const sent: string[] = [];
    for (const [index, session] of ['sess-lu-1', 'sess-lu-2'].entries()) {
      const hold = await h.engine.hold({ tenantId: tenant.id, serviceId: tenant.serviceId, start: availability.slots[index * 2]!.start, sessionId: session });
      await db.pool.query(
        `INSERT INTO waitlist_entries (tenant_id, service_id, window_start, window_end, client_name, client_phone, session_id)
         VALUES ($1, $2, now(), now() + interval '1 day', 'Lu', '+15550104040', $3)`,
        [tenant.id, tenant.serviceId, session],
      );
      await h.tasks.hold_followup!({ tenantId: tenant.id, holdId: hold.id }, {} as never);
      sent.push(...(await outboxOf(db.pool, tenant.id)).map((r) => r.idempotencyKey));
      h.clock.advance(31 * 60_000);
    }
    expect(new Set(sent)).toEqual(new Set(['session:sess-lu-1:hold_followup:sms', 'session:sess-lu-2:hold_followup:sms']));
  });
});
