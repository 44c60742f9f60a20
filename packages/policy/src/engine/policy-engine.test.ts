import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant, type Tenant } from '@gomomo/core';
import { createTestDatabase, ManualClock, type TestDatabase } from '@gomomo/core/testing';
import { createTestTenant } from '../../test/helpers.js';
import { queryAudit } from '../audit/query.js';
import { verifyAuditChain } from '../audit/verify.js';
import { isPolicyError } from '../errors.js';
import type { PolicyRule, RuleConditions } from '../rules/schema.js';
import type { Actor, Channel, PolicyContext } from '../types.js';
import { createPolicyEngine, type PolicyEngine } from './policy-engine.js';

let db: TestDatabase;
let clock: ManualClock;
let engine: PolicyEngine;
beforeAll(async () => {
  db = await createTestDatabase();
  clock = new ManualClock('2026-12-01T15:00:00Z'); // Tuesday 10:00 in New York
  engine = createPolicyEngine({ pool: db.pool, clock });
});
afterAll(async () => {
  await db.drop();
});

function ctx(tenant: Tenant, actor: Actor, channel: Channel, extra: Partial<PolicyContext> = {}): PolicyContext {
  return { tenantId: tenant.id, actor, channel, ...extra };
}

describe('evaluate: built-in defaults', () => {
  let tenant: Tenant;
  beforeAll(async () => {
    tenant = await createTestTenant(db.pool);
  });

  it.each([
    ['booking.hold', 'customer', 'web', true],
    ['availability.check', 'customer', 'sms', true],
    ['waitlist.join', 'customer', 'voice', true],
    ['booking.hold', 'customer', 'system', false],
    ['booking.hold', 'staff', 'web', false],
    ['booking.hold', 'autonomous', 'system', false],
    ['calendar.sync', 'autonomous', 'system', true],
    ['staff.escalate', 'autonomous', 'system', true],
    ['reminder.schedule', 'autonomous', 'system', true],
    ['calendar.sync', 'autonomous', 'web', false],
    ['notify.sms', 'customer', 'sms', false],
    ['payments.refund', 'customer', 'web', false],
  ] as const)('%s by %s on %s → allowed: %s', async (action, actor, channel, allowed) => {
    const decision = await engine.evaluate(action, ctx(tenant, actor, channel));
    expect(decision.allowed).toBe(allowed);
  });

  it('names what was missing when it denies by default', async () => {
    const decision = await engine.evaluate('booking.hold', ctx(tenant, 'staff', 'web', { tool: 'hold_slot' }));
    expect(decision).toMatchObject({ allowed: false, ruleId: null, ruleVersion: null });
    expect(decision.reason).toContain('no rule allows "booking.hold" for actor staff on channel web (tool hold_slot)');
    expect(decision.reason).toContain('rule "builtin:customer-chat" needs actor customer (got staff)');
    const unknown = await engine.evaluate('payments.refund', ctx(tenant, 'customer', 'web'));
    expect(unknown.reason).toMatch(/add an allow rule/);
  });

  it('writes every decision, allow and deny, to the audit log with the rule version', async () => {
    const fresh = await createTestTenant(db.pool);
    await engine.evaluate('booking.hold', ctx(fresh, 'customer', 'web', { sessionId: 's1', args: { clientEmail: 'a@b.co', serviceId: 'x' } }));
    await engine.evaluate('booking.hold', ctx(fresh, 'staff', 'web', { sessionId: 's1' }));
    const { entries } = await queryAudit(db.pool, { tenantId: fresh.id, order: 'asc' });
    expect(entries.map((e) => [e.outcome, e.ruleId, e.ruleVersion])).toEqual([
      ['allowed', 'builtin:customer-chat', 1],
      ['denied', null, null],
    ]);
    expect(entries[0]!.details).toMatchObject({ policyRevision: 0, args: { clientEmail: '[redacted]', serviceId: 'x' } });
    expect(entries[0]!.occurredAt).toBe('2026-12-01T15:00:00.000Z');
    expect(await verifyAuditChain(db.pool, fresh.id)).toMatchObject({ ok: true, count: 2 });
  });

  it('decide answers the same without writing to the audit log', async () => {
    const fresh = await createTestTenant(db.pool);
    expect((await engine.decide('booking.hold', ctx(fresh, 'customer', 'web'))).allowed).toBe(true);
    expect((await queryAudit(db.pool, { tenantId: fresh.id })).entries).toEqual([]);
  });

  it.each([
    ['action', 'Booking.Hold!', {}],
    ['channel', 'booking.hold', { channel: 'fax' }],
    ['actor', 'booking.hold', { actor: 'robot' }],
    ['tenantId', 'booking.hold', { tenantId: 'not-a-uuid' }],
  ])('throws VALIDATION naming %s for a malformed call', async (field, action, patch) => {
    const error = await engine.evaluate(action, { ...ctx(tenant, 'customer', 'web'), ...patch } as PolicyContext).catch((e: unknown) => e);
    expect(isPolicyError(error, 'VALIDATION') && error.field).toBe(field);
  });
});

describe('evaluate: tenant rules', () => {
  it.each([
    ['channel', { channels: ['sms'] }, { channel: 'sms' }, { channel: 'web' }],
    ['actor', { actors: ['staff'] }, { actor: 'staff' }, { actor: 'customer' }],
    ['tool', { tools: ['lookup_booking'] }, { tool: 'lookup_booking' }, { tool: 'other_tool' }],
    ['argument eq', { args: [{ path: 'service.kind', op: 'eq', value: 'vip' }] }, { args: { service: { kind: 'vip' } } }, { args: { service: { kind: 'std' } } }],
    ['argument in', { args: [{ path: 'partySize', op: 'in', value: [1, 2] }] }, { args: { partySize: 2 } }, { args: { partySize: 3 } }],
    ['argument lte', { args: [{ path: 'partySize', op: 'lte', value: 4 }] }, { args: { partySize: 4 } }, { args: { partySize: '4' } }],
    ['argument absent', { args: [{ path: 'resourceId', op: 'absent' }] }, { args: {} }, { args: { resourceId: 'r1' } }],
  ] as Array<[string, RuleConditions, Partial<PolicyContext>, Partial<PolicyContext>]>)('matches a condition on %s', async (_name, when, matching, other) => {
    const tenant = await createTestTenant(db.pool);
    await engine.putRule(tenant.id, { id: 'staff-lookup', effect: 'allow', actions: ['booking.lookup'], when }, { by: 'staff:1' });
    const base = { tenantId: tenant.id, actor: 'staff', channel: 'web' } as PolicyContext;
    expect((await engine.evaluate('booking.lookup', { ...base, ...matching } as PolicyContext)).ruleId).toBe('staff-lookup');
    expect((await engine.evaluate('booking.lookup', { ...base, ...other } as PolicyContext)).ruleId).not.toBe('staff-lookup');
  });

  it.each([
    ['inside the window', '2026-12-01T15:00:00Z', true],
    ['before it opens', '2026-12-01T13:59:00Z', false],
    ['at its end (exclusive)', '2026-12-01T22:00:00Z', false],
    ['on a weekday it excludes (Saturday)', '2026-12-05T15:00:00Z', false],
    ['across DST: summer 09:30 local', '2026-07-07T13:30:00Z', true],
  ])('applies a time-of-day window in the tenant zone: %s', async (_name, at, allowed) => {
    const tenant = await createTestTenant(db.pool);
    const local = new ManualClock(at);
    const timed = createPolicyEngine({ pool: db.pool, clock: local });
    await timed.putRule(tenant.id, { id: 'office-hours-sms', effect: 'allow', actions: ['notify.sms'], when: { actors: ['staff'], timeOfDay: { from: '09:00', to: '17:00', weekdays: [1, 2, 3, 4, 5] } } }, { by: 'staff:1' });
    expect((await timed.evaluate('notify.sms', ctx(tenant, 'staff', 'system'))).allowed).toBe(allowed);
  });

  it('lets a deny rule win over any allow, including the built-in ones', async () => {
    const tenant = await createTestTenant(db.pool);
    await engine.putRule(tenant.id, { id: 'no-sms-cancel', effect: 'deny', actions: ['booking.*'], when: { channels: ['sms'], args: [{ path: 'reference', op: 'exists' }] } }, { by: 'staff:1' });
    const denied = await engine.evaluate('booking.cancel', ctx(tenant, 'customer', 'sms', { args: { reference: 'GM-7K3Q9' }, customerConfirmed: true }));
    expect(denied).toEqual({ allowed: false, reason: 'Denied by rule "no-sms-cancel" (v1)', ruleId: 'no-sms-cancel', ruleVersion: 1 });
    expect((await engine.evaluate('booking.cancel', ctx(tenant, 'customer', 'web', { args: { reference: 'GM-7K3Q9' }, customerConfirmed: true }))).allowed).toBe(true);
  });

  it('versions rules: a change makes a new version and old decisions keep pointing at theirs', async () => {
    const tenant = await createTestTenant(db.pool);
    const v1 = await engine.putRule(tenant.id, { id: 'staff-all', effect: 'allow', actions: ['booking.*'], when: { actors: ['staff'] } }, { by: 'staff:1' });
    const first = await engine.evaluate('booking.hold', ctx(tenant, 'staff', 'web'));
    const v2 = await engine.putRule(tenant.id, { id: 'staff-all', effect: 'allow', actions: ['booking.*'], when: { actors: ['staff'], channels: ['web'] } }, { by: 'staff:2', expectedVersion: 1 });
    const second = await engine.evaluate('booking.hold', ctx(tenant, 'staff', 'web'));
    expect([v1.version, v2.version, first.ruleVersion, second.ruleVersion]).toEqual([1, 2, 1, 2]);
    expect((await engine.getRule(tenant.id, 'staff-all', 1)).when).toEqual({ actors: ['staff'] });
    const stale = await engine.putRule(tenant.id, { id: 'staff-all', effect: 'deny', actions: ['booking.*'] }, { by: 'staff:3', expectedVersion: 1 }).catch((e: unknown) => e);
    expect(isPolicyError(stale, 'VERSION_CONFLICT')).toBe(true);
  });

  it('replaceRules keeps unchanged rules at their version, bumps changed ones and deletes missing ones', async () => {
    const tenant = await createTestTenant(db.pool);
    const keep: PolicyRule = { id: 'keep', effect: 'allow', actions: ['booking.lookup'], when: { actors: ['staff'] } };
    await engine.replaceRules(tenant.id, [keep, { id: 'change', effect: 'deny', actions: ['notify.sms'] }, { id: 'drop', effect: 'deny', actions: ['notify.email'] }], { by: 'staff:1' });
    const after = await engine.replaceRules(tenant.id, [keep, { id: 'change', effect: 'deny', actions: ['notify.push'] }], { by: 'staff:1' });
    expect(after.map((rule) => [rule.id, rule.version])).toEqual([['keep', 1], ['change', 2]]);
    expect((await engine.listRules(tenant.id)).map((rule) => rule.id).sort()).toEqual(['change', 'keep']);
    expect((await engine.evaluate('notify.email', ctx(tenant, 'autonomous', 'system', { subject: { bookingId: 'b-1' } }))).allowed).toBe(true);
  });

  it.each([
    ['an unknown effect', { id: 'x', effect: 'maybe', actions: ['booking.hold'] }, 'rule.effect'],
    ['a bad action selector', { id: 'x', effect: 'allow', actions: ['Booking'] }, 'rule.actions.0'],
    ['an unknown channel', { id: 'x', effect: 'allow', actions: ['booking.hold'], when: { channels: ['fax'] } }, 'rule.when.channels.0'],
    ['a bad time', { id: 'x', effect: 'allow', actions: ['booking.hold'], when: { timeOfDay: { from: '9am', to: '17:00' } } }, 'rule.when.timeOfDay.from'],
    ['an unknown predicate operator', { id: 'x', effect: 'allow', actions: ['booking.hold'], when: { args: [{ path: 'a', op: 'matches', value: '.*' }] } }, 'rule.when.args.0.op'],
  ])('rejects a rule with %s, naming the field', async (_name, rule, field) => {
    const tenant = await createTestTenant(db.pool);
    const error = await engine.putRule(tenant.id, rule as never, { by: 'staff:1' }).catch((e: unknown) => e);
    expect(isPolicyError(error, 'VALIDATION') && error.field).toBe(field);
  });
});

describe('kill switches', () => {
  it.each([
    ['notify.sms', 'notify.sms', false],
    ['notify.sms', 'notify.email', true],
    ['notify', 'notify.push', false],
    ['*', 'calendar.sync', false],
  ])('switch %s → %s allowed: %s', async (family, action, allowed) => {
    const tenant = await createTestTenant(db.pool);
    await engine.setKillSwitch(tenant.id, family, { enabled: true, by: 'staff:1', reason: 'carrier outage' });
    const decision = await engine.evaluate(action, ctx(tenant, 'autonomous', 'system', { subject: { bookingId: 'b-1' } }));
    expect(decision.allowed).toBe(allowed);
    if (!allowed) expect(decision).toMatchObject({ ruleId: `kill-switch:${family}`, ruleVersion: 1 });
  });

  it('wins over an explicit tenant allow, and lifts when turned off (with a new switch version)', async () => {
    const tenant = await createTestTenant(db.pool);
    await engine.putRule(tenant.id, { id: 'staff-sms', effect: 'allow', actions: ['notify.sms'], when: { actors: ['staff'] } }, { by: 'staff:1' });
    await engine.setKillSwitch(tenant.id, 'notify.sms', { enabled: true, by: 'staff:1' });
    expect((await engine.evaluate('notify.sms', ctx(tenant, 'staff', 'system'))).ruleId).toBe('kill-switch:notify.sms');
    const off = await engine.setKillSwitch(tenant.id, 'notify.sms', { enabled: false, by: 'staff:1' });
    expect(off.version).toBe(2);
    expect((await engine.evaluate('notify.sms', ctx(tenant, 'staff', 'system'))).ruleId).toBe('staff-sms');
  });

  it('reaches another engine instance within its refresh interval', async () => {
    const tenant = await createTestTenant(db.pool);
    const other = createPolicyEngine({ pool: db.pool, clock, refreshMs: 0 });
    expect((await other.evaluate('calendar.sync', ctx(tenant, 'autonomous', 'system'))).allowed).toBe(true);
    await engine.setKillSwitch(tenant.id, 'calendar', { enabled: true, by: 'staff:1' });
    expect((await other.evaluate('calendar.sync', ctx(tenant, 'autonomous', 'system'))).allowed).toBe(false);
  });
});

describe('customer confirmation for irreversible actions', () => {
  it.each([
    ['built-in irreversible action without confirmation', 'booking.cancel', {}, false],
    ['built-in irreversible action with confirmation', 'booking.cancel', { customerConfirmed: true }, true],
    ['a tool flagged irreversible without confirmation', 'booking.reschedule', { irreversible: true }, false],
    ['a reversible action without confirmation', 'booking.reschedule', {}, true],
  ])('%s → allowed: %s', async (_name, action, extra, allowed) => {
    const tenant = await createTestTenant(db.pool);
    const decision = await engine.evaluate(action, ctx(tenant, 'customer', 'web', extra));
    expect(decision.allowed).toBe(allowed);
    if (!allowed) expect(decision.ruleId).toBe('guard:customer-confirmation');
  });
});

describe('evaluate with auditLater', () => {
  it("leaves the decision's entry to the caller's transaction, which appends it with auditManyIn", async () => {
    const tenant = await createTestTenant(db.pool);
    const later: Parameters<PolicyEngine['auditManyIn']>[1] = [];
    const decision = await engine.evaluate('booking.hold', ctx(tenant, 'customer', 'web'), { auditLater: later });
    expect(decision.allowed).toBe(true);
    expect((await queryAudit(db.pool, { tenantId: tenant.id })).entries).toEqual([]);
    expect(later).toMatchObject([{ tenantId: tenant.id, action: 'booking.hold', outcome: 'allowed', ruleId: decision.ruleId }]);
    await withTenant(db.pool, tenant.id, (client) => engine.auditManyIn(client, later), { isolation: 'read committed' });
    const { entries } = await queryAudit(db.pool, { tenantId: tenant.id });
    expect(entries.map((entry) => [entry.action, entry.outcome, entry.occurredAt])).toEqual([['booking.hold', 'allowed', '2026-12-01T15:00:00.000Z']]);
    expect((await verifyAuditChain(db.pool, tenant.id)).ok).toBe(true);
  });
});
