// Issue 12 items 6 and 7 at the receptionist: past is past, and per-service change deadlines.
// The policy is told core's decision before a cancel or move runs; the brain explains the rule
// and what the customer can do instead.
import { createBookingEngine, updateService, type Appointment, type BookingEngine } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedger } from '../src/executor/claim-check.js';
import { createToolExecutor } from '../src/executor/executor.js';
import { defaultLookupLimits } from '../src/executor/lookup-attempts.js';
import type { ToolResult, ToolScope } from '../src/executor/types.js';
import { createPolicyGate } from '../src/policy/gate.js';
import { appointments, conversation, createWorld, ny, startOfTest, type World } from './support.js';

let world: World;
let engine: BookingEngine;
let seeded = 0;

beforeAll(async () => {
  world = await createWorld({ tenant: { settings: { sms: { helpContact: 'call 555-0100' } } } });
  engine = createBookingEngine({ pool: world.pool, clock: world.clock });
  // Follow-ups may not be changed within 24 hours of their start; consultations have no deadline.
  await updateService(world.pool, { tenantId: world.tenant.id, serviceId: world.services.followUp, changeDeadlineHours: 24 });
});
afterAll(async () => world.db.drop());

async function seed(start: string, serviceId = world.services.consultation, phone?: string): Promise<Appointment> {
  world.clock.set(startOfTest);
  seeded += 1;
  const sessionId = `seed-rules-${seeded}`;
  const hold = await engine.hold({ tenantId: world.tenant.id, serviceId, start, sessionId });
  return engine.confirm({ tenantId: world.tenant.id, holdId: hold.id, sessionId, client: { name: 'Jo Kim', email: 'jo@example.com', phone } });
}

function scopeFor(userText: string, state: Record<string, unknown> = {}): ToolScope {
  seeded += 1;
  return {
    tenant: world.tenant,
    services: [],
    session: { id: `rules-exec-${seeded}`, tenantId: world.tenant.id, channel: 'web', contact: { name: null, email: null, phone: null }, state, turnCount: 0, turnToken: '', handoff: 'ai', failureStreak: 0 },
    channel: 'web',
    userText,
    verifiedContact: undefined,
    ledger: createLedger(),
    emit: () => undefined,
    holds: [],
    audits: [],
  };
}

function execute(name: string, args: Record<string, unknown>, state: Record<string, unknown> = {}): Promise<ToolResult> {
  const gate = createPolicyGate({ policy: world.policy, now: () => world.clock.now() });
  return createToolExecutor({ deps: { pool: world.pool, engine, clock: world.clock, farDateConfirmDays: 0, lookupLimits: defaultLookupLimits }, gate }).execute(scopeFor('Yes, please go ahead.', state), { name, args });
}

const statusOf = async (reference: string) => (await appointments(world)).find((r) => r.reference === reference)!;

async function lastPolicyDenial(): Promise<{ rule_id: string; reason: string } | undefined> {
  const { rows } = await world.pool.query(`SELECT rule_id, reason FROM audit_log WHERE tenant_id = $1 AND outcome = 'denied' ORDER BY seq DESC LIMIT 1`, [world.tenant.id]);
  return rows[0];
}

describe('regression: past appointments can be cancelled or moved (receptionist)', () => {
  it('refuses cancel_booking and reschedule_booking of a started appointment with APPOINTMENT_STARTED, denied by the policy', async () => {
    const booking = await seed(ny('2026-03-06T09:00'));
    world.clock.set(ny('2026-03-06T09:10'));
    const cancel = await execute('cancel_booking', { reference: booking.reference, email: 'jo@example.com' });
    expect(cancel).toMatchObject({ ok: false, code: 'APPOINTMENT_STARTED' });
    expect(cancel.ok === false && cancel.message).toMatch(new RegExp(`Appointment ${booking.reference} started at 2026-03-06T14:00Z; it can no longer be cancelled or moved\\. Nothing was changed\\..*contact the business`));
    expect(await lastPolicyDenial()).toMatchObject({ rule_id: 'guard:appointment-started' });
    const move = await execute('reschedule_booking', { reference: booking.reference, email: 'jo@example.com', newStart: ny('2026-03-09T10:00') });
    expect(move).toMatchObject({ ok: false, code: 'APPOINTMENT_STARTED' });
    expect(await statusOf(booking.reference)).toMatchObject({ status: 'booked', starts_at: new Date(ny('2026-03-06T09:00')) });
  });

  it('explains in chat that a started appointment cannot change, and offers staff contact', async () => {
    const booking = await seed(ny('2026-03-06T10:00'));
    world.clock.set(ny('2026-03-06T10:05'));
    const c = conversation(world, 'rules-chat-started');
    const reply = (await c.say(`I want to cancel ${booking.reference}, jo@example.com`)).reply;
    expect(reply).toContain('has already started, so it can no longer be cancelled or moved, and nothing has changed');
    expect(reply).toContain('(call 555-0100)');
    expect(reply).not.toMatch(/Shall I cancel/);
    expect((await statusOf(booking.reference)).status).toBe('booked');
  });
});

describe('change deadline per service (receptionist)', () => {
  it('says on lookup whether the booking may still change, and refuses a change inside the deadline', async () => {
    const booking = await seed(ny('2026-03-06T11:00'), world.services.followUp);
    world.clock.set(ny('2026-03-05T12:00'));
    const lookup = await execute('lookup_booking', { reference: booking.reference, email: 'jo@example.com' });
    expect(lookup).toMatchObject({ ok: true, data: { canChange: false, changeRefusal: 'CHANGE_DEADLINE_PASSED', changeDeadlineHours: 24 } });
    const cancel = await execute('cancel_booking', { reference: booking.reference, email: 'jo@example.com' });
    expect(cancel).toMatchObject({ ok: false, code: 'CHANGE_DEADLINE_PASSED' });
    expect(await lastPolicyDenial()).toMatchObject({ rule_id: 'guard:change-deadline', reason: expect.stringContaining('within 24 hours of its start') });
    // A stranger learns nothing of the rule or the time: the contact check answers first.
    expect(await execute('cancel_booking', { reference: booking.reference, email: 'eve@example.com' })).toMatchObject({ ok: false, code: 'CONTACT_MISMATCH' });
    world.clock.set(ny('2026-03-05T10:59'));
    expect(await execute('lookup_booking', { reference: booking.reference, email: 'jo@example.com' })).toMatchObject({ ok: true, data: { canChange: true } });
    // Past the wrong-contact limit, the right contact must not be told apart by a change-rule reply.
    world.clock.set(ny('2026-03-05T12:00'));
    for (const guess of ['eve2@example.com', 'eve3@example.com']) await execute('cancel_booking', { reference: booking.reference, email: guess });
    const limited = await execute('cancel_booking', { reference: booking.reference, email: 'jo@example.com' });
    expect(limited).toMatchObject({ ok: false, code: 'GUARDRAIL', guard: 'mismatch-limit' });
    expect(limited.ok === false && limited.message).not.toMatch(/2026|hours|started/);
  });

  it('explains the rule in chat and what the customer can do instead, for a cancel and a move', async () => {
    const booking = await seed(ny('2026-03-06T13:00'), world.services.followUp);
    world.clock.set(ny('2026-03-05T15:00'));
    const cancel = (await conversation(world, 'rules-chat-deadline').say(`Please cancel ${booking.reference}, my email is jo@example.com`)).reply;
    expect(cancel).toMatch(/can't be cancelled or moved here: .* doesn't allow changes within 24 hours of the start, so nothing has changed\. You can keep your booking, or contact .*\(call 555-0100\)/);
    const move = (await conversation(world, 'rules-chat-deadline-move').say(`I need to reschedule ${booking.reference}, jo@example.com`)).reply;
    expect(move).toContain('within 24 hours of the start');
    expect(move).not.toMatch(/When would you like to move it to/);
    expect((await statusOf(booking.reference)).status).toBe('booked');
  });

  it('explains the rule when the deadline passes between the summary and the yes', async () => {
    const booking = await seed(ny('2026-03-06T14:00'), world.services.followUp);
    world.clock.set(ny('2026-03-05T13:30'));
    const c = conversation(world, 'rules-chat-race');
    expect((await c.say(`Cancel ${booking.reference}, jo@example.com`)).reply).toMatch(/Shall I cancel it\?/);
    world.clock.set(ny('2026-03-05T14:30'));
    const reply = (await c.say('yes')).reply;
    expect(reply).toMatch(/can't be cancelled or moved here: .* within 24 hours of the start/);
    expect((await statusOf(booking.reference)).status).toBe('booked');
  });

  it('explains the rule over SMS, where the sender\'s verified number finds the booking', async () => {
    const booking = await seed(ny('2026-03-06T15:00'), world.services.followUp, '+15557650001');
    world.clock.set(ny('2026-03-05T16:00'));
    const sms = conversation(world, 'rules-sms-deadline', { channel: 'sms', verifiedContact: { phone: '+15557650001' } });
    const reply = (await sms.say('I need to cancel my appointment')).reply;
    expect(reply).toContain(`(${booking.reference}) can't be cancelled or moved here`);
    expect(reply).toContain('within 24 hours of the start');
    expect((await statusOf(booking.reference)).status).toBe('booked');
  });

  it('counts N hours on absolute time across the DST night (clocks went forward on 8 March 2026)', async () => {
    await updateService(world.pool, { tenantId: world.tenant.id, serviceId: world.services.extended, changeDeadlineHours: 48 });
    const booking = await seed(ny('2026-03-09T10:00'), world.services.extended);
    const lookup = () => execute('lookup_booking', { reference: booking.reference, email: 'jo@example.com' });
    // 48 hours before Monday 10:00 EDT is Saturday 09:00 EST, not 10:00: one wall-clock hour went missing.
    world.clock.set(ny('2026-03-07T09:00'));
    expect(await lookup()).toMatchObject({ ok: true, data: { canChange: true } });
    world.clock.set(ny('2026-03-07T09:30'));
    expect(await lookup()).toMatchObject({ ok: true, data: { canChange: false, changeRefusal: 'CHANGE_DEADLINE_PASSED' } });
    expect(await execute('reschedule_booking', { reference: booking.reference, email: 'jo@example.com', newStart: ny('2026-03-10T10:00') })).toMatchObject({ ok: false, code: 'CHANGE_DEADLINE_PASSED' });
  });

  it('still cancels a booking outside its deadline', async () => {
    const booking = await seed(ny('2026-03-09T09:00'), world.services.followUp);
    world.clock.set(ny('2026-03-06T09:00'));
    const c = conversation(world, 'rules-chat-allowed');
    await c.say(`Cancel ${booking.reference}, jo@example.com`);
    expect((await c.say('yes')).reply).toMatch(/has been cancelled/);
    expect((await statusOf(booking.reference)).status).toBe('cancelled');
  });
});
