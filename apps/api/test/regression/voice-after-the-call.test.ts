// What happens after a call, through the whole app (buildApp with its in-process autonomy worker):
// Twilio's voice webhooks signed with the twilio SDK's helper over PUBLIC_BASE_URL, the widget's
// calls (publishable key, Origin, session token header) over the real tRPC routes.
// 1. A voice booking got two SMS confirmations: the voice channel queued its own, and autonomy the
//    booking's. Autonomy owns confirmations now.
// 2. "Text me a link" opened a new, empty web conversation: the link now opens the call's own one.
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import type { FastifyInstance } from 'fastify';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

const adminSecret = 'voice-after-call-admin-secret-01';
const authToken = 'voice-after-call-auth-token';
const publicBaseUrl = 'https://api.gomomo.test';
const origin = 'https://clinic.example';
const clinicNumber = '+12025550190';
let db: TestDatabase;
let app: FastifyInstance;
let publishableKey: string;
let callCounter = 0;

async function trpc<T>(path: string, input: unknown, headers: Record<string, string> = { authorization: `Bearer ${adminSecret}` }): Promise<{ status: number; data: T; body: string }> {
  const response = await app.inject({ method: 'POST', url: `/trpc/${path}`, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(input) });
  const body = response.json() as { result?: { data: T } };
  return { status: response.statusCode, data: body.result?.data as T, body: response.body };
}

const asVisitor = (sessionToken?: string): Record<string, string> => ({ authorization: `Bearer ${publishableKey}`, origin, ...(sessionToken ? { 'x-gomomo-session': sessionToken } : {}) });

/** A caller on the <Gather> transport: each line is one signed webhook, answered with what Twilio would say. */
function startCall(from: string) {
  callCounter += 1;
  const call = { CallSid: `CA${callCounter.toString(16).padStart(32, '0')}`, AccountSid: `AC${'0'.repeat(32)}`, From: from, To: clinicNumber };
  async function webhook(path: string, params: Record<string, string>): Promise<string> {
    const signature = twilio.getExpectedTwilioSignature(authToken, `${publicBaseUrl}${path}`, params);
    const response = await app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, payload: new URLSearchParams(params).toString() });
    expect(response.statusCode).toBe(200);
    return [...response.body.matchAll(/<Say[^>]*>([\s\S]*?)<\/Say>/g)].map((m) => m[1]!.replace(/&apos;/g, "'")).join(' ');
  }
  return {
    callSid: call.CallSid,
    dial: () => webhook('/twilio/voice', { ...call, CallStatus: 'ringing' }),
    say: (speech: string) => webhook('/twilio/voice/gather', { ...call, CallStatus: 'in-progress', SpeechResult: speech, Confidence: '0.9' }),
    press: (digits: string) => webhook('/twilio/voice/gather', { ...call, CallStatus: 'in-progress', Digits: digits }),
    ended: () => webhook('/twilio/voice/status', { ...call, CallStatus: 'completed', CallDuration: '60' }),
  };
}

/** Holds the first morning slot the day after tomorrow and gives the name: the call stops at the read-back. */
async function holdAndReadBack(call: ReturnType<typeof startCall>): Promise<void> {
  await call.dial();
  expect(await call.say('I would like to book a consultation the day after tomorrow in the morning')).toMatch(/I have (.+), or (.+)\./);
  expect(await call.press('1')).toMatch(/^I'm holding /);
  expect(await call.say('Dana Reyes')).toMatch(/^To confirm: Consultation at .+ for Dana Reyes, .+ Press 1 to confirm, or 2 to change\.$/);
}

async function smsTo(phone: string): Promise<Array<{ template: string; body: string; idempotency_key: string }>> {
  const { rows } = await db.pool.query("SELECT template, body, idempotency_key FROM notification_outbox WHERE recipient = $1 AND channel = 'sms' ORDER BY id", [phone]);
  return rows;
}

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildApp(
    loadConfig({ DATABASE_URL: db.url, ADMIN_SECRET: adminSecret, LOG_LEVEL: 'silent', RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_KEY: '0', TWILIO_AUTH_TOKEN: authToken, PUBLIC_BASE_URL: publicBaseUrl, VOICE_TRANSPORT: 'gather' }),
  );
  const created = await trpc<{ tenant: { id: string }; keys: { publishable: { key: string } } }>('admin.createTenant', {
    name: 'After Call Clinic',
    slug: 'after-call-clinic',
    timeZone: 'UTC',
    minNoticeMinutes: 0,
    lookaheadDays: 30,
    services: [{ name: 'Consultation', durationMinutes: 30 }],
    // Open around the clock: the worker and the webhooks run on the wall clock.
    hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '23:30' })),
    allowedOrigins: [origin],
    settings: { siteUrl: `${origin}/book` },
  });
  expect(created.status).toBe(200);
  publishableKey = created.data.keys.publishable.key;
  expect((await trpc('admin.addPhoneNumber', { tenantId: created.data.tenant.id, number: clinicNumber, capabilities: ['voice'] })).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('after the call', () => {
  it('a voice booking sends one SMS confirmation', async () => {
    const from = '+12025550191';
    const call = startCall(from);
    await holdAndReadBack(call);
    expect(await call.press('1')).toMatch(/^You're booked: Consultation/);
    const { rows } = await db.pool.query<{ id: string; reference: string }>("SELECT a.id, a.reference FROM appointments a JOIN voice_calls v ON v.session_id = a.session_id WHERE v.call_sid = $1 AND a.status = 'booked'", [call.callSid]);
    const appointment = rows[0]!;
    // The worker's confirmation arrives after the turn; whatever the call queued itself is there already.
    for (let i = 0; i < 150 && !(await smsTo(from)).some((m) => m.template === 'confirmation'); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await smsTo(from)).toEqual([{ template: 'confirmation', body: expect.stringContaining(appointment.reference), idempotency_key: `${appointment.id}:confirmation:sms` }]);
  }, 60_000);

  it('"text me a link" opens web chat with the call\'s conversation loaded, and a typed yes books the held slot', async () => {
    const from = '+12025550192';
    const call = startCall(from);
    await holdAndReadBack(call);
    expect(await call.say('can you text me a link instead')).toMatch(/texted you a link/);
    await call.ended();
    const link = (await smsTo(from)).find((m) => m.body.includes('#gomomo-offer='));
    const offerToken = /#gomomo-offer=(gmo_[A-Za-z0-9_-]{43})/.exec(link!.body)![1]!;
    const { rows: calls } = await db.pool.query<{ session_id: string }>('SELECT session_id FROM voice_calls WHERE call_sid = $1', [call.callSid]);
    const callSession = calls[0]!.session_id;

    // A stranger who knows (or guesses) the call's conversation id gets nothing with a publishable key.
    expect((await trpc('chat.send', { sessionId: callSession, text: 'yes' }, asVisitor())).status).toBe(403);

    const opened = await trpc<{ reply: string; sessionId: string; sessionToken: string; history: Array<{ role: string; content: string }> }>('chat.openOffer', { offerToken }, asVisitor());
    expect(opened.status).toBe(200);
    expect(opened.data.sessionId).toBe(callSession);
    expect(opened.data.history.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    expect(opened.data.history[0]!.content).toBe('I would like to book a consultation the day after tomorrow in the morning');
    // The call stopped at the read-back: the chat opens on the held slot, asking for the yes.
    expect(opened.data.reply).toMatch(/shall I book Consultation on .+\?/i);
    // The link is spent: a second open (the same caller, or whoever saw the SMS) finds nothing.
    expect((await trpc('chat.openOffer', { offerToken }, asVisitor())).status).toBe(404);

    const history = await app.inject({ method: 'GET', url: `/trpc/chat.history?input=${encodeURIComponent(JSON.stringify({}))}`, headers: asVisitor(opened.data.sessionToken) });
    expect((history.json() as { result: { data: Array<{ content: string }> } }).result.data[0]!.content).toBe('I would like to book a consultation the day after tomorrow in the morning');
    const done = await trpc<{ reply: string }>('chat.send', { text: 'yes' }, asVisitor(opened.data.sessionToken));
    expect(done.data.reply).toMatch(/^You're booked: Consultation/);
    const { rows } = await db.pool.query("SELECT client_name, client_phone FROM appointments WHERE session_id = $1 AND status = 'booked'", [callSession]);
    expect(rows).toEqual([{ client_name: 'Dana Reyes', client_phone: from }]);
  }, 60_000);
});
