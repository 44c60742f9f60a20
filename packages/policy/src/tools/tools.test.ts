import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Tenant } from '@gomomo/core';
import { createTestDatabase, ManualClock, type TestDatabase } from '@gomomo/core/testing';
import { createTestTenant } from '../../test/helpers.js';
import { queryAudit } from '../audit/query.js';
import { createPolicyEngine, type PolicyEngine } from '../engine/policy-engine.js';
import { isPolicyError } from '../errors.js';
import type { Decision, PolicyContext } from '../types.js';
import { authorizeToolCall, type Authorizer } from './authorize.js';
import { createToolRegistry, defineTool } from './registry.js';

const holdSlot = defineTool({
  name: 'hold_slot',
  description: 'Hold a slot for a few minutes.',
  args: z.object({ serviceId: z.string().min(1), startsAt: z.string().min(1) }).strict(),
  action: 'booking.hold',
  irreversible: false,
});
const cancelBooking = defineTool({
  name: 'cancel_booking',
  description: 'Cancel a booking.',
  args: z.object({ reference: z.string().regex(/^GM-[0-9A-Z]{5}$/) }),
  action: 'booking.cancel',
  irreversible: true,
});
const chat = createToolRegistry('chat', [holdSlot, cancelBooking]);

describe('createToolRegistry', () => {
  it('is closed: frozen, with no way to register a tool after creation', () => {
    expect(Object.isFrozen(chat)).toBe(true);
    expect(Object.isFrozen(chat.names)).toBe(true);
    expect('register' in chat).toBe(false);
    expect(() => (chat.names as string[]).push('rm_rf')).toThrow(TypeError);
    expect(chat.names).toEqual(['hold_slot', 'cancel_booking']);
  });

  it('refuses two tools with one name', () => {
    const error = (() => {
      try {
        return createToolRegistry('orchestrator', [holdSlot, holdSlot]);
      } catch (e) {
        return e;
      }
    })();
    expect(isPolicyError(error, 'DUPLICATE_TOOL')).toBe(true);
  });

  it.each([
    ['a bad name', { name: 'Hold Slot', action: 'booking.hold' }, 'name'],
    ['a bad action', { name: 'hold_slot', action: 'hold' }, 'action'],
  ])('refuses a tool with %s', (_name, patch, field) => {
    const error = (() => {
      try {
        return defineTool({ description: '', args: z.object({}), irreversible: false, ...patch });
      } catch (e) {
        return e;
      }
    })();
    expect(isPolicyError(error, 'VALIDATION') && error.field).toBe(field);
  });

  it.each([
    ['an unknown tool', 'drop_tables', {}, 'UNKNOWN_TOOL'],
    ['arguments that are not JSON', 'hold_slot', '{"serviceId":', 'INVALID_ARGS'],
    ['a missing argument', 'hold_slot', { serviceId: 's1' }, 'INVALID_ARGS'],
    ['an extra argument', 'hold_slot', { serviceId: 's1', startsAt: 'x', admin: true }, 'INVALID_ARGS'],
    ['an array instead of an object', 'hold_slot', '[1]', 'INVALID_ARGS'],
  ])('parse rejects %s', (_name, tool, rawArgs, code) => {
    expect(chat.parse(tool, rawArgs)).toMatchObject({ ok: false, code });
  });

  it('parse accepts arguments as a JSON string or an object', () => {
    expect(chat.parse('hold_slot', '{"serviceId":"s1","startsAt":"2026-12-01T15:00:00Z"}')).toMatchObject({ ok: true, args: { serviceId: 's1' } });
    expect(chat.parse('cancel_booking', { reference: 'GM-7K3Q9' })).toMatchObject({ ok: true, tool: { irreversible: true } });
  });
});

describe('authorizeToolCall', () => {
  let db: TestDatabase;
  let engine: PolicyEngine;
  let tenant: Tenant;
  beforeAll(async () => {
    db = await createTestDatabase();
    engine = createPolicyEngine({ pool: db.pool, clock: new ManualClock('2026-12-01T15:00:00Z') });
    tenant = await createTestTenant(db.pool);
  });
  afterAll(async () => {
    await db.drop();
  });
  const context = (): Omit<PolicyContext, 'tool' | 'args'> => ({ tenantId: tenant.id, actor: 'customer', channel: 'web', sessionId: 'sess-1' });

  /** Counts policy calls, to show bad calls never reach the policy. The policy itself is the real one. */
  function counting(): Authorizer & { evaluations: number } {
    const spy = {
      evaluations: 0,
      evaluate: (action: string, ctx: PolicyContext): Promise<Decision> => {
        spy.evaluations += 1;
        return engine.evaluate(action, ctx);
      },
      audit: engine.audit,
    };
    return spy;
  }

  it('denies and audits an unknown tool without asking the policy', async () => {
    const policy = counting();
    const result = await authorizeToolCall(policy, chat, { name: 'send_money', rawArgs: {}, context: context() });
    expect(result).toMatchObject({ allowed: false, code: 'UNKNOWN_TOOL', decision: { ruleId: 'guard:closed-registry:chat' } });
    expect(policy.evaluations).toBe(0);
    const { entries } = await queryAudit(db.pool, { tenantId: tenant.id, action: 'tool.unknown' });
    expect(entries[0]).toMatchObject({ tool: 'send_money', outcome: 'denied', sessionId: 'sess-1' });
  });

  it('rejects and audits bad arguments before any policy call', async () => {
    const policy = counting();
    const result = await authorizeToolCall(policy, chat, { name: 'cancel_booking', rawArgs: { reference: 'call +15551234567' }, context: context() });
    expect(result).toMatchObject({ allowed: false, code: 'INVALID_ARGS' });
    expect(policy.evaluations).toBe(0);
    const { entries } = await queryAudit(db.pool, { tenantId: tenant.id, action: 'booking.cancel' });
    expect(entries[0]).toMatchObject({ outcome: 'denied', ruleId: 'guard:tool-arguments', tool: 'cancel_booking' });
  });

  it('passes the tool, its parsed arguments and its irreversible flag to the policy', async () => {
    const denied = await authorizeToolCall(engine, chat, { name: 'cancel_booking', rawArgs: '{"reference":"GM-7K3Q9"}', context: context() });
    expect(denied).toMatchObject({ allowed: false, code: 'DENIED', decision: { ruleId: 'guard:customer-confirmation' } });
    const allowed = await authorizeToolCall(engine, chat, { name: 'cancel_booking', rawArgs: '{"reference":"GM-7K3Q9"}', context: { ...context(), customerConfirmed: true } });
    expect(allowed).toMatchObject({ allowed: true, tool: { name: 'cancel_booking' }, args: { reference: 'GM-7K3Q9' }, decision: { ruleId: 'builtin:customer-chat' } });
  });

  it('denies a known tool the policy does not allow for this actor', async () => {
    const result = await authorizeToolCall(engine, chat, { name: 'hold_slot', rawArgs: { serviceId: 's', startsAt: 't' }, context: { ...context(), actor: 'autonomous', channel: 'system' } });
    expect(result).toMatchObject({ allowed: false, code: 'DENIED' });
  });
});
