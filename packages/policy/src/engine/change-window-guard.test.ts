import { decideChangeWindow, type Tenant } from '@gomomo/core';
import { createTestDatabase, ManualClock, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant } from '../../test/helpers.js';
import { queryAudit } from '../audit/query.js';
import { createPolicyEngine, type PolicyEngine } from './policy-engine.js';

let db: TestDatabase;
let engine: PolicyEngine;
let tenant: Tenant;
const now = new Date('2026-12-01T15:00:00Z');

beforeAll(async () => {
  db = await createTestDatabase();
  engine = createPolicyEngine({ pool: db.pool, clock: new ManualClock(now) });
  tenant = await createTestTenant(db.pool);
});
afterAll(async () => {
  await db.drop();
});

// The decision comes from core's one computation; the policy only reads it.
const windowFor = (start: string, deadlineHours: number) => decideChangeWindow({ reference: 'GM-ABCDE', start: new Date(start), deadlineHours, now });

describe('change-window guard', () => {
  it.each([
    ['booking.cancel', '2026-12-01T14:00:00Z', 0, 'guard:appointment-started', /started at 2026-12-01T14:00Z; it can no longer be cancelled or moved/],
    ['booking.reschedule', '2026-12-01T14:00:00Z', 0, 'guard:appointment-started', /started at/],
    ['booking.cancel', '2026-12-02T09:00:00Z', 24, 'guard:change-deadline', /within 24 hours of its start \(the deadline was 2026-12-01T09:00Z\)/],
    ['booking.reschedule', '2026-12-02T09:00:00Z', 24, 'guard:change-deadline', /within 24 hours/],
  ])('denies %s of a booking starting %s (deadline %i h) with core\'s reason, confirmed or not', async (action, start, hours, ruleId, reason) => {
    const decision = await engine.evaluate(action, { tenantId: tenant.id, actor: 'customer', channel: 'web', customerConfirmed: true, changeWindow: windowFor(start, hours) });
    expect(decision).toMatchObject({ allowed: false, ruleId, ruleVersion: null });
    expect(decision.reason).toMatch(reason);
  });

  it('allows a change whose window is open, and ignores the decision for other actions', async () => {
    const open = windowFor('2026-12-03T09:00:00Z', 24);
    expect(await engine.evaluate('booking.cancel', { tenantId: tenant.id, actor: 'customer', channel: 'sms', customerConfirmed: true, changeWindow: open })).toMatchObject({ allowed: true });
    const closed = windowFor('2026-12-01T09:00:00Z', 0);
    expect(await engine.evaluate('booking.lookup', { tenantId: tenant.id, actor: 'customer', channel: 'web', changeWindow: closed })).toMatchObject({ allowed: true });
  });

  it('writes the refusal and its reason to the audit log', async () => {
    const other = await createTestTenant(db.pool);
    await engine.evaluate('booking.cancel', { tenantId: other.id, actor: 'customer', channel: 'voice', customerConfirmed: true, changeWindow: windowFor('2026-12-02T09:00:00Z', 48) });
    const { entries } = await queryAudit(db.pool, { tenantId: other.id });
    expect(entries.find((e) => e.ruleId === 'guard:change-deadline')).toMatchObject({ outcome: 'denied', action: 'booking.cancel', reason: expect.stringContaining('within 48 hours') });
  });
});
