// Issue 16's last edges on the <Gather> path, as Twilio (which retries a webhook it got no answer
// to, and may deliver status callbacks late or out of order), an attacker (another tenant's call
// SID, garbage keys, a huge prompt) and a confused caller (a "yes" after the hold lapsed) exercise
// it. Real receptionist (offline brain), real Postgres, webhooks signed with the twilio SDK.
import { createReceptionist, escalateToStaffIn, type Receptionist } from '@gomomo/agent';
import { createBookingEngine, createTenant, demoTenantInput, type BookingEngine, type Tenant } from '@gomomo/core';
import { ManualClock, createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { createPolicyEngine } from '@gomomo/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPhoneNumber } from '../../src/sms/inbound/phone-numbers.js';
import { createVoiceHandler, type VoiceHandler } from '../../src/voice/handler.js';
import type { VoiceHandlerOptions } from '../../src/voice/types.js';
import { signedVoiceRequest, startCaller } from '../fakes/fake-twilio-voice.js';
import { newPhone } from '../sms-webhook.js';

/** Thursday, March 5, 2026, 18:30 in New York: the clinic has closed, so "a person" takes a message. */
const evening = new ManualClock('2026-03-05T23:30:00Z');
const clinicNumber = '+12025550160';
const otherNumber = '+12025550161';
let db: TestDatabase;
let clinic: Tenant;
let other: Tenant;
let engine: BookingEngine;
let receptionist: Receptionist;

beforeAll(async () => {
  db = await createTestDatabase();
  clinic = await createTenant(db.pool, { ...demoTenantInput, slug: 'voice-edges-clinic', name: 'Harbor Dental', lookaheadDays: 60 });
  other = await createTenant(db.pool, { ...demoTenantInput, slug: 'voice-edges-other', name: 'Other Clinic', lookaheadDays: 60 });
  await addPhoneNumber(db.pool, { tenantId: clinic.id, number: clinicNumber, capabilities: ['voice'] });
  await addPhoneNumber(db.pool, { tenantId: other.id, number: otherNumber, capabilities: ['voice'] });
  engine = createBookingEngine({ pool: db.pool, clock: evening });
  receptionist = createReceptionist({ pool: db.pool, engine, policy: createPolicyEngine({ pool: db.pool, clock: evening }), clock: evening });
});

afterAll(async () => {
  await db?.drop();
});

function handlerWith(overrides: Partial<VoiceHandlerOptions> = {}): VoiceHandler {
  return createVoiceHandler({
    pool: db.pool,
    receptionist,
    engine,
    authToken: 'voice-test-auth-token',
    publicBaseUrl: 'https://api.gomomo.test',
    clock: evening,
    maxConcurrentCalls: 1000,
    escalateToStaff: async (client, input) => {
      await escalateToStaffIn(client, { ...input, channel: 'voice', now: evening.now() });
    },
    ...overrides,
  });
}

async function sessionOf(callSid: string): Promise<string> {
  const { rows } = await db.pool.query<{ session_id: string }>('SELECT session_id FROM voice_calls WHERE call_sid = $1', [callSid]);
  return rows[0]!.session_id;
}

/** What staff see of a call's message, and the needs-staff events that notify them. */
async function escalationsOf(callSid: string) {
  const sessionId = await sessionOf(callSid);
  const lines = await db.pool.query<{ content: string }>("SELECT content FROM agent_messages WHERE session_id = $1 AND content LIKE 'Message for staff:%'", [sessionId]);
  const events = await db.pool.query("SELECT id FROM domain_events WHERE session_id = $1 AND type = 'conversation.needs_staff'", [sessionId]);
  const audits = await db.pool.query("SELECT id FROM audit_log WHERE subject_id = $1 AND action = 'staff.escalate'", [callSid]);
  const turns = await db.pool.query('SELECT seq FROM voice_turns WHERE call_sid = $1', [callSid]);
  return { lines: lines.rows.map((r) => r.content), notified: events.rowCount, audited: audits.rowCount, turns: turns.rowCount };
}

describe('a retried message webhook', () => {
  async function callTakingAMessage(handler: VoiceHandler) {
    const from = newPhone();
    const call = startCaller(() => handler, { from, to: clinicNumber });
    await call.dial();
    expect((await call.say('can I talk to a person please')).said).toMatch(/Please say your message after this/);
    const message = { CallSid: call.callSid, AccountSid: `AC${'0'.repeat(32)}`, From: from, To: clinicNumber, Direction: 'inbound', ApiVersion: '2010-04-01', CallStatus: 'in-progress', SpeechResult: 'Please call me about my crown', Confidence: '0.9' };
    return { call, message };
  }

  it('a retried message webhook escalates once', async () => {
    const handler = handlerWith();
    const { call, message } = await callTakingAMessage(handler);
    // Twilio gave up waiting and sent the same request again while the first was still running,
    // then once more after both had answered.
    const request = signedVoiceRequest('/twilio/voice/gather', message);
    const answers = await Promise.all([handler.gather(request), handler.gather(request), handler.gather(request)]);
    for (const answer of answers) expect(answer.status).toBe(200);
    expect((await handler.gather(request)).body).toContain('<Hangup/>');
    expect(await escalationsOf(call.callSid)).toEqual({ lines: ['Message for staff: Please call me about my crown'], notified: 1, audited: 1, turns: 2 });
  });
});

const base = (callSid: string, from: string, to = clinicNumber) => ({ CallSid: callSid, AccountSid: `AC${'0'.repeat(32)}`, From: from, To: to, Direction: 'inbound', ApiVersion: '2010-04-01' });

async function callRow(callSid: string) {
  const { rows } = await db.pool.query<{ tenant_id: string; status: string; duration_seconds: number | null; ended_at: Date | null; turn_count: number }>(
    'SELECT tenant_id, status, duration_seconds, ended_at, turn_count FROM voice_calls WHERE call_sid = $1',
    [callSid],
  );
  return rows;
}

describe('status callbacks replayed, reordered or misaddressed', () => {
  it('a completed status that arrives before the last gather ends the call, and the late gather runs no turn', async () => {
    const handler = handlerWith();
    const call = startCaller(() => handler, { from: newPhone(), to: clinicNumber });
    await call.dial();
    await call.say('what are your hours?');
    await call.status('completed', 30);
    const late = await call.say('I would like to book a consultation next Tuesday afternoon');
    expect(late.isHangup).toBe(true);
    expect(await callRow(call.callSid)).toEqual([expect.objectContaining({ status: 'completed', duration_seconds: 30, turn_count: 1 })]);
  });

  it('a replayed status callback changes nothing, and a dial-done after the call ended does not reopen it', async () => {
    const handler = handlerWith();
    const from = newPhone();
    const call = startCaller(() => handler, { from, to: clinicNumber });
    await call.dial();
    // The caller hung up while the staff leg rang: canceled, then the late replays.
    await call.status('canceled', 30);
    const [ended] = await callRow(call.callSid);
    await call.status('canceled', 99);
    await call.status('completed', 0);
    expect(await callRow(call.callSid)).toEqual([ended]);
    const dialDone = await handler.dialDone(signedVoiceRequest('/twilio/voice/dial-done', { ...base(call.callSid, from), CallStatus: 'completed', DialCallStatus: 'no-answer' }));
    expect(dialDone.body).toContain('<Hangup/>');
    expect(await callRow(call.callSid)).toEqual([ended]);
  });

  it('a status callback for an unknown call sid records nothing', async () => {
    const handler = handlerWith();
    const callSid = `CA${'e'.repeat(32)}`;
    const answer = await handler.status(signedVoiceRequest('/twilio/voice/status', { ...base(callSid, newPhone()), CallStatus: 'completed', CallDuration: '5' }));
    expect(answer.status).toBe(200);
    expect(await callRow(callSid)).toEqual([]);
  });

  it("a status callback naming another tenant's call sid leaves that call alone", async () => {
    const handler = handlerWith();
    const from = newPhone();
    const call = startCaller(() => handler, { from, to: clinicNumber });
    await call.dial();
    const answer = await handler.status(signedVoiceRequest('/twilio/voice/status', { ...base(call.callSid, from, otherNumber), CallStatus: 'completed', CallDuration: '5' }));
    expect(answer.status).toBe(200);
    expect(await callRow(call.callSid)).toEqual([expect.objectContaining({ tenant_id: clinic.id, status: 'live', ended_at: null })]);
  });

  it("an incoming call reusing another tenant's call sid is refused with 409 naming CallSid, not a 5xx", async () => {
    const handler = handlerWith();
    const from = newPhone();
    const call = startCaller(() => handler, { from, to: clinicNumber });
    await call.dial();
    const answer = await handler.incoming(signedVoiceRequest('/twilio/voice', { ...base(call.callSid, from, otherNumber), CallStatus: 'ringing' }));
    expect(answer.status).toBe(409);
    expect(answer.body).toContain('CallSid');
    expect(await callRow(call.callSid)).toEqual([expect.objectContaining({ tenant_id: clinic.id, status: 'live' })]);
  });
});

/** A ConversationRelay socket in memory: what the relay sends, as parsed messages. */
function relaySocket(handler: VoiceHandler) {
  const sent: Array<Record<string, unknown>> = [];
  const connection = handler.relay.open({ send: (text) => sent.push(JSON.parse(text) as Record<string, unknown>), close: () => undefined });
  const message = (body: Record<string, unknown>) => connection.onMessage(JSON.stringify(body));
  return { sent, message, close: () => connection.onClose() };
}

describe('ConversationRelay setup and prompts', () => {
  it('a relay setup for a call sid that belongs to another number or caller is refused', async () => {
    const handler = handlerWith({ transport: 'relay' });
    const from = newPhone();
    const call = startCaller(() => handler, { from, to: clinicNumber });
    await call.dial();
    const unknownSid = `CA${'d'.repeat(32)}`;
    for (const setup of [
      { callSid: call.callSid, from, to: otherNumber },
      { callSid: call.callSid, from: newPhone(), to: clinicNumber },
      { callSid: unknownSid, from, to: clinicNumber },
    ]) {
      const socket = relaySocket(handler);
      await socket.message({ type: 'setup', ...setup });
      await socket.message({ type: 'prompt', voicePrompt: 'what are your hours?', last: true });
      expect(socket.sent.at(-1)).toEqual({ type: 'end', handoffData: JSON.stringify({ reason: 'unknown-call' }) });
      expect(socket.sent.some((m) => String(m['token'] ?? '').includes('open'))).toBe(false);
    }
    expect(await callRow(call.callSid)).toEqual([expect.objectContaining({ tenant_id: clinic.id, status: 'live', turn_count: 0 })]);
    expect(await callRow(unknownSid)).toEqual([]);
  });

  it('a second setup on a socket does not move it to another call', async () => {
    const handler = handlerWith({ transport: 'relay' });
    const [ana, ben] = [newPhone(), newPhone()];
    const anaCall = startCaller(() => handler, { from: ana, to: clinicNumber });
    const benCall = startCaller(() => handler, { from: ben, to: clinicNumber });
    await anaCall.dial();
    await benCall.dial();
    const socket = relaySocket(handler);
    await socket.message({ type: 'setup', callSid: anaCall.callSid, from: ana, to: clinicNumber });
    await socket.message({ type: 'setup', callSid: benCall.callSid, from: ben, to: clinicNumber });
    await socket.message({ type: 'prompt', voicePrompt: 'what are your hours?', last: true });
    expect((await callRow(anaCall.callSid))[0]!.turn_count).toBe(1);
    expect((await callRow(benCall.callSid))[0]!.turn_count).toBe(0);
  });

  it('a prompt of 10 kB is answered with a request to say it shorter, not silence', async () => {
    const handler = handlerWith({ transport: 'relay' });
    const from = newPhone();
    const call = startCaller(() => handler, { from, to: clinicNumber });
    await call.dial();
    const socket = relaySocket(handler);
    await socket.message({ type: 'setup', callSid: call.callSid, from, to: clinicNumber });
    await socket.message({ type: 'prompt', voicePrompt: 'book '.repeat(2000), last: true });
    expect(socket.sent).toEqual([{ type: 'text', token: expect.stringMatching(/^Sorry, that was a lot at once\./), last: true }]);
    const gathered = await handler.gather(signedVoiceRequest('/twilio/voice/gather', { ...base(call.callSid, from), CallStatus: 'in-progress', SpeechResult: 'book '.repeat(2000) }));
    expect(gathered.status).toBe(400);
    expect(gathered.body).toContain('SpeechResult: must be at most 4000 characters');
  });
});

describe('the relay keeps the call in memory', () => {
  it('a socket whose call took a turn on another socket reads the call again instead of losing its turns', async () => {
    const handler = handlerWith({ transport: 'relay' });
    const from = newPhone();
    const call = startCaller(() => handler, { from, to: clinicNumber });
    await call.dial();
    // Twilio reconnected (a second socket) while the first one lingered; both carry turns.
    const first = relaySocket(handler);
    const second = relaySocket(handler);
    for (const socket of [first, second]) await socket.message({ type: 'setup', callSid: call.callSid, from, to: clinicNumber });
    await first.message({ type: 'prompt', voicePrompt: 'what are your hours?', last: true });
    await second.message({ type: 'prompt', voicePrompt: 'what services do you offer?', last: true });
    await second.message({ type: 'prompt', voicePrompt: 'what are your hours?', last: true });
    const { rows } = await db.pool.query<{ seq: number; heard: string }>('SELECT seq, heard FROM voice_turns WHERE call_sid = $1 ORDER BY seq', [call.callSid]);
    // The stale socket's first turn found its seq taken and was not stored; its copy was refreshed.
    expect(rows).toEqual([
      { seq: 1, heard: 'what are your hours?' },
      { seq: 2, heard: 'what are your hours?' },
    ]);
    expect(await callRow(call.callSid)).toEqual([expect.objectContaining({ turn_count: 2, status: 'live' })]);
  });
});

describe('keys and read-backs', () => {
  async function readBackFor(handler: VoiceHandler, from: string) {
    const call = startCaller(() => handler, { from, to: clinicNumber });
    await call.dial();
    await call.say('I would like to book a consultation next Tuesday afternoon');
    await call.press('2');
    expect((await call.say('Ana Silva')).said).toMatch(/^To confirm: .+ Press 1 to confirm, or 2 to change\.$/);
    return call;
  }

  async function bookingsOf(phone: string) {
    const { rows } = await db.pool.query('SELECT status FROM appointments WHERE client_phone = $1', [phone]);
    return rows;
  }

  it('DTMF garbage after a read-back books nothing, and keys that are not keys are a 400 naming Digits', async () => {
    const handler = handlerWith();
    const from = newPhone();
    const call = await readBackFor(handler, from);
    for (const keys of ['#', '*', '9', '0000']) {
      const answer = await call.press(keys);
      expect(answer.said).not.toMatch(/booked/i);
    }
    expect(await bookingsOf(from)).toEqual([]);
    const bad = await handler.gather(signedVoiceRequest('/twilio/voice/gather', { ...base(call.callSid, from), CallStatus: 'in-progress', Digits: '1; DROP TABLE' }));
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('Digits: must be keypad digits');
  });

  it('a "yes" after the hold expired mid-read-back claims no booking', async () => {
    const slow = new ManualClock('2026-03-05T23:30:00Z');
    const slowEngine = createBookingEngine({ pool: db.pool, clock: slow });
    const slowReceptionist = createReceptionist({ pool: db.pool, engine: slowEngine, policy: createPolicyEngine({ pool: db.pool, clock: slow }), clock: slow });
    const handler = handlerWith({ clock: slow, engine: slowEngine, receptionist: slowReceptionist });
    const from = newPhone();
    const call = await readBackFor(handler, from);
    // The caller wanders off mid-read-back; the hold lapses (the tenant's hold time is minutes).
    slow.advance(60 * 60 * 1000);
    const yes = await call.say('yes');
    expect(yes.said).toMatch(/^The hold on that time ran out, so I took .+ again for you\. Shall I book it now\? Press 1 to confirm/);
    expect(yes.said).not.toMatch(/booked|reference/i);
    expect(await bookingsOf(from)).toEqual([]);
  });
});
