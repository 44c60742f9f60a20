// Restart mid-call with real processes: the API that answered a call is stopped (SIGTERM, as a
// deploy does) after the caller's slot is held, and a second API process takes the call's next
// webhooks. The call's state and the conversation are in Postgres, so the caller finishes the
// booking without noticing. Twilio's side is the twilio SDK's signature helper over PUBLIC_BASE_URL.
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiProcess, type ApiProcess } from '../processes.js';

const adminSecret = 'voice-restart-admin-secret-0123';
const authToken = 'voice-restart-auth-token';
const publicBaseUrl = 'https://api.gomomo.test';
const clinicNumber = '+12025550180';
let db: TestDatabase;
const processes: ApiProcess[] = [];
const env = () => ({ DATABASE_URL: db.url, ADMIN_SECRET: adminSecret, AUTONOMY_IN_API: 'false', TWILIO_AUTH_TOKEN: authToken, PUBLIC_BASE_URL: publicBaseUrl, VOICE_TRANSPORT: 'gather' });

async function start(): Promise<ApiProcess> {
  const api = await startApiProcess(env());
  processes.push(api);
  return api;
}

async function trpc(api: ApiProcess, path: string, input: unknown): Promise<unknown> {
  const response = await fetch(`${api.url}/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminSecret}` }, body: JSON.stringify(input) });
  const body = (await response.json()) as { result?: { data: unknown } };
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(body)}`);
  return body.result!.data;
}

async function webhook(api: ApiProcess, path: string, params: Record<string, string>): Promise<string> {
  const signature = twilio.getExpectedTwilioSignature(authToken, `${publicBaseUrl}${path}`, params);
  const response = await fetch(`${api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(params) });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${body}`);
  return [...body.matchAll(/<Say[^>]*>([\s\S]*?)<\/Say>/g)].map((m) => m[1]!.replace(/&apos;/g, "'")).join(' ');
}

beforeAll(async () => {
  db = await createTestDatabase();
}, 60_000);
afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await db?.drop();
});

describe('a call survives a restart', () => {
  it('the slot held through the first API process is booked through the second', async () => {
    const first = await start();
    const created = (await trpc(first, 'admin.createTenant', {
      name: 'Restart Clinic',
      slug: 'restart-clinic',
      timeZone: 'UTC',
      minNoticeMinutes: 0,
      lookaheadDays: 30,
      services: [{ name: 'Consultation', durationMinutes: 30 }],
      hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '23:30' })),
      allowedOrigins: ['https://restart.example'],
    })) as { tenant: { id: string } };
    await trpc(first, 'admin.addPhoneNumber', { tenantId: created.tenant.id, number: clinicNumber, capabilities: ['voice'] });

    const call = { CallSid: `CA${'d'.repeat(32)}`, AccountSid: `AC${'0'.repeat(32)}`, From: '+12025550181', To: clinicNumber };
    expect(await webhook(first, '/twilio/voice', { ...call, CallStatus: 'ringing' })).toMatch(/automated assistant for Restart Clinic/);
    const offer = await webhook(first, '/twilio/voice/gather', { ...call, CallStatus: 'in-progress', SpeechResult: 'I would like to book a consultation the day after tomorrow in the morning', Confidence: '0.9' });
    expect(offer).toMatch(/I have (.+), or (.+)\./);
    const held = await webhook(first, '/twilio/voice/gather', { ...call, CallStatus: 'in-progress', Digits: '1' });
    expect(held).toMatch(/^I'm holding /);

    // A deploy: the first process stops; Twilio's next webhook reaches the second.
    expect(await first.stop()).toBe(0);
    const second = await start();
    const readBack = await webhook(second, '/twilio/voice/gather', { ...call, CallStatus: 'in-progress', SpeechResult: 'Dana Reyes', Confidence: '0.9' });
    expect(readBack).toMatch(/^To confirm: Consultation at .+ for Dana Reyes, .+ Press 1 to confirm, or 2 to change\.$/);
    expect(await webhook(second, '/twilio/voice/gather', { ...call, CallStatus: 'in-progress', Digits: '1' })).toMatch(/^You're booked: Consultation/);

    const { rows } = await db.pool.query("SELECT a.client_name FROM appointments a JOIN voice_calls v ON v.session_id = a.session_id WHERE v.call_sid = $1 AND a.status = 'booked'", [call.CallSid]);
    expect(rows).toEqual([{ client_name: 'Dana Reyes' }]);
  }, 240_000);
});
