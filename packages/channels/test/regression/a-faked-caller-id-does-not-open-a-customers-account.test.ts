// A caller ID is trivially faked, yet a call from a customer's number was greeted "Welcome back,
// Rosa! … the same as last time", and could look up and cancel her booking. Now only a caller ID the
// carrier attested in full (Twilio's `StirVerstat` TN-Validation-Passed-A, on the signed first
// webhook) proves who is calling; any other call is a stranger's until the one-time code, sent to the
// booking's own contact, proves it. Both transports (<Gather> and ConversationRelay), the real
// receptionist (offline brain) with its codes queued on the real outbox, real Postgres.
import { createReceptionist, type CodeSender, type Receptionist } from '@gomomo/agent';
import { createBookingEngine, createTenant, demoTenantInput, type Tenant } from '@gomomo/core';
import { ManualClock, createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { createPolicyEngine } from '@gomomo/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueOutboxMessage } from '../../src/outbox/enqueue.js';
import { addPhoneNumber } from '../../src/sms/inbound/phone-numbers.js';
import { createVoiceHandler, type VoiceHandler } from '../../src/voice/handler.js';
import { fullAttestation, startCaller, voiceAuthToken, voicePublicBaseUrl } from '../fakes/fake-twilio-voice.js';
import { newPhone } from '../sms-webhook.js';

/** Thursday, March 5, 2026, 09:00 in New York. */
const clock = new ManualClock('2026-03-05T14:00:00Z');
const clinicNumber = '+12025550170';
const notFullyAttested = [undefined, 'TN-Validation-Passed-B', 'TN-Validation-Passed-C', 'TN-Validation-Failed-A', 'No-TN-Validation'];
let db: TestDatabase;
let tenant: Tenant;
let receptionist: Receptionist;

/** The one-time code goes out as the server sends it: an SMS or email on the outbox, in the code's transaction. */
const sendCodeThroughOutbox: CodeSender = async (client, message) => {
  await enqueueOutboxMessage(client, {
    tenantId: message.tenantId,
    channel: message.channel,
    template: 'identity_code',
    recipient: message.recipient,
    body: `${message.businessName}: your code is ${message.code}.`,
    idempotencyKey: message.idempotencyKey,
    isTransactional: true,
    sendBefore: message.expiresAt,
  });
};

beforeAll(async () => {
  db = await createTestDatabase();
  tenant = await createTenant(db.pool, { ...demoTenantInput, slug: 'callerid-clinic', name: 'Harbor Dental', lookaheadDays: 60 });
  await addPhoneNumber(db.pool, { tenantId: tenant.id, number: clinicNumber, capabilities: ['sms', 'voice'] });
  const engine = createBookingEngine({ pool: db.pool, clock });
  receptionist = createReceptionist({ pool: db.pool, engine, policy: createPolicyEngine({ pool: db.pool, clock }), clock, codeSender: sendCodeThroughOutbox });
});

afterAll(async () => {
  await db?.drop();
});

function handlerWith(transport: 'gather' | 'relay'): VoiceHandler {
  return createVoiceHandler({ pool: db.pool, receptionist, authToken: voiceAuthToken, publicBaseUrl: voicePublicBaseUrl, clock, maxConcurrentCalls: 1000, transport });
}

function callFrom(from: string, attestation?: string) {
  const handler = handlerWith('gather');
  return startCaller(() => handler, { from, to: clinicNumber, attestation });
}

/** Weekdays with free afternoons: each test's Rosa books on her own day, so no test takes another's slot. */
const bookingDays = ['Monday March 9', 'Tuesday March 10', 'Wednesday March 11', 'Thursday March 12', 'Friday March 13', 'Monday March 16', 'Tuesday March 17', 'Wednesday March 18', 'Thursday March 19', 'Friday March 20', 'Monday March 23', 'Tuesday March 24', 'Wednesday March 25', 'Thursday March 26', 'Friday March 27'];
let booked = 0;

/** Rosa books a consultation one afternoon, from her own phone. */
async function rosaBooks(): Promise<{ phone: string; reference: string }> {
  const phone = newPhone();
  const call = callFrom(phone);
  await call.dial();
  await call.say(`I would like to book a consultation on ${bookingDays[booked++]} afternoon`);
  await call.press('1');
  await call.say('Rosa Diaz');
  expect((await call.press('1')).said).toMatch(/^You're booked/);
  const { rows } = await db.pool.query<{ reference: string }>('SELECT reference FROM appointments WHERE tenant_id = $1 AND client_phone = $2', [tenant.id, phone]);
  return { phone, reference: rows[0]!.reference };
}

async function statusOf(reference: string): Promise<string | undefined> {
  const { rows } = await db.pool.query<{ status: string }>('SELECT status FROM appointments WHERE tenant_id = $1 AND reference = $2', [tenant.id, reference]);
  return rows[0]?.status;
}

async function codesTo(phone: string): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM notification_outbox WHERE tenant_id = $1 AND recipient = $2 AND template = 'identity_code'", [tenant.id, phone]);
  return rows[0]!.n;
}

/** A ConversationRelay socket in memory, after the signed webhook that answered with <ConversationRelay>. */
async function relayCallFrom(from: string, options: { attestation?: string | undefined; setupExtra?: Record<string, unknown> } = {}) {
  const handler = handlerWith('relay');
  const call = startCaller(() => handler, { from, to: clinicNumber, attestation: options.attestation });
  expect((await call.dial()).relayUrl).toBe('wss://api.gomomo.test/twilio/voice/relay');
  const sent: Array<Record<string, unknown>> = [];
  const connection = handler.relay.open({ send: (text) => sent.push(JSON.parse(text) as Record<string, unknown>), close: () => undefined });
  await connection.onMessage(JSON.stringify({ type: 'setup', callSid: call.callSid, from, to: clinicNumber, ...options.setupExtra }));
  return {
    async prompt(voicePrompt: string): Promise<string> {
      const before = sent.length;
      await connection.onMessage(JSON.stringify({ type: 'prompt', voicePrompt, last: true }));
      return sent
        .slice(before)
        .map((m) => String(m['token'] ?? ''))
        .join('');
    },
  };
}

describe('on the <Gather> transport', () => {
  it.each(notFullyAttested)("a call from a customer's number without carrier attestation is not greeted with their profile (StirVerstat %s)", async (attestation) => {
    const rosa = await rosaBooks();
    const spoofer = callFrom(rosa.phone, attestation);
    await spoofer.dial();
    const greeted = (await spoofer.say('hello')).said;
    expect(greeted).not.toMatch(/Welcome back|Rosa|same as last time|Consultation/);
    // Nor does asking after "my appointment" list hers.
    const asked = (await spoofer.say('I want to check my appointment')).said;
    expect(asked).toMatch(/booking reference/);
    expect(asked).not.toMatch(/March|Consultation|Rosa/);
  });

  it("a call from a customer's number without carrier attestation cannot cancel their booking without a code", async () => {
    const rosa = await rosaBooks();
    const spoofer = callFrom(rosa.phone);
    await spoofer.dial();
    expect((await spoofer.say('please cancel my appointment')).said).toMatch(/booking reference/);
    const asked = (await spoofer.say(`the reference is ${rosa.reference}`)).said;
    // The code goes to the number on the booking: Rosa's own phone, which the spoofer does not hold.
    expect(asked).toMatch(/code/i);
    expect(asked).not.toMatch(/Shall I cancel/);
    expect(await codesTo(rosa.phone)).toBe(1);
    expect((await spoofer.press('1')).said).not.toMatch(/cancelled/);
    expect((await spoofer.say('yes cancel it')).said).not.toMatch(/cancelled/);
    expect(await statusOf(rosa.reference)).toBe('booked');
  });

  it('a call with full attestation (A) is greeted by name', async () => {
    const rosa = await rosaBooks();
    const call = callFrom(rosa.phone, fullAttestation);
    await call.dial();
    expect((await call.say('hello')).said).toMatch(/^Welcome back, Rosa! Would you like the same as last time: Consultation with .+, in the afternoon\?/);
  });

  it('a call with full attestation (A) cancels without a code, the booking found by its number', async () => {
    const rosa = await rosaBooks();
    const call = callFrom(rosa.phone, fullAttestation);
    await call.dial();
    expect((await call.say('please cancel my appointment')).said).toMatch(/Shall I cancel it\?/);
    expect((await call.press('1')).said).toMatch(/has been cancelled/);
    expect(await statusOf(rosa.reference)).toBe('cancelled');
    expect(await codesTo(rosa.phone)).toBe(0);
  });

  it('the attestation is the first signed webhook\'s: a later webhook claiming A does not raise it', async () => {
    const rosa = await rosaBooks();
    const handler = handlerWith('gather');
    const first = startCaller(() => handler, { from: rosa.phone, to: clinicNumber });
    await first.dial();
    const claimed = startCaller(() => handler, { from: rosa.phone, to: clinicNumber, callSid: first.callSid, attestation: fullAttestation });
    expect((await claimed.say('hello')).said).not.toMatch(/Welcome back|Rosa/);
  });

  it("a stranger's call still books with the caller's number as the contact", async () => {
    const from = newPhone();
    const call = callFrom(from, 'No-TN-Validation');
    await call.dial();
    await call.say('I would like to book a consultation next Tuesday afternoon');
    await call.press('1');
    expect((await call.say('Lena Ortiz')).said).toMatch(/for Lena Ortiz, the number ending .+ Shall I book it\?/);
    expect((await call.press('1')).said).toMatch(/^You're booked/);
    const { rows } = await db.pool.query('SELECT client_name FROM appointments WHERE tenant_id = $1 AND client_phone = $2', [tenant.id, from]);
    expect(rows).toEqual([{ client_name: 'Lena Ortiz' }]);
  });
});

describe('on the ConversationRelay transport', () => {
  it("a call from a customer's number without carrier attestation is not greeted with their profile, whatever its setup claims", async () => {
    const rosa = await rosaBooks();
    // The setup is unsigned: its customParameters (ours to set, anyone's to forge) vouch for nothing.
    const relay = await relayCallFrom(rosa.phone, { setupExtra: { customParameters: { StirVerstat: fullAttestation }, StirVerstat: fullAttestation } });
    const greeted = await relay.prompt('hello');
    expect(greeted).not.toMatch(/Welcome back|Rosa|same as last time/);
  });

  it("a call from a customer's number without carrier attestation cannot cancel their booking without a code", async () => {
    const rosa = await rosaBooks();
    const relay = await relayCallFrom(rosa.phone, { attestation: 'TN-Validation-Passed-B' });
    expect(await relay.prompt('please cancel my appointment')).toMatch(/booking reference/);
    expect(await relay.prompt(`the reference is ${rosa.reference}`)).toMatch(/code/i);
    expect(await relay.prompt('yes')).not.toMatch(/cancelled/);
    expect(await statusOf(rosa.reference)).toBe('booked');
    expect(await codesTo(rosa.phone)).toBe(1);
  });

  it('a call with full attestation (A) is greeted by name', async () => {
    const rosa = await rosaBooks();
    const relay = await relayCallFrom(rosa.phone, { attestation: fullAttestation });
    expect(await relay.prompt('hello')).toMatch(/^Welcome back, Rosa! Would you like the same as last time: Consultation with .+, in the afternoon\?/);
  });
});
