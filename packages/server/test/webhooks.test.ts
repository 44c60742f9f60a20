// The channel webhooks through the real HTTP routes: Twilio requests signed with the twilio SDK's
// own helper over PUBLIC_BASE_URL + path, the real receptionist with its offline brain, and
// Postmark's Basic-authenticated JSON.
import { createHash } from 'node:crypto';
import { enqueueOutboxMessage } from '@gomomo/channels';
import { withTenant } from '@gomomo/core';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSecret, createHarness, trpcData, trpcError, type Harness, type TestTenant } from './harness.js';

const authToken = 'server-webhook-test-auth-token';
const publicBaseUrl = 'https://api.gomomo.test';
const postmark = { username: 'postmark-hooks', password: 'postmark-hook-password' };
const clinicNumber = '+12025550100';
const customerNumber = '+12025550777';
let h: Harness;
let tenant: TestTenant;
let sidCounter = 0;

function form(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

function inbound(body: string, from = customerNumber): Record<string, string> {
  sidCounter += 1;
  const messageSid = `SM${createHash('md5').update(`inbound-${sidCounter}`).digest('hex')}`;
  return { MessageSid: messageSid, SmsMessageSid: messageSid, AccountSid: `AC${'0'.repeat(32)}`, From: from, To: clinicNumber, Body: body, NumMedia: '0', NumSegments: '1', ApiVersion: '2010-04-01' };
}

/** POSTs form params to `path`, signed as Twilio signs them (the public URL, not the Host header the app sees). */
function postSigned(path: string, params: Record<string, string>, signature = twilio.getExpectedTwilioSignature(authToken, `${publicBaseUrl}${path}`, params)) {
  return h.app.inject({
    method: 'POST',
    url: path,
    headers: { host: '10.0.0.7:3000', 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    payload: form(params),
  });
}

function twimlMessage(body: string): string | null {
  const match = /<Message>([\s\S]*?)<\/Message>/.exec(body);
  return match ? match[1]!.replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&') : null;
}

async function text(body: string): Promise<string | null> {
  const response = await postSigned('/twilio/sms', inbound(body));
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe('text/xml; charset=utf-8');
  return twimlMessage(response.body);
}

beforeAll(async () => {
  h = await createHarness({ withReceptionist: true, publicBaseUrl, twilio: { authToken, replyMode: 'twiml' }, postmark });
  tenant = await h.onboard('sms-clinic', 'https://sms.example');
});
afterAll(() => h.close());

describe('admin phone numbers', () => {
  it('adds a receiving number to a tenant and lists it', async () => {
    const added = trpcData<{ number: string; label: string }>(await h.call('admin.addPhoneNumber', { tenantId: tenant.id, number: clinicNumber, label: 'main line' }, { key: adminSecret }));
    expect(added).toMatchObject({ number: clinicNumber, label: 'main line' });
    const listed = trpcData<{ number: string }[]>(await h.call('admin.listPhoneNumbers', { tenantId: tenant.id }, { key: adminSecret }));
    expect(listed.map((n) => n.number)).toEqual([clinicNumber]);
  });

  it('rejects a malformed number with 400 naming the field, and a number another tenant owns', async () => {
    const bad = await h.call('admin.addPhoneNumber', { tenantId: tenant.id, number: '555-0100' }, { key: adminSecret });
    expect(bad.statusCode).toBe(400);
    expect(trpcError(bad).fields?.map((f) => f.field)).toEqual(['number']);
    const other = await h.onboard('sms-other', 'https://sms-other.example');
    const taken = await h.call('admin.addPhoneNumber', { tenantId: other.id, number: clinicNumber }, { key: adminSecret });
    expect(taken.statusCode).toBe(400);
    expect(trpcError(taken).message).toContain('already receives SMS');
  });

  it('answers 404 for a tenant that does not exist', async () => {
    const response = await h.call('admin.listPhoneNumbers', { tenantId: '00000000-0000-4000-8000-000000000000' }, { key: adminSecret });
    expect(response.statusCode).toBe(404);
  });
});

describe('POST /twilio/sms', () => {
  it('books an appointment by SMS through the offline brain, the sender\'s number standing as the verified phone', async () => {
    const offer = await text('Hi, I would like to book a consultation tomorrow after 3');
    expect(offer).toMatch(/\n1\. .*\n2\. /);
    expect(await text('2')).toMatch(/holding/i);
    expect(await text('Ana Silva')).toMatch(/^To confirm: Consultation .* for Ana Silva \(\+12025550777\)\. Shall I book it\?$/);
    const done = await text('yes');
    const reference = /GM-[0-9A-Z]{5}/.exec(done ?? '')?.[0];
    expect(done).toMatch(/^You're booked: /);
    const { rows } = await h.db.pool.query<{ status: string; client_name: string; client_phone: string }>(
      'SELECT status, client_name, client_phone FROM appointments WHERE tenant_id = $1 AND reference = $2',
      [tenant.id, reference],
    );
    expect(rows).toEqual([{ status: 'booked', client_name: 'Ana Silva', client_phone: customerNumber }]);
  });

  it('answers 403 to a bad signature and stores nothing', async () => {
    const before = await h.db.pool.query('SELECT count(*)::int AS n FROM inbound_messages');
    const params = inbound('book me in');
    const response = await postSigned('/twilio/sms', params, twilio.getExpectedTwilioSignature('another-token', `${publicBaseUrl}/twilio/sms`, params));
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('X-Twilio-Signature');
    const missing = await h.app.inject({ method: 'POST', url: '/twilio/sms', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form(params) });
    expect(missing.statusCode).toBe(403);
    expect(await h.db.pool.query('SELECT count(*)::int AS n FROM inbound_messages')).toMatchObject({ rows: before.rows });
  });

  it('answers STOP with one confirmation and records the opt-out', async () => {
    const from = '+12025550888';
    const reply = twimlMessage((await postSigned('/twilio/sms', inbound('STOP', from))).body);
    expect(reply).toMatch(/unsubscribed|opted out|no more/i);
    const { rows } = await h.db.pool.query<{ status: string }>("SELECT status FROM contact_consents WHERE tenant_id = $1 AND channel = 'sms'", [tenant.id]);
    expect(rows.map((r) => r.status)).toContain('opted_out');
  });
});

describe('POST /twilio/status', () => {
  async function sentSms(): Promise<{ id: string; sid: string }> {
    const sid = `SM${createHash('md5').update(`status-${Math.random()}`).digest('hex')}`;
    const id = await withTenant(h.db.pool, tenant.id, async (client) => {
      const queued = await enqueueOutboxMessage(client, {
        tenantId: tenant.id,
        channel: 'sms',
        template: 'reminder',
        recipient: customerNumber,
        body: 'Reminder: your visit is tomorrow.',
        idempotencyKey: `status-test:${sid}`,
      });
      return queued.id;
    }, { isolation: 'read committed' });
    await h.db.pool.query("UPDATE notification_outbox SET status = 'sent', provider = 'twilio', provider_message_id = $2 WHERE id = $1", [id, sid]);
    return { id, sid };
  }

  it('marks a signed "delivered" callback\'s message delivered', async () => {
    const { id, sid } = await sentSms();
    const response = await postSigned('/twilio/status', { MessageSid: sid, MessageStatus: 'delivered', AccountSid: `AC${'0'.repeat(32)}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ outboxId: id, status: 'delivered' });
    const { rows } = await h.db.pool.query<{ status: string }>('SELECT status FROM notification_outbox WHERE id = $1', [id]);
    expect(rows[0]!.status).toBe('delivered');
  });

  it('answers 403 SIGNATURE in the one error shape to a forged callback, changing nothing', async () => {
    const { id, sid } = await sentSms();
    const response = await postSigned('/twilio/status', { MessageSid: sid, MessageStatus: 'undelivered' }, 'forged');
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: { code: 'SIGNATURE' } });
    const { rows } = await h.db.pool.query<{ status: string }>('SELECT status FROM notification_outbox WHERE id = $1', [id]);
    expect(rows[0]!.status).toBe('sent');
  });
});

describe('POST /postmark/webhook', () => {
  const basic = `Basic ${Buffer.from(`${postmark.username}:${postmark.password}`).toString('base64')}`;

  it('answers 403 SIGNATURE without the right Basic credentials', async () => {
    const response = await h.app.inject({ method: 'POST', url: '/postmark/webhook', headers: { authorization: 'Basic d3Jvbmc6d3Jvbmc=' }, payload: { RecordType: 'Delivery', MessageID: 'x' } });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: { code: 'SIGNATURE' } });
  });

  it('answers 404 NOT_FOUND for a message we never sent, and 400 naming MessageID for a malformed event', async () => {
    const unknown = await h.app.inject({ method: 'POST', url: '/postmark/webhook', headers: { authorization: basic }, payload: { RecordType: 'Delivery', MessageID: 'never-sent' } });
    expect(unknown.statusCode).toBe(404);
    const malformed = await h.app.inject({ method: 'POST', url: '/postmark/webhook', headers: { authorization: basic }, payload: { RecordType: 'Delivery' } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: { code: 'VALIDATION', fields: [{ field: 'MessageID' }] } });
  });
});
