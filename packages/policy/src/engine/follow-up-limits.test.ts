import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '@gomomo/core';
import { createTestDatabase, ManualClock, type TestDatabase } from '@gomomo/core/testing';
import { createTestTenant } from '../../test/helpers.js';
import type { PolicyContext } from '../types.js';
import { createPolicyEngine, type PolicyEngine } from './policy-engine.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ max: 12 });
});
afterAll(async () => {
  await db.drop();
});

const hour = 3_600_000;

async function setup(limits: { maxPerClientPerDay?: number; maxPerBooking?: number; cooldownMinutes?: number } = {}): Promise<{ tenant: Tenant; clock: ManualClock; engine: PolicyEngine }> {
  const tenant = await createTestTenant(db.pool);
  const clock = new ManualClock('2026-12-01T14:00:00Z'); // 09:00 in New York
  const engine = createPolicyEngine({ pool: db.pool, clock });
  await engine.setFollowUpLimits(
    tenant.id,
    { maxPerClientPerDay: 2, maxPerBooking: 3, cooldownMinutes: 60, actions: ['notify.sms', 'notify.email', 'followup.send'], ...limits },
    { by: 'staff:1' },
  );
  return { tenant, clock, engine };
}

function followUp(tenant: Tenant, subject: PolicyContext['subject']): PolicyContext {
  return { tenantId: tenant.id, actor: 'autonomous', channel: 'system', subject };
}

describe('follow-up limits', () => {
  it('caps autonomous follow-ups per client per calendar day in the tenant zone', async () => {
    const { tenant, clock, engine } = await setup();
    const client = { clientKey: '+15551234567' };
    expect((await engine.evaluate('notify.sms', followUp(tenant, client))).allowed).toBe(true);
    clock.advance(2 * hour);
    expect((await engine.evaluate('notify.email', followUp(tenant, client))).allowed).toBe(true);
    clock.advance(2 * hour);
    const third = await engine.evaluate('followup.send', followUp(tenant, client));
    expect(third).toMatchObject({ allowed: false, ruleId: 'guard:followup-per-day', ruleVersion: 1 });
    expect(third.reason).toContain('limit 2 per day');
    clock.set('2026-12-02T02:00:00Z'); // already Dec 2 in UTC, still Dec 1 (21:00) in New York
    expect((await engine.evaluate('notify.sms', followUp(tenant, client))).ruleId).toBe('guard:followup-per-day');
    clock.set('2026-12-02T05:30:00Z'); // 00:30 on Dec 2 in New York: a new day
    expect((await engine.evaluate('notify.sms', followUp(tenant, client))).allowed).toBe(true);
  });

  it('caps autonomous follow-ups per booking over its whole life', async () => {
    const { tenant, clock, engine } = await setup({ maxPerClientPerDay: 10, maxPerBooking: 2 });
    const booking = { bookingId: 'b-42' };
    for (let i = 0; i < 2; i++) {
      expect((await engine.evaluate('notify.sms', followUp(tenant, booking))).allowed).toBe(true);
      clock.advance(24 * hour);
    }
    expect(await engine.evaluate('notify.sms', followUp(tenant, booking))).toMatchObject({ allowed: false, ruleId: 'guard:followup-per-booking' });
    expect((await engine.evaluate('notify.sms', followUp(tenant, { bookingId: 'b-43' }))).allowed).toBe(true);
  });

  it('enforces a cooldown between two follow-ups to the same client', async () => {
    const { tenant, clock, engine } = await setup({ maxPerClientPerDay: 10, cooldownMinutes: 90 });
    const client = { clientKey: 'ann@example.com' };
    expect((await engine.evaluate('notify.email', followUp(tenant, client))).allowed).toBe(true);
    clock.advance(89 * 60_000);
    const early = await engine.evaluate('notify.sms', followUp(tenant, { clientKey: 'ANN@example.com ' }));
    expect(early).toMatchObject({ allowed: false, ruleId: 'guard:followup-cooldown' });
    expect(early.reason).toContain('89 min ago; the cooldown is 90 min');
    clock.advance(60_000);
    expect((await engine.evaluate('notify.sms', followUp(tenant, client))).allowed).toBe(true);
  });

  it('does not count denied decisions, other clients, or actions outside the limited list', async () => {
    const { tenant, clock, engine } = await setup({ maxPerClientPerDay: 1, cooldownMinutes: 0 });
    await engine.setKillSwitch(tenant.id, 'notify.sms', { enabled: true, by: 'staff:1' });
    expect((await engine.evaluate('notify.sms', followUp(tenant, { clientKey: 'a@x.co' }))).allowed).toBe(false);
    expect((await engine.evaluate('calendar.sync', followUp(tenant, { clientKey: 'a@x.co' }))).allowed).toBe(true);
    expect((await engine.evaluate('notify.email', followUp(tenant, { clientKey: 'b@x.co' }))).allowed).toBe(true);
    clock.advance(hour);
    expect((await engine.evaluate('notify.email', followUp(tenant, { clientKey: 'a@x.co' }))).allowed).toBe(true);
  });

  it('denies a limited follow-up that names no client or booking', async () => {
    const { tenant, engine } = await setup();
    expect(await engine.evaluate('notify.sms', followUp(tenant, undefined))).toMatchObject({ allowed: false, ruleId: 'guard:followup-subject' });
  });

  it('lets only the allowance through when many evaluations race for it', async () => {
    const { tenant, engine } = await setup({ maxPerClientPerDay: 3, cooldownMinutes: 0 });
    const decisions = await Promise.all(Array.from({ length: 10 }, () => engine.evaluate('notify.sms', followUp(tenant, { clientKey: 'race@x.co' }))));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(3);
  });

  it('uses the built-in defaults until a tenant sets its own', async () => {
    const tenant = await createTestTenant(db.pool);
    const engine = createPolicyEngine({ pool: db.pool, clock: new ManualClock('2026-12-01T14:00:00Z') });
    expect((await engine.evaluate('followup.send', followUp(tenant, { clientKey: 'd@x.co' }))).allowed).toBe(true);
    expect(await engine.evaluate('waitlist.offer', followUp(tenant, { clientKey: 'd@x.co' }))).toMatchObject({ allowed: false, ruleId: 'guard:followup-cooldown', ruleVersion: null });
  });

  it('does not count transactional notices as follow-ups by default', async () => {
    const tenant = await createTestTenant(db.pool);
    const engine = createPolicyEngine({ pool: db.pool, clock: new ManualClock('2026-12-01T14:00:00Z') });
    // A confirmation goes out by email and SMS within the same second; neither is a follow-up.
    for (const action of ['notify.email', 'notify.sms', 'notify.email', 'notify.sms']) {
      expect((await engine.evaluate(action, followUp(tenant, { clientKey: 'e@x.co' }))).allowed).toBe(true);
    }
  });
});
