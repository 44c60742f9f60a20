// Regression (issue 13, item 2): the info log recorded every request URL, and tRPC puts a query's
// input and a subscription's connection params in the URL: one probe log held five full sk_live_
// keys (the client sent the key as a connection param) and 163 session ids. This runs the real API
// process at LOG_LEVEL=info through an admin session, a full booking by web chat (with history,
// polling and an event stream) and an SMS conversation, then greps everything it printed for keys,
// the admin secret, session tokens, stream tickets, emails, phone numbers and message text.
import { createHmac } from 'node:crypto';
import { createGomomoClient, inSession } from '@gomomo/client';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiProcess, type ApiProcess } from '../processes.js';

const adminSecret = 'log-scan-admin-secret-0123456789';
const twilioAuthToken = 'log-scan-twilio-auth-token';
const publicBaseUrl = 'https://api.logscan.test';
const origin = 'https://logscan.example';
const clinicNumber = '+12025550100';
const customerPhone = '+12025550777';
const customerEmail = 'bea.secretive@example.com';
let db: TestDatabase;
let api: ApiProcess;

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApiProcess({ DATABASE_URL: db.url, ADMIN_SECRET: adminSecret, LOG_LEVEL: 'info', TWILIO_AUTH_TOKEN: twilioAuthToken, PUBLIC_BASE_URL: publicBaseUrl, SMS_REPLY_MODE: 'twiml' });
}, 120_000);
afterAll(async () => {
  await api?.stop();
  await db?.drop();
});

/** Twilio's request signature: HMAC-SHA1 over the public URL and the sorted form params (Twilio's "Webhooks security"). */
function twilioSignature(url: string, params: Record<string, string>): string {
  const data = url + Object.keys(params).sort().map((key) => key + params[key]).join('');
  return createHmac('sha1', twilioAuthToken).update(data).digest('base64');
}

let smsCounter = 0;
async function textTheClinic(body: string): Promise<string> {
  smsCounter += 1;
  const sid = `SM${String(smsCounter).padStart(32, '0')}`;
  const params = { MessageSid: sid, AccountSid: `AC${'0'.repeat(32)}`, From: customerPhone, To: clinicNumber, Body: body, NumMedia: '0' };
  const response = await fetch(`${api.url}/twilio/sms`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(`${publicBaseUrl}/twilio/sms`, params) },
    body: new URLSearchParams(params).toString(),
  });
  expect(response.status).toBe(200);
  return response.text();
}

describe('regression: secret keys in the log', () => {
  it('logs requests of an admin session, a web booking and an SMS conversation without any key, token, email, phone or message text', async () => {
    const secrets: string[] = [adminSecret, customerEmail, customerPhone, customerPhone.slice(2), clinicNumber];
    const texts = ['I would like to book a consultation tomorrow at 10am', 'Bea Secretive', 'Do you have anything tomorrow afternoon'];

    // Admin session.
    const admin = createGomomoClient({ baseUrl: api.url, apiKey: adminSecret });
    const created = await admin.admin.createTenant.mutate({
      name: 'Log Scan Clinic',
      slug: 'log-scan',
      timeZone: 'America/New_York',
      minNoticeMinutes: 0,
      services: [{ name: 'Consultation', durationMinutes: 30 }],
      hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '23:45' })),
      allowedOrigins: [origin],
    });
    const tenantId = created.tenant.id;
    const extra = await admin.admin.createKey.mutate({ tenantId, kind: 'secret' });
    await admin.admin.listKeys.query({ tenantId });
    await admin.admin.addPhoneNumber.mutate({ tenantId, number: clinicNumber, label: 'front desk' });
    const secretKey = created.keys.secret.key;
    const publishableKey = created.keys.publishable.key;
    secrets.push(secretKey, publishableKey, extra.key);

    // A web booking as the widget makes it: publishable key, session token, history, polling, a stream.
    const visitor = createGomomoClient({ baseUrl: api.url, apiKey: publishableKey, headers: { origin } });
    const first = await visitor.chat.send.mutate({ text: texts[0]! });
    const session = inSession({ sessionToken: first.sessionToken! });
    secrets.push(first.sessionToken!);
    const events: string[] = [];
    let started!: () => void;
    const isStarted = new Promise<void>((resolve) => (started = resolve));
    const stream = visitor.chat.events.subscribe({}, { ...session, onStarted: () => started(), onData: (event) => events.push(JSON.stringify(event.data)) });
    await isStarted;
    let reply = first.reply;
    for (const text of ['1', `${texts[1]}, ${customerEmail}`, 'yes']) {
      if (/GM-[0-9A-Z]{5}/.test(reply)) break;
      reply = (await visitor.chat.send.mutate({ text }, session)).reply;
    }
    expect(reply).toMatch(/GM-[0-9A-Z]{5}/);
    await visitor.chat.history.query(undefined, session);
    await visitor.chat.eventsSince.query({ afterId: 0 }, session);
    stream.unsubscribe();
    // Staff look the booking up with the secret key, and a query with an email in its input (it is refused or not: the URL is logged either way).
    const staff = createGomomoClient({ baseUrl: api.url, apiKey: secretKey });
    await staff.bookings.list.query({});
    await fetch(`${api.url}/trpc/bookings.list?input=${encodeURIComponent(JSON.stringify({ email: customerEmail, phone: customerPhone }))}`, { headers: { authorization: `Bearer ${secretKey}` } });
    // An old client that still puts its key in the stream's URL: refused, and not logged.
    await fetch(`${api.url}/trpc/chat.events?input=%7B%7D&connectionParams=${encodeURIComponent(JSON.stringify({ apiKey: secretKey }))}`).then((r) => r.body?.cancel());

    // An SMS conversation.
    expect(await textTheClinic(texts[2]!)).toContain('<Response>');
    expect(await textTheClinic('1')).toContain('<Response>');

    await new Promise((resolve) => setTimeout(resolve, 300));
    const log = api.output();
    // The log is there, with the requests in it (so this test can fail).
    expect(log).toContain('incoming request');
    expect(log).toContain('/trpc/chat.send');
    expect(log).toContain('/trpc/chat.events?[redacted]');
    expect(log).toContain('/twilio/sms');
    const found = [...secrets, ...texts].filter((secret) => log.includes(secret) || log.includes(encodeURIComponent(secret)));
    expect(found).toEqual([]);
    expect(log.match(/\b(sk|pk)_live_[0-9A-Za-z]{6,}|\bgm[st]_[A-Za-z0-9_-]{6,}|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}/g) ?? []).toEqual([]);
    console.log(`log scan: ${log.split('\n').length} lines, ${(log.match(/incoming request/g) ?? []).length} requests, 0 secrets`);
  });
});
