// Issue 14 item 5: every consent change goes through one audited, locked writer. The webhooks are
// called through the real HTTP routes, signed as Twilio signs them, and at the same time.
import { createHash } from 'node:crypto';
import { enqueueOutboxMessage } from '@gomomo/channels';
import { withTenant } from '@gomomo/core';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSecret, createHarness, trpcData, type Harness, type TestTenant } from '../harness.js';

const authToken = 'consent-writer-test-auth-token';
const publicBaseUrl = 'https://api.gomomo.test';
const postmark = { username: 'postmark-hooks', password: 'postmark-hook-password' };
const clinicNumber = '+12025550140';
let h: Harness;
let tenant: TestTenant;
let counter = 0;

function sidOf(label: string): string {
  counter += 1;
  return `SM${createHash('md5').update(`${label}-${counter}`).digest('hex')}`;
}

function postSigned(path: string, params: Record<string, string>) {
  return h.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, `${publicBaseUrl}${path}`, params) },
    payload: new URLSearchParams(params).toString(),
  });
}

function stop(from: string): Record<string, string> {
  const sid = sidOf('stop');
  return { MessageSid: sid, SmsMessageSid: sid, AccountSid: `AC${'0'.repeat(32)}`, From: from, To: clinicNumber, Body: 'STOP', NumMedia: '0', NumSegments: '1' };
}

async function auditActions(action: string): Promise<{ clientRef: string | null; details: Record<string, unknown> }[]> {
  const { rows } = await h.db.pool.query<{ clientRef: string | null; details: Record<string, unknown> }>(
    'SELECT client_ref AS "clientRef", details FROM audit_log WHERE tenant_id = $1 AND action = $2 ORDER BY seq',
    [tenant.id, action],
  );
  return rows;
}

async function sentMessage(channel: 'sms' | 'email', recipient: string, provider: 'twilio' | 'postmark'): Promise<string> {
  const providerId = sidOf('sent');
  const id = await withTenant(
    h.db.pool,
    tenant.id,
    async (client) => (await enqueueOutboxMessage(client, { tenantId: tenant.id, channel, template: 'reminder', recipient, subject: channel === 'email' ? 'Reminder' : undefined, body: 'Reminder: your visit is tomorrow.', idempotencyKey: `consent:${providerId}` })).id,
    { isolation: 'read committed' },
  );
  await h.db.pool.query('UPDATE notification_outbox SET status = $2, provider = $3, provider_message_id = $4 WHERE id = $1', [id, 'sent', provider, providerId]);
  return providerId;
}

beforeAll(async () => {
  h = await createHarness({ withReceptionist: true, publicBaseUrl, twilio: { authToken, replyMode: 'twiml' }, postmark });
  tenant = await h.onboard('consent-clinic', 'https://consent.example');
  trpcData(await h.call('admin.addPhoneNumber', { tenantId: tenant.id, number: clinicNumber }, { key: adminSecret }));
});
afterAll(() => h.close());

describe('one consent writer', () => {
  it('regression: two STOP texts at once both get a confirmation', async () => {
    // Ten pairs, each pair's two webhooks in flight together (the race lost 6 of 10 before).
    for (let pair = 0; pair < 10; pair += 1) {
      const from = `+1202555${String(2000 + pair)}`;
      const responses = await Promise.all([postSigned('/twilio/sms', stop(from)), postSigned('/twilio/sms', stop(from))]);
      expect(responses.map((r) => r.statusCode)).toEqual([200, 200]);
      const confirmations = responses.filter((r) => r.body.includes('<Message>'));
      expect(confirmations, `pair ${pair}`).toHaveLength(1);
    }
    expect(await auditActions('consent.opt_out')).toHaveLength(10);
  });

  it('regression: carrier error 21610 opt-outs are written without a lock or audit', async () => {
    const phone = '+12025553001';
    const sids = [await sentMessage('sms', phone, 'twilio'), await sentMessage('sms', phone, 'twilio')];
    const before = (await auditActions('consent.opt_out')).length;
    // Two refusals for the same number arrive together: one opt-out, one audit entry.
    const responses = await Promise.all(sids.map((sid) => postSigned('/twilio/status', { MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '21610' })));
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200]);
    const { rows } = await h.db.pool.query<{ status: string; source: string }>(
      "SELECT status, source FROM contact_consents WHERE tenant_id = $1 AND channel = 'sms' AND address = $2",
      [tenant.id, phone],
    );
    expect(rows).toEqual([{ status: 'opted_out', source: 'carrier' }]);
    const entries = (await auditActions('consent.opt_out')).slice(before);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.details).toMatchObject({ source: 'carrier', keyword: '21610' });
    // The number is stored only as a pseudonym, never in clear.
    expect(JSON.stringify(entries[0])).not.toContain(phone);
  });

  it('a bounce and a complaint for the same address at once suppress it once, audited', async () => {
    const email = 'bounce-twice@example.com';
    const ids = [await sentMessage('email', email, 'postmark'), await sentMessage('email', email, 'postmark')];
    const authorization = `Basic ${Buffer.from(`${postmark.username}:${postmark.password}`).toString('base64')}`;
    const events = [
      { RecordType: 'Bounce', Type: 'HardBounce', MessageID: ids[0], Email: email, Description: 'mailbox does not exist' },
      { RecordType: 'SpamComplaint', MessageID: ids[1], Email: email },
    ];
    const responses = await Promise.all(events.map((payload) => h.app.inject({ method: 'POST', url: '/postmark/webhook', headers: { authorization }, payload })));
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200]);
    const { rows } = await h.db.pool.query('SELECT reason FROM email_suppressions WHERE tenant_id = $1 AND email = $2', [tenant.id, email]);
    expect(rows).toHaveLength(1);
    const entries = await auditActions('consent.email_suppressed');
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries[0])).not.toContain(email);
  });
});
