// Scripted phone calls through the <Gather> transport: signed Twilio voice webhooks into the real
// receptionist (@gomomo/agent with its offline brain, the booking engine and the policy engine on a
// real Postgres), TwiML built by the twilio SDK and read back as Twilio would act on it.
import { createReceptionist, createStaffDesk, escalateToStaffIn, issueHandoffLink, type Receptionist } from '@gomomo/agent';
import { createBookingEngine, createTenant, demoTenantInput, type BookingEngine, type Tenant } from '@gomomo/core';
import { ManualClock, createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { createPolicyEngine } from '@gomomo/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPhoneNumber } from '../src/sms/inbound/phone-numbers.js';
import { createVoiceHandler, type VoiceHandler } from '../src/voice/handler.js';
import type { VoiceHandlerOptions } from '../src/voice/types.js';
import { fullAttestation, readTwiml, signedVoiceRequest, startCaller, voiceAuthToken, voicePublicBaseUrl } from './fakes/fake-twilio-voice.js';
import { newPhone } from './sms-webhook.js';

/** Thursday, March 5, 2026, 09:00 in New York. */
const clock = new ManualClock('2026-03-05T14:00:00Z');
const clinicNumber = '+12025550140';
const smsOnlyNumber = '+12025550141';
const staffNumber = '+12025550199';
let db: TestDatabase;
let tenant: Tenant;
let engine: BookingEngine;
let receptionist: Receptionist;

beforeAll(async () => {
  db = await createTestDatabase();
  tenant = await createTenant(db.pool, { ...demoTenantInput, slug: 'voice-clinic', name: 'Harbor Dental', lookaheadDays: 60, settings: { voice: { staffNumber }, siteUrl: 'https://harbor.example/book' } });
  await addPhoneNumber(db.pool, { tenantId: tenant.id, number: clinicNumber, label: 'main line', capabilities: ['sms', 'voice'] });
  await addPhoneNumber(db.pool, { tenantId: tenant.id, number: smsOnlyNumber, label: 'texts only' });
  engine = createBookingEngine({ pool: db.pool, clock });
  receptionist = createReceptionist({ pool: db.pool, engine, policy: createPolicyEngine({ pool: db.pool, clock }), clock });
});

afterAll(async () => {
  await db?.drop();
});

function handlerWith(overrides: Partial<VoiceHandlerOptions> = {}): VoiceHandler {
  return createVoiceHandler({
    pool: db.pool,
    receptionist,
    engine,
    authToken: voiceAuthToken,
    publicBaseUrl: voicePublicBaseUrl,
    clock,
    maxConcurrentCalls: 1000,
    issueHandoffLink: (input) => issueHandoffLink(db.pool, { ...input, now: clock.now() }),
    escalateToStaff: async (client, input) => {
      await escalateToStaffIn(client, { ...input, channel: 'voice', now: clock.now() });
    },
    ...overrides,
  });
}

function caller(overrides: Partial<VoiceHandlerOptions> = {}, from = newPhone(), attestation?: string) {
  const handler = handlerWith(overrides);
  return { from, ...startCaller(() => handler, { from, to: clinicNumber, attestation }) };
}

async function appointmentOf(reference: string) {
  const { rows } = await db.pool.query<{ status: string; starts_at: Date; client_name: string; client_phone: string | null }>(
    'SELECT status, starts_at, client_name, client_phone FROM appointments WHERE tenant_id = $1 AND reference = $2',
    [tenant.id, reference],
  );
  return rows[0];
}

async function turnsOf(callSid: string) {
  const { rows } = await db.pool.query<{ seq: number; input: string; heard: string; said: string }>('SELECT seq, input, heard, said FROM voice_turns WHERE call_sid = $1 ORDER BY seq', [callSid]);
  return rows;
}

describe('a call comes in', () => {
  it('starts with the AI disclosure and the greeting, and records the call', async () => {
    const ana = caller();
    const answer = await ana.dial();
    expect(answer.said).toBe("Hi, you've reached an automated assistant for Harbor Dental. Calls may be transcribed. How can I help you today?");
    expect(answer.gatherAction).toBe(`${voicePublicBaseUrl}/twilio/voice/gather`);
    const { rows } = await db.pool.query('SELECT tenant_id, from_number, status, transport FROM voice_calls WHERE call_sid = $1', [ana.callSid]);
    expect(rows).toEqual([{ tenant_id: tenant.id, from_number: ana.from, status: 'live', transport: 'gather' }]);
  });

  it('answers a number no tenant takes calls on with a polite message, and records the hit', async () => {
    const handler = handlerWith();
    const stray = startCaller(() => handler, { from: newPhone(), to: smsOnlyNumber });
    const answer = await stray.dial();
    expect(answer.said).toMatch(/isn't set up to take calls/);
    expect(answer.isHangup).toBe(true);
    const { rows } = await db.pool.query('SELECT to_number FROM voice_calls_unrouted WHERE call_sid = $1', [stray.callSid]);
    expect(rows).toEqual([{ to_number: smsOnlyNumber }]);
  });

  it('refuses a webhook whose signature does not match with 403, and a bad CallSid with 400 naming it', async () => {
    const handler = handlerWith();
    const params = { CallSid: `CA${'a'.repeat(32)}`, From: newPhone(), To: clinicNumber, CallStatus: 'ringing' };
    const forged = await handler.incoming(signedVoiceRequest('/twilio/voice', params, 'not-the-token'));
    expect(forged.status).toBe(403);
    const bad = await handler.incoming(signedVoiceRequest('/twilio/voice', { ...params, CallSid: 'CA123' }));
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('CallSid');
  });
});

const spokenTail = (phone: string) => phone.slice(-4).split('').map((d) => ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'][Number(d)]).join(' ');

async function bookingsOf(phone: string) {
  const { rows } = await db.pool.query<{ reference: string; status: string; starts_at: Date; client_name: string }>(
    'SELECT reference, status, starts_at, client_name FROM appointments WHERE tenant_id = $1 AND client_phone = $2 ORDER BY created_at',
    [tenant.id, phone],
  );
  return rows;
}

async function textsTo(phone: string) {
  const { rows } = await db.pool.query<{ template: string; body: string }>('SELECT template, body FROM notification_outbox WHERE tenant_id = $1 AND recipient = $2 ORDER BY created_at', [tenant.id, phone]);
  return rows;
}

/** Books a consultation on Tuesday March 10 at one in the afternoon for `from`, as a caller would. */
async function bookByPhone(from: string) {
  const call = caller({}, from);
  await call.dial();
  const offer = await call.say('I would like to book a consultation next Tuesday afternoon');
  const held = await call.press('2');
  const readBack = await call.say('Ana Silva');
  const done = await call.press('1');
  return { call, offer, held, readBack, done };
}

describe('booking by phone through the offline brain', () => {
  it('offers at most two times, reads back service, weekday, date and time, and books on DTMF 1', async () => {
    const from = newPhone();
    const { call, offer, held, readBack, done } = await bookByPhone(from);
    expect(offer.said).toContain('I have noon, Tuesday March tenth, or one in the afternoon, Tuesday March tenth.');
    expect(offer.said).not.toMatch(/two in the afternoon|\d:\d\d|PM/);
    expect(held.said).toMatch(/^I'm holding one in the afternoon, Tuesday March tenth for Consultation/);
    expect(readBack.said).toBe(`To confirm: Consultation at one in the afternoon, Tuesday March tenth for Ana Silva, the number ending ${spokenTail(from)}. Shall I book it? Press 1 to confirm, or 2 to change.`);
    expect(done.said).toMatch(/^You're booked: Consultation with .* at one in the afternoon, Tuesday March tenth\. Your reference is G M, [0-9A-Z ]{9}, keep it/);
    const [booking] = await bookingsOf(from);
    expect(booking).toMatchObject({ status: 'booked', starts_at: new Date('2026-03-10T17:00:00Z'), client_name: 'Ana Silva' });
    expect(await turnsOf(call.callSid)).toHaveLength(4);
  });

  it('queues no confirmation of its own: the booking, under the caller ID, is autonomy\'s to confirm (one SMS, not two)', async () => {
    const from = newPhone();
    await bookByPhone(from);
    const [booking] = await bookingsOf(from);
    expect(booking).toMatchObject({ status: 'booked' });
    // The appointment carries the caller's number, so autonomy's confirmation reaches it (apps/api's
    // regression test "a voice booking sends one SMS confirmation" runs the worker too).
    expect((await appointmentOf(booking!.reference))?.client_phone).toBe(from);
    expect(await textsTo(from)).toEqual([]);
  });

  it('DTMF 2 after the read-back is a no: nothing is booked', async () => {
    const from = newPhone();
    const call = caller({}, from);
    await call.dial();
    await call.say('I would like to book a consultation next Tuesday afternoon');
    await call.press('1');
    await call.say('Ben Ode');
    const kept = await call.press('2');
    expect(kept.said).not.toMatch(/You're booked/i);
    expect(await bookingsOf(from)).toEqual([]);
  });

  it('reschedules and then cancels by phone, the carrier-attested caller ID standing as the verified contact', async () => {
    const from = newPhone();
    await bookByPhone(from);
    const [booking] = await bookingsOf(from);
    const call = caller({}, from, fullAttestation);
    await call.dial();
    const which = await call.say('I need to reschedule my appointment');
    expect(which.said).toMatch(/When would you like to move it to\?$/);
    const move = await call.say('Friday March 13 at 11 am');
    expect(move.said).toMatch(/^Move your Consultation from [a-z ]+ in the afternoon, Tuesday March tenth to eleven in the morning, Friday March thirteenth\? Press 1 to confirm, or 2 to change\.$/);
    expect((await call.say('yes')).said).toMatch(/moved/);
    expect(await appointmentOf(booking!.reference)).toMatchObject({ status: 'booked', starts_at: new Date('2026-03-13T15:00:00Z') });
    // Notices are autonomy's, from the booking's events (apps/api's regression test runs the worker).
    expect(await textsTo(from)).toEqual([]);

    const cancel = await call.say('please cancel my appointment');
    expect(cancel.said).toMatch(/Shall I cancel it\? Press 1 to confirm, or 2 to change\.$/);
    expect((await call.press('1')).said).toMatch(/has been cancelled/);
    expect(await appointmentOf(booking!.reference)).toMatchObject({ status: 'cancelled' });
  });

  it('joins the waitlist by phone', async () => {
    const from = newPhone();
    const call = caller({}, from);
    await call.dial();
    expect((await call.say('put me on the waitlist for a consultation on Thursday March 12')).said).toMatch(/What name/);
    expect((await call.say('Cleo Park')).said).toMatch(/on the waitlist for Consultation on Thursday, March twelfth/);
    const { rows } = await db.pool.query('SELECT client_name FROM waitlist_entries WHERE tenant_id = $1 AND client_phone = $2', [tenant.id, from]);
    expect(rows).toEqual([{ client_name: 'Cleo Park' }]);
  });
});

describe('voice manners', () => {
  it('AM/PM ambiguity: "at 9" asks morning or evening before the receptionist guesses, and a key answers it', async () => {
    const from = newPhone();
    const call = caller({}, from);
    await call.dial();
    const asked = await call.say('book me a consultation on Wednesday March 11 at 9');
    expect(asked.said).toBe('Just to be sure: did you mean nine in the morning, or nine in the evening? You can also press 1 for morning or 2 for evening.');
    const held = await call.press('1');
    expect(held.said).toMatch(/^I'm holding nine in the morning, Wednesday March eleventh/);
  });

  it('no-input: re-prompts twice, then offers a text or a person, and 2 transfers to staff with a whisper in hours', async () => {
    const call = caller();
    const greeting = (await call.dial()).said;
    expect((await call.silence()).said).toBe(`Sorry, I didn't catch that. ${greeting}`);
    expect((await call.silence()).said).toBe(`Sorry, I didn't catch that. ${greeting}`);
    expect((await call.silence()).said).toMatch(/Press 1 for a text, or 2 for a person\.$/);
    const transfer = await call.press('2');
    expect(transfer.said).toBe('Sure, connecting you to our team now.');
    expect(transfer.dial).toBe(staffNumber);
    expect(transfer.whisperUrl).toBe(`${voicePublicBaseUrl}/twilio/voice/whisper`);
  });

  it('no-match: speech heard with low confidence is re-asked, not sent to the receptionist', async () => {
    const call = caller();
    await call.dial();
    const misheard = await call.say('bok a consuhtation', 0.12);
    expect(misheard.said).toMatch(/^Sorry, I didn't understand that\./);
    expect(await turnsOf(call.callSid)).toEqual([expect.objectContaining({ input: 'speech', heard: 'bok a consuhtation' })]);
  });
});

describe('a person when needed', () => {
  it('transfer in hours: "operator" dials the staff number, whose leg hears a one-line summary', async () => {
    const handler = handlerWith();
    const call = startCaller(() => handler, { from: newPhone(), to: clinicNumber });
    await call.dial();
    await call.say('what are your hours?');
    const transfer = await call.say('operator');
    expect(transfer.dial).toBe(staffNumber);
    const whisper = await handler.whisper(signedVoiceRequest('/twilio/voice/whisper', { CallSid: `CA${'b'.repeat(32)}`, ParentCallSid: call.callSid, From: clinicNumber, To: staffNumber, CallStatus: 'in-progress' }));
    expect(whisper.body).toMatch(/Call from Harbor Dental's assistant\. Last thing the assistant said: Harbor Dental is open/);
    const { rows } = await db.pool.query('SELECT status FROM voice_calls WHERE call_sid = $1', [call.callSid]);
    expect(rows).toEqual([{ status: 'transferred' }]);
  });

  it('transfer out of hours: takes a message, records it as a staff escalation, and says when someone will call back', async () => {
    const evening = new ManualClock('2026-03-05T23:30:00Z');
    const call = caller({ clock: evening });
    await call.dial();
    const away = await call.say('can I talk to a person please');
    expect(away.said).toBe("Our team isn't available right now. Please say your message after this, and someone will call you back tomorrow at nine in the morning.");
    const thanks = await call.say('Hi, this is Dana, please call me about my crown, my email is dana@example.com');
    expect(thanks.said).toBe("Thank you, I've passed your message on. Someone will call you back tomorrow at nine in the morning. Goodbye!");
    expect(thanks.isHangup).toBe(true);
    const { rows } = await db.pool.query<{ details: { kind: string; message: string } }>("SELECT details FROM audit_log WHERE tenant_id = $1 AND action = 'staff.escalate' AND subject_id = $2", [tenant.id, call.callSid]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.details.kind).toBe('voice_message');
    expect(rows[0]!.details.message).not.toContain('dana@example.com');
    expect((await turnsOf(call.callSid)).at(-1)).toMatchObject({ heard: expect.stringContaining('call me about my crown') });
  });
});

describe('out-of-hours message is a staff escalation with the transcript', () => {
  async function conversationOf(callSid: string) {
    const { rows } = await db.pool.query<{ session_id: string }>('SELECT session_id FROM voice_calls WHERE call_sid = $1', [callSid]);
    return createStaffDesk({ pool: db.pool, clock }).readConversation({ tenantId: tenant.id, sessionId: rows[0]!.session_id });
  }

  it('a message left outside hours marks the call\'s conversation needs staff in the inbox, with what was said and the number to call back', async () => {
    const evening = new ManualClock('2026-03-05T23:30:00Z');
    const from = newPhone();
    const call = caller({ clock: evening }, from);
    await call.dial();
    await call.say('what are your hours?');
    await call.say('I need to talk to a person');
    await call.say('Please call me about my crown');
    const conversation = await conversationOf(call.callSid);
    expect(conversation).toMatchObject({ channel: 'voice', handoff: 'needs_staff', handoffReason: 'asked', contact: { phone: from } });
    const lines = conversation!.messages.filter((m) => m.role !== 'tool' && !m.toolCalls).map((m) => `${m.role}: ${m.content}`);
    expect(lines).toEqual([
      'user: what are your hours?',
      expect.stringMatching(/^assistant: Harbor Dental is open/),
      'user: I need to talk to a person',
      expect.stringMatching(/^assistant: Our team isn't available right now\./),
      'user: Message for staff: Please call me about my crown',
    ]);
    // The event the console's badge and autonomy's on-duty notification follow, once.
    const { rows } = await db.pool.query("SELECT payload FROM domain_events WHERE tenant_id = $1 AND type = 'conversation.needs_staff' AND session_id = $2", [tenant.id, conversation!.sessionId]);
    expect(rows).toEqual([{ payload: { reason: 'asked', channel: 'voice' } }]);
    const inbox = await createStaffDesk({ pool: db.pool, clock }).listConversations({ tenantId: tenant.id, handoff: 'needs_staff' });
    expect(inbox.conversations.find((c) => c.sessionId === conversation!.sessionId)).toMatchObject({ channel: 'voice', lastMessage: { content: 'Message for staff: Please call me about my crown' } });
  });

  it('a message left when staff did not pick up is escalated the same way', async () => {
    const handler = handlerWith();
    const from = newPhone();
    const call = startCaller(() => handler, { from, to: clinicNumber });
    await call.dial();
    expect((await call.say('operator')).dial).toBe(staffNumber);
    const noAnswer = readTwiml((await handler.dialDone(signedVoiceRequest('/twilio/voice/dial-done', { CallSid: call.callSid, AccountSid: `AC${'0'.repeat(32)}`, From: from, To: clinicNumber, CallStatus: 'in-progress', DialCallStatus: 'no-answer' }))).body);
    expect(noAnswer.said).toMatch(/no one could pick up/);
    expect((await call.say('Call me back about Friday please')).said).toBe("Thank you, I've passed your message on. Someone will call you back as soon as they can. Goodbye!");
    const conversation = await conversationOf(call.callSid);
    expect(conversation).toMatchObject({ handoff: 'needs_staff', contact: { phone: from } });
    expect(conversation!.messages.at(-1)).toMatchObject({ role: 'user', content: 'Message for staff: Call me back about Friday please' });
  });
});

describe('status callbacks', () => {
  it('stores the final status and duration, and a call that dropped with a live hold releases it', async () => {
    const call = caller();
    await call.dial();
    await call.say('I would like to book a consultation next Tuesday afternoon');
    await call.press('1');
    const { rows: before } = await db.pool.query("SELECT h.status FROM holds h JOIN voice_calls v ON v.session_id = h.session_id WHERE v.call_sid = $1", [call.callSid]);
    expect(before).toEqual([{ status: 'active' }]);
    expect((await call.status('completed', 42)).status).toBe(200);
    const { rows } = await db.pool.query("SELECT v.status, v.duration_seconds, h.status AS hold FROM voice_calls v JOIN holds h ON h.session_id = v.session_id WHERE v.call_sid = $1", [call.callSid]);
    expect(rows).toEqual([{ status: 'completed', duration_seconds: 42, hold: 'released' }]);
  });

  it('stores busy, no-answer and failed as Twilio reports them', async () => {
    for (const status of ['busy', 'no-answer', 'failed']) {
      const call = caller();
      await call.dial();
      await call.status(status, 0);
      const { rows } = await db.pool.query('SELECT status FROM voice_calls WHERE call_sid = $1', [call.callSid]);
      expect(rows).toEqual([{ status }]);
    }
  });
});

describe('phone → text handoff', () => {
  it('SMS handoff: "text me a link" sends a single-use link that opens web chat on the call\'s conversation, its slot still held after the hang-up', async () => {
    const from = newPhone();
    const call = caller({}, from);
    await call.dial();
    await call.say('I would like to book a consultation on Thursday March 12 in the morning');
    const held = await call.press('1');
    expect(held.said).toMatch(/^I'm holding (.+) Thursday March twelfth/);
    const bye = await call.say('can you just text me a link');
    expect(bye.said).toMatch(/texted you a link/);
    expect(bye.isHangup).toBe(true);
    const [text] = await textsTo(from);
    const token = /#gomomo-offer=(gmo_[A-Za-z0-9_-]{43})/.exec(text!.body)?.[1];
    expect(text!.body).toContain('https://harbor.example/book#gomomo-offer=');
    // Twilio reports the call completed as soon as it hangs up: the hold stays for the link.
    await call.status('completed', 30);
    const opened = await receptionist.openOffer({ tenantId: tenant.id, offerToken: token! });
    // The link opens the call's own conversation: what was said is its history, the held slot its opening.
    expect(opened!.reply).toMatch(/^I'm holding Thu, Mar 12, .+ for Consultation for you/);
    expect(opened!.history.map((m) => m.content)).toEqual(['I would like to book a consultation on Thursday March 12 in the morning', expect.stringMatching(/^Here are open times/), '1', expect.stringMatching(/^I'm holding/)]);
    const { rows } = await db.pool.query("SELECT v.session_id FROM holds h JOIN voice_calls v ON v.session_id = h.session_id WHERE v.call_sid = $1 AND h.status = 'active'", [call.callSid]);
    expect(rows).toEqual([{ session_id: opened!.sessionId }]);
    expect(await receptionist.openOffer({ tenantId: tenant.id, offerToken: token! })).toBeNull();
  });
});

describe('concurrent call limit', () => {
  it('an excess caller hears a busy message and gets an SMS with the booking page', async () => {
    const first = caller({ maxConcurrentCalls: 1 });
    const { rows: live } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM voice_calls WHERE tenant_id = $1 AND status = 'live'", [tenant.id]);
    const limited = caller({ maxConcurrentCalls: live[0]!.n + 1 });
    expect((await limited.dial()).said).toMatch(/How can I help/);
    const busy = caller({ maxConcurrentCalls: live[0]!.n + 1 });
    const refused = await busy.dial();
    expect(refused.said).toMatch(/all our lines are busy/);
    expect(refused.isHangup).toBe(true);
    expect(await textsTo(busy.from)).toEqual([{ template: 'sms_reply', body: expect.stringContaining('https://harbor.example/book') }]);
    const { rows } = await db.pool.query('SELECT status FROM voice_calls WHERE call_sid = $1', [busy.callSid]);
    expect(rows).toEqual([{ status: 'busy_limit' }]);
    expect(first.callSid).toBeTruthy();
  });
});
