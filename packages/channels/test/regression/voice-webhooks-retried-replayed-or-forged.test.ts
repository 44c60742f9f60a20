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
