// Issue 16's relay side of "a running turn does not answer after staff took over": the agent drops
// the reply when its turn is saved, but on ConversationRelay the caller hears each sentence as the
// model writes it. When staff take the call's conversation over mid-reply, the relay stops the
// turn at once (the hub's `conversation.taken_over`), ends the reply, and later turns stay silent.
// The real receptionist streams slowly from a local stand-in of OpenAI's API.
import { createOpenAIBrain, createReceptionist, createStaffDesk } from '@gomomo/agent';
import { addPhoneNumber } from '@gomomo/channels';
import { createBookingEngine, createTenant, demoTenantInput, type Tenant } from '@gomomo/core';
import { ManualClock, createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { createPolicyEngine } from '@gomomo/policy';
import Fastify, { type FastifyInstance } from 'fastify';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { gomomoHostOptions, gomomoPlugin } from '../../src/index.js';
import { connectRelay } from '../fakes/fake-conversation-relay.js';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai.js';
import { adminSecret } from '../harness.js';

const authToken = 'server-voice-take-over-token';
const publicBaseUrl = 'https://api.gomomo.test';
const publicRelayUrl = 'wss://api.gomomo.test/twilio/voice/relay';
const clinicNumber = '+12025550170';
const callSid = `CA${'7'.repeat(32)}`;
const from = '+12025553170';
const clock = new ManualClock('2026-03-05T14:00:00Z');
let db: TestDatabase;
let tenant: Tenant;
let openai: FakeOpenAI;
let app: FastifyInstance;
let port = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  tenant = await createTenant(db.pool, { ...demoTenantInput, slug: 'voice-take-over', name: 'Harbor Dental', lookaheadDays: 60 });
  await addPhoneNumber(db.pool, { tenantId: tenant.id, number: clinicNumber, capabilities: ['voice'] });
  openai = await startFakeOpenAI();
  const engine = createBookingEngine({ pool: db.pool, clock });
  const brain = createOpenAIBrain({ apiKey: 'test-key', baseURL: openai.url, model: 'gpt-test', maxRetries: 0, timeoutMs: 10_000 });
  const receptionist = createReceptionist({ pool: db.pool, engine, policy: createPolicyEngine({ pool: db.pool, clock }), clock, brain });
  app = Fastify({ logger: false, ...gomomoHostOptions() });
  await app.register(gomomoPlugin, { pool: db.pool, engine, clock, adminSecret, rateLimit: false, receptionist, publicBaseUrl, twilio: { authToken, replyMode: 'twiml', voice: { transport: 'relay' } } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});

afterAll(async () => {
  await app?.close();
  await openai?.close();
  await db?.drop();
});

async function answerCall(): Promise<void> {
  const params = { CallSid: callSid, AccountSid: `AC${'0'.repeat(32)}`, From: from, To: clinicNumber, CallStatus: 'ringing', Direction: 'inbound' };
  const signature = twilio.getExpectedTwilioSignature(authToken, `${publicBaseUrl}/twilio/voice`, params);
  const answer = await app.inject({ method: 'POST', url: '/twilio/voice', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, payload: new URLSearchParams(params).toString() });
  expect(answer.body).toContain('<ConversationRelay');
}

describe('ConversationRelay after a take-over', () => {
  it('a caller hears nothing the receptionist says after staff took over', async () => {
    let resume!: () => void;
    const paused = new Promise<void>((resolve) => (resume = resolve));
    openai.play(['Harbor Dental is open on weekdays. ', paused, 'On Saturdays we open at ten. ', 'Anything else?']);
    await answerCall();
    const { hub } = app.gomomo;
    const listening = hub.subscriberCount;
    const relay = await connectRelay({ port, publicRelayUrl, authToken, callSid, from, to: clinicNumber });
    relay.setup();
    // The relay watches the call's conversation from its setup on.
    await vi.waitFor(() => expect(hub.subscriberCount).toBeGreaterThan(listening));
    expect(await relay.promptUntilFirstPiece('when are you open?')).toBe('Harbor Dental is open on weekdays. ');

    const { rows } = await db.pool.query<{ session_id: string }>('SELECT session_id FROM voice_calls WHERE call_sid = $1', [callSid]);
    const sessionId = rows[0]!.session_id;
    const aborted = openai.nextAbort();
    const ended = relay.replyEnd();
    expect(await createStaffDesk({ pool: db.pool, clock }).takeOver({ tenantId: tenant.id, sessionId, staffId: 'staff-sam' })).toMatchObject({ handoff: 'staff' });
    // The take-over stops the model's stream; released after that, the rest of the reply goes nowhere.
    await aborted;
    resume();
    // Nothing after the first sentence: the reply just ends.
    expect((await ended).tokens).toEqual(['']);
    // While staff hold the conversation the receptionist does not answer (no model call is scripted).
    expect((await relay.prompt('hello? are you there?')).text).toBe('');
    await relay.close();

    const texts = relay.received.filter((m) => m['type'] === 'text').map((m) => [m['token'], m['last']]);
    expect(texts).toEqual([
      ['Harbor Dental is open on weekdays. ', false],
      ['', true],
      ['', true],
    ]);
    const said = await db.pool.query<{ said: string }>('SELECT said FROM voice_turns WHERE call_sid = $1 ORDER BY seq', [callSid]);
    expect(said.rows.map((r) => r.said).join(' ')).not.toContain('Saturdays');
    const answers = await db.pool.query<{ content: string }>("SELECT content FROM agent_messages WHERE session_id = $1 AND role = 'assistant'", [sessionId]);
    expect(answers.rows.map((r) => r.content).join(' ')).not.toContain('Saturdays');
  });
});
