import { createBookingEngine, createTenant, demoTenantInput, withTenant, type BookingEngine } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedger } from '../src/executor/claim-check.js';
import { createToolExecutor, type ToolExecutor } from '../src/executor/executor.js';
import { defaultLookupLimits } from '../src/executor/lookup-attempts.js';
import type { ToolResult, ToolScope } from '../src/executor/types.js';
import { createPolicyGate, type PolicyGate } from '../src/policy/gate.js';
import type { TurnEvent } from '../src/index.js';
import { createWorld, ny, type World } from './support.js';

let world: World;
let engine: BookingEngine;
let sessions = 0;

function gateFor(): PolicyGate {
  return createPolicyGate({ policy: world.policy, now: () => world.clock.now() });
}

function executorWith(farDateConfirmDays = 30): ToolExecutor {
  return createToolExecutor({ deps: { pool: world.pool, engine, clock: world.clock, farDateConfirmDays, lookupLimits: defaultLookupLimits }, gate: gateFor() });
}

/** Appends the outcomes a turn queued, as saving the turn does. */
async function saveAudits(scope: ToolScope): Promise<void> {
  await withTenant(world.pool, world.tenant.id, (client) => gateFor().writeAudits(client, scope), { isolation: 'read committed' });
}

/** A scope as the receptionist builds it; the session row exists so audit rows and holds can name it. */
async function scopeFor(userText: string, extra: Partial<ToolScope> = {}): Promise<ToolScope & { events: TurnEvent[] }> {
  sessions += 1;
  const events: TurnEvent[] = [];
  const id = `exec-${sessions}`;
  return {
    tenant: world.tenant,
    services: await engine.listServices(world.tenant.id),
    session: { id, tenantId: world.tenant.id, channel: 'web', contact: { name: null, email: null, phone: null }, state: {}, turnCount: 0, turnToken: '', handoff: 'ai', failureStreak: 0 },
    channel: 'web',
    userText,
    verifiedContact: undefined,
    ledger: createLedger(),
    emit: (event) => events.push(event),
    events,
    holds: [],
    audits: [],
    ...extra,
  };
}

function failure(result: ToolResult) {
  expect(result.ok).toBe(false);
  return result as Extract<ToolResult, { ok: false }>;
}

beforeAll(async () => {
  world = await createWorld();
  engine = createBookingEngine({ pool: world.pool, clock: world.clock });
});
afterAll(async () => world.db.drop());

describe('tool executor: parsing and policy', () => {
  it('refuses a tool outside the closed set, and audits it', async () => {
    const scope = await scopeFor('hi');
    const result = failure(await executorWith().execute(scope, { name: 'delete_all_bookings', args: {} }));
    expect(result.code).toBe('UNKNOWN_TOOL');
    const { rows } = await world.pool.query('SELECT action, outcome FROM audit_log WHERE session_id = $1', [scope.session.id]);
    expect(rows).toEqual([{ action: 'tool.unknown', outcome: 'denied' }]);
  });

  it.each([
    ['malformed JSON', '{"serviceId": '],
    ['a tenantId slipped into the arguments', { serviceId: '00000000-0000-4000-8000-000000000000', from: '2026-03-06', tenantId: '00000000-0000-4000-8000-000000000001' }],
    ['a service id that is not a UUID', { serviceId: 'consultation', from: '2026-03-06' }],
    ['a date in the wrong format', { serviceId: '00000000-0000-4000-8000-000000000000', from: 'next friday' }],
  ])('refuses %s as INVALID_ARGS', async (_label, args) => {
    const result = failure(await executorWith().execute(await scopeFor('hi'), { name: 'check_availability', args }));
    expect(result.code).toBe('INVALID_ARGS');
  });

  it('reports a service of another tenant as not found (the conversation tenant is injected)', async () => {
    const other = await createTenant(world.pool, { ...demoTenantInput, slug: 'exec-other' });
    const foreign = (await engine.listServices(other.id))[0]!.id;
    const result = failure(await executorWith().execute(await scopeFor('hi'), { name: 'check_availability', args: { serviceId: foreign, from: '2026-03-06' } }));
    expect(result.code).toBe('NOT_FOUND');
  });

  it('obeys a kill switch from the policy engine', async () => {
    await world.policy.setKillSwitch(world.tenant.id, 'booking.hold', { enabled: true, by: 'test', reason: 'maintenance' });
    try {
      const result = failure(await executorWith().execute(await scopeFor('1'), { name: 'hold_slot', args: { serviceId: world.services.followUp, start: ny('2026-03-09T09:00') } }));
      expect(result.code).toBe('DENIED');
    } finally {
      await world.policy.setKillSwitch(world.tenant.id, 'booking.hold', { enabled: false, by: 'test' });
    }
  });

  it('audits the decision and the outcome of a successful call', async () => {
    const scope = await scopeFor('what do you offer');
    const result = await executorWith().execute(scope, { name: 'list_services', args: '' });
    expect(result.ok).toBe(true);
    await saveAudits(scope);
    const { rows } = await world.pool.query('SELECT action, tool, outcome FROM audit_log WHERE session_id = $1 ORDER BY seq', [scope.session.id]);
    expect(rows).toEqual([
      { action: 'services.list', tool: 'list_services', outcome: 'allowed' },
      { action: 'services.list', tool: 'list_services', outcome: 'succeeded' },
    ]);
  });
});

describe('tool executor: guardrails', () => {
  it.each([
    ['more than 14 days', { from: '2026-03-06', to: '2026-03-20' }, /more than 14 days/],
    ['a start in the past', { from: '2026-03-04' }, /in the past/],
    ['an end before the start', { from: '2026-03-10', to: '2026-03-09' }, /to is before from/],
  ])('refuses availability over %s, telling the model what to ask', async (_label, range, message) => {
    const scope = await scopeFor('hi');
    const result = failure(await executorWith().execute(scope, { name: 'check_availability', args: { serviceId: world.services.followUp, ...range } }));
    expect(result).toMatchObject({ code: 'GUARDRAIL', guard: 'range' });
    expect(result.message).toMatch(message);
    await saveAudits(scope);
    const { rows } = await world.pool.query(`SELECT outcome, reason FROM audit_log WHERE session_id = $1 AND outcome = 'denied'`, [scope.session.id]);
    expect(rows[0].reason).toMatch(/^guard:range/);
  });

  it('accepts exactly 14 days from today', async () => {
    const result = await executorWith().execute(await scopeFor('hi'), { name: 'check_availability', args: { serviceId: world.services.followUp, from: '2026-03-05', to: '2026-03-18' } });
    expect(result.ok).toBe(true);
  });

  describe('far dates', () => {
    const far = ny('2026-04-20T10:00');
    it.each([
      ['without the flag', 'April 20 at 10 please', undefined, 30, false],
      ['with the flag but no yes from the customer', 'April 20 at 10 please', true, 30, false],
      ['with the flag after the customer said yes', 'Yes, April 20 is right', true, 30, true],
      ['without the flag when the check is disabled (0)', 'April 20 at 10 please', undefined, 0, true],
      ['without the flag when the date is within the limit', 'April 20 at 10 please', undefined, 60, true],
    ])('%s: held = %s', async (_label, userText, confirmFarDate, days, isHeld) => {
      const scope = await scopeFor(userText);
      const result = await executorWith(days).execute(scope, { name: 'hold_slot', args: { serviceId: world.services.followUp, start: far, ...(confirmFarDate ? { confirmFarDate } : {}) } });
      expect(result.ok).toBe(isHeld);
      if (!result.ok) expect(result).toMatchObject({ code: 'GUARDRAIL', guard: 'far-date' });
      if (result.ok) await engine.releaseHold({ tenantId: world.tenant.id, holdId: result.data.holdId as string, sessionId: scope.session.id });
    });
  });

  describe('confirm_booking', () => {
    async function holdIn(scope: ToolScope, start: string): Promise<string> {
      const result = await executorWith().execute(scope, { name: 'hold_slot', args: { serviceId: world.services.followUp, start } });
      if (!result.ok) throw new Error(result.message);
      return result.data.holdId as string;
    }

    it('refuses a hold that belongs to another conversation', async () => {
      const owner = await scopeFor('1');
      const holdId = await holdIn(owner, ny('2026-03-09T10:00'));
      const thief = await scopeFor('yes');
      const result = failure(await executorWith().execute(thief, { name: 'confirm_booking', args: { holdId, name: 'Thief', email: 'thief@example.com' } }));
      expect(result).toMatchObject({ code: 'GUARDRAIL', guard: 'live-hold' });
      expect((await world.pool.query(`SELECT count(*)::int AS n FROM appointments WHERE hold_id = $1`, [holdId])).rows[0].n).toBe(0);
    });

    // Consent is checked once, by the policy gate's customer-confirmed check (DENIED): it runs
    // before the guardrails, so a second check there could never be reached.
    it.each([
      ['no email or phone', 'yes', { name: 'Uma' }, { code: 'GUARDRAIL', guard: 'contact-required' }],
      ['no yes from the customer this turn', 'my email is uma@example.com', { name: 'Uma', email: 'uma@example.com' }, { code: 'DENIED' }],
    ])('refuses with %s', async (_label, userText, client, expected) => {
      const scope = await scopeFor(userText);
      const holdId = await holdIn(scope, ny('2026-03-09T10:30'));
      const result = failure(await executorWith().execute(scope, { name: 'confirm_booking', args: { holdId, ...client } }));
      expect(result).toMatchObject(expected);
      expect((await world.pool.query(`SELECT count(*)::int AS n FROM appointments WHERE hold_id = $1`, [holdId])).rows[0].n).toBe(0);
      await engine.releaseHold({ tenantId: world.tenant.id, holdId, sessionId: scope.session.id });
    });

    it('books a live hold of the same conversation and records it in the ledger', async () => {
      const scope = await scopeFor('yes, book it');
      const holdId = await holdIn(scope, ny('2026-03-09T11:00'));
      const result = await executorWith().execute(scope, { name: 'confirm_booking', args: { holdId, name: 'Vic', email: 'vic@example.com' } });
      expect(result.ok).toBe(true);
      expect(scope.ledger.created).toEqual([(result as unknown as { data: { reference: string } }).data.reference]);
      expect(scope.events.map((e) => e.type)).toEqual(['status', 'hold', 'status', 'booking']);
    });
  });

  it.each([
    ['cancel_booking', { reference: 'GM-AAAAA' }, 'yes', { code: 'GUARDRAIL', guard: 'verification-required' }],
    ['reschedule_booking', { reference: 'GM-AAAAA', newStart: ny('2026-03-09T12:00') }, 'yes', { code: 'GUARDRAIL', guard: 'verification-required' }],
    ['reschedule_booking', { reference: 'GM-AAAAA', email: 'x@example.com', newStart: ny('2026-03-09T12:00') }, 'move it maybe', { code: 'DENIED' }],
    ['cancel_booking', { reference: 'GM-AAAAA', email: 'x@example.com' }, 'cancel it maybe', { code: 'DENIED' }],
    ['lookup_booking', { reference: 'GM-AAAAA' }, 'find it', { code: 'GUARDRAIL', guard: 'verification-required' }],
    // Far dates need the customer's yes to the date for a move as much as for a new hold.
    ['reschedule_booking', { reference: 'GM-AAAAA', email: 'x@example.com', newStart: ny('2026-04-20T10:00') }, 'yes', { code: 'GUARDRAIL', guard: 'far-date' }],
    // With the flag and a yes the guard lets it through; the engine then finds no such booking.
    ['reschedule_booking', { reference: 'GM-AAAAA', email: 'x@example.com', newStart: ny('2026-04-20T10:00'), confirmFarDate: true }, 'yes', { code: 'NOT_FOUND' }],
  ])('%s %j is refused when the customer said "%s"', async (name, args, userText, expected) => {
    const result = failure(await executorWith().execute(await scopeFor(userText), { name, args }));
    expect(result).toMatchObject(expected);
  });
});

describe('tool executor: retries after a lost reply', () => {
  it('joins the waitlist once per conversation and window, however often the call is repeated', async () => {
    const scope = await scopeFor('yes');
    const call = { name: 'join_waitlist', args: { serviceId: world.services.extended, from: '2026-03-16', name: 'Zoë Ågren', email: 'zoe@example.com' } };
    const first = await executorWith().execute(scope, call);
    const again = await executorWith().execute(await scopeFor('yes', { session: scope.session }), call);
    expect(first.ok && again.ok).toBe(true);
    expect((again as unknown as { data: { entryId: string } }).data.entryId).toBe((first as unknown as { data: { entryId: string } }).data.entryId);
    const { rows } = await world.pool.query('SELECT count(*)::int AS n FROM waitlist_entries WHERE session_id = $1', [scope.session.id]);
    expect(rows[0].n).toBe(1);
  });
});

describe('tool executor: system actions', () => {
  it('releases only the conversation\'s own holds, and audits each release', async () => {
    const mine = await scopeFor('1');
    const other = await scopeFor('1');
    const held = await executorWith().execute(mine, { name: 'hold_slot', args: { serviceId: world.services.followUp, start: ny('2026-03-09T13:00') } });
    const kept = await executorWith().execute(other, { name: 'hold_slot', args: { serviceId: world.services.followUp, start: ny('2026-03-09T13:30') } });
    expect(held.ok && kept.ok).toBe(true);
    expect(await executorWith().releaseHolds(mine)).toBe(1);
    await saveAudits(mine);
    const { rows } = await world.pool.query(`SELECT session_id, status FROM holds WHERE session_id IN ($1, $2) ORDER BY starts_at`, [mine.session.id, other.session.id]);
    expect(rows).toEqual([
      { session_id: mine.session.id, status: 'released' },
      { session_id: other.session.id, status: 'active' },
    ]);
    const audit = await world.pool.query(`SELECT action, outcome FROM audit_log WHERE session_id = $1 AND action = 'booking.release'`, [mine.session.id]);
    expect(audit.rows).toEqual([{ action: 'booking.release', outcome: 'succeeded' }]);
    await engine.releaseHold({ tenantId: world.tenant.id, holdId: (kept as unknown as { data: { holdId: string } }).data.holdId, sessionId: other.session.id });
  });

  it('finds no bookings by phone without a verified phone', async () => {
    const scope = await scopeFor('cancel my appointment');
    scope.session.contact = { name: 'Typed', email: null, phone: '+15550001111' };
    expect(await executorWith().findUpcomingBookings(scope)).toEqual([]);
  });
});
