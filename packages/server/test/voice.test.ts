// The phone through the real HTTP routes and a real WebSocket: Twilio's voice webhooks signed with
// the twilio SDK's helper over PUBLIC_BASE_URL, and a fake ConversationRelay client speaking its
// documented JSON messages to the server on a loopback port. The receptionist is the real one with
// its offline brain; "a second server process" is a second app with its own receptionist, engine and
// memory, sharing only the database, as two API processes do.
import { createOpenAIBrain, createReceptionist, type Receptionist as AgentReceptionist } from '@gomomo/agent';
import { addPhoneNumber } from '@gomomo/channels';
import { createBookingEngine, createTenant, demoTenantInput, type Tenant } from '@gomomo/core';
import { ManualClock, createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { createPolicyEngine } from '@gomomo/policy';
import Fastify, { type FastifyInstance } from 'fastify';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gomomoHostOptions, gomomoPlugin, type Receptionist } from '../src/index.js';
import { connectRelay } from './fakes/fake-conversation-relay.js';
import { startFakeOpenAI } from './fakes/fake-openai.js';
import { adminSecret } from './harness.js';

const authToken = 'server-voice-test-auth-token';
const publicBaseUrl = 'https://api.gomomo.test';
const publicRelayUrl = 'wss://api.gomomo.test/twilio/voice/relay';
const clinicNumber = '+12025550150';
const clock = new ManualClock('2026-03-05T14:00:00Z');
let db: TestDatabase;
let tenant: Tenant;
let sidCounter = 0;
let phoneCounter = 0;
const servers: FastifyInstance[] = [];

function newCallSid(): string {
  sidCounter += 1;
  return `CA${sidCounter.toString(16).padStart(32, '0')}`;
}

function newPhone(): string {
  phoneCounter += 1;
  return `+1202555${String(3000 + phoneCounter).padStart(4, '0')}`;
}

function receptionistFor(): AgentReceptionist {
  const engine = createBookingEngine({ pool: db.pool, clock });
  return createReceptionist({ pool: db.pool, engine, policy: createPolicyEngine({ pool: db.pool, clock }), clock });
}

/** One API process: its own receptionist, engine and caches, on a loopback port. */
async function startServer(options: { transport: 'gather' | 'relay'; receptionist?: Receptionist }): Promise<{ app: FastifyInstance; port: number }> {
  const app = Fastify({ logger: false, ...gomomoHostOptions() });
  await app.register(gomomoPlugin, {
    pool: db.pool,
    engine: createBookingEngine({ pool: db.pool, clock }),
    clock,
    adminSecret,
    rateLimit: false,
    receptionist: options.receptionist ?? receptionistFor(),
    publicBaseUrl,
    twilio: { authToken, replyMode: 'twiml', voice: { transport: options.transport, maxConcurrentCalls: 100 } },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  servers.push(app);
  const address = app.server.address();
  return { app, port: typeof address === 'object' && address ? address.port : 0 };
}

function postSigned(app: FastifyInstance, path: string, params: Record<string, string>) {
  const signature = twilio.getExpectedTwilioSignature(authToken, `${publicBaseUrl}${path}`, params);
  return app.inject({ method: 'POST', url: path, headers: { host: '10.0.0.7:3000', 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, payload: new URLSearchParams(params).toString() });
}

function callParams(callSid: string, from: string, extra: Record<string, string> = {}): Record<string, string> {
  return { CallSid: callSid, AccountSid: `AC${'0'.repeat(32)}`, From: from, To: clinicNumber, CallStatus: 'ringing', Direction: 'inbound', ...extra };
}

beforeAll(async () => {
  db = await createTestDatabase();
  tenant = await createTenant(db.pool, { ...demoTenantInput, slug: 'voice-server-clinic', name: 'Harbor Dental', lookaheadDays: 60 });
  await addPhoneNumber(db.pool, { tenantId: tenant.id, number: clinicNumber, capabilities: ['voice'] });
});

afterAll(async () => {
  for (const app of servers) await app.close().catch(() => undefined);
  await db?.drop();
});

describe('POST /twilio/voice', () => {
  it('answers with the disclosure in a <Gather> for speech and keys, and a turn over HTTP', async () => {
    const { app } = await startServer({ transport: 'gather' });
    const callSid = newCallSid();
    const from = newPhone();
    const answer = await postSigned(app, '/twilio/voice', callParams(callSid, from));
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(answer.body).toContain('<Gather input="speech dtmf" action="https://api.gomomo.test/twilio/voice/gather"');
    expect(answer.body).toContain('automated assistant for Harbor Dental. Calls may be transcribed.');
    const turn = await postSigned(app, '/twilio/voice/gather', callParams(callSid, from, { CallStatus: 'in-progress', SpeechResult: 'what are your hours?', Confidence: '0.9' }));
    expect(turn.body).toMatch(/Harbor Dental is open Monday, Friday nine in the morning to five in the evening/);
  });

  it('refuses an unsigned webhook with 403 and a bad parameter with 400', async () => {
    const { app } = await startServer({ transport: 'gather' });
    const unsigned = await app.inject({ method: 'POST', url: '/twilio/voice', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(callParams(newCallSid(), newPhone())).toString() });
    expect(unsigned.statusCode).toBe(403);
    const bad = await postSigned(app, '/twilio/voice', callParams(newCallSid(), newPhone(), { To: 'nope' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('To:');
  });
});

describe('ConversationRelay', () => {
  it('hands the call to ConversationRelay with the disclosure as its welcome greeting, and refuses a forged socket', async () => {
    const { app, port } = await startServer({ transport: 'relay' });
    const answer = await postSigned(app, '/twilio/voice', callParams(newCallSid(), newPhone()));
    expect(answer.body).toContain(`<ConversationRelay url="${publicRelayUrl}" welcomeGreeting="Hi, you've reached an automated assistant for Harbor Dental. Calls may be transcribed.`);
    await expect(connectRelay({ port, publicRelayUrl, authToken: 'forged', callSid: newCallSid(), from: newPhone(), to: clinicNumber })).rejects.toThrow(/403/);
  });

  it('restart mid-call: the socket drops after the read-back, and a second server process books on the reconnect', async () => {
    const first = await startServer({ transport: 'relay' });
    const callSid = newCallSid();
    const from = newPhone();
    await postSigned(first.app, '/twilio/voice', callParams(callSid, from));
    const relay = await connectRelay({ port: first.port, publicRelayUrl, authToken, callSid, from, to: clinicNumber });
    relay.setup();
    const offer = await relay.prompt('I would like to book a consultation next Tuesday afternoon');
    expect(offer.text).toMatch(/I have .+ Tuesday March tenth, or .+ Tuesday March tenth\./);
    expect((await relay.dtmf('1')).text).toMatch(/^I'm holding/);
    expect((await relay.prompt('Dana Reyes')).text).toMatch(/^To confirm: Consultation at .+ for Dana Reyes, .+ Shall I book it\? Press 1 to confirm, or 2 to change\.$/);

    // The first process goes away mid-call (a deploy); Twilio reconnects, and lands elsewhere.
    await first.app.close();
    const second = await startServer({ transport: 'relay' });
    const again = await connectRelay({ port: second.port, publicRelayUrl, authToken, callSid, from, to: clinicNumber });
    again.setup();
    expect((await again.dtmf('1')).text).toMatch(/^You're booked: Consultation/);
    await again.close();

    const { rows } = await db.pool.query("SELECT a.client_name FROM appointments a JOIN voice_calls v ON v.session_id = a.session_id WHERE v.call_sid = $1 AND a.status = 'booked'", [callSid]);
    expect(rows).toEqual([{ client_name: 'Dana Reyes' }]);
    const turns = await db.pool.query('SELECT seq, heard FROM voice_turns WHERE call_sid = $1 ORDER BY seq', [callSid]);
    expect(turns.rows.map((t: { heard: string }) => t.heard)).toEqual(['I would like to book a consultation next Tuesday afternoon', '[1]', 'Dana Reyes', '[1]']);
  });

  it('interruption mid-reply with the real receptionist: the streamed reply stops at the interrupt, and nothing after it is spoken or stored', async () => {
    // The real receptionist with its OpenAI brain, streaming from a local stand-in of OpenAI's API
    // that pauses mid-reply: the pieces reach the caller through the agent's claim-checked stream.
    const openai = await startFakeOpenAI();
    try {
      let resume!: () => void;
      const paused = new Promise<void>((resolve) => (resume = resolve));
      openai.play(['Harbor Dental is open on weekdays. ', paused, 'On Saturdays we open at ten. ', 'Anything else?'], ['Sure, what would you like to book?']);
      const engine = createBookingEngine({ pool: db.pool, clock });
      const brain = createOpenAIBrain({ apiKey: 'test-key', baseURL: openai.url, model: 'gpt-test', maxRetries: 0, timeoutMs: 10_000 });
      const receptionist = createReceptionist({ pool: db.pool, engine, policy: createPolicyEngine({ pool: db.pool, clock }), clock, brain });
      const { app, port } = await startServer({ transport: 'relay', receptionist });
      const callSid = newCallSid();
      const from = newPhone();
      await postSigned(app, '/twilio/voice', callParams(callSid, from));
      const relay = await connectRelay({ port, publicRelayUrl, authToken, callSid, from, to: clinicNumber });
      relay.setup();
      expect(await relay.promptUntilFirstPiece('when are you open?')).toBe('Harbor Dental is open on weekdays. ');
      const aborted = openai.nextAbort();
      relay.interrupt('Harbor Dental is open');
      // The interrupt aborts the model's stream; released after that, the rest goes nowhere.
      await aborted;
      resume();
      const next = await relay.prompt('I want to book');
      expect(next.text).toBe('Sure, what would you like to book?');
      const texts = relay.received.filter((m) => m['type'] === 'text');
      expect(texts.map((m) => [m['token'], m['last']])).toEqual([
        ['Harbor Dental is open on weekdays. ', false],
        // The next reply streams too, and its empty `last` ends it; the interrupted one never got one.
        ['Sure, what would you like to book? ', false],
        ['', true],
      ]);
      await relay.close();
      // What the call and the conversation record as said is what the caller heard, nothing after.
      const turns = await db.pool.query<{ said: string }>('SELECT said FROM voice_turns WHERE call_sid = $1 ORDER BY seq', [callSid]);
      expect(turns.rows[0]!.said).toBe('Harbor Dental is open on weekdays.');
      const { rows } = await db.pool.query<{ content: string }>("SELECT m.content FROM agent_messages m JOIN voice_calls v ON v.session_id = m.session_id WHERE v.call_sid = $1 AND m.role = 'assistant' ORDER BY m.id", [callSid]);
      expect(rows.map((r) => r.content)).toEqual(['Harbor Dental is open on weekdays.', 'Sure, what would you like to book?']);
    } finally {
      await openai.close();
    }
  });
});
