import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEmailSuppressed } from '../src/outbox/suppression.js';
import { isOptedOut } from '../src/outbox/consent.js';
import { handlePostmarkWebhook } from '../src/webhooks/postmark-webhook.js';
import { handleTwilioStatusCallback } from '../src/webhooks/twilio-status.js';
import { makeTenant, queue, rowOf } from './helpers.js';

let db: TestDatabase;
let tenantId: string;
const auth = `Basic ${Buffer.from('hook:secret').toString('base64')}`;
const authToken = 'twilio-webhook-token';
const callbackUrl = 'https://api.example.com/webhooks/twilio/status';

async function sentRow(channel: 'email' | 'sms', recipient: string, provider: string, providerMessageId: string): Promise<string> {
  const id = await queue(db.pool, { tenantId, channel, recipient });
  await db.pool.query(`UPDATE notification_outbox SET status = 'sent', provider = $2, provider_message_id = $3 WHERE id = $1`, [id, provider, providerMessageId]);
  return id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  tenantId = await makeTenant(db.pool);
});
afterAll(async () => db?.drop());

describe('handlePostmarkWebhook', () => {
  const options = () => ({ pool: db.pool, username: 'hook', password: 'secret' });

  it.each([
    ['a hard bounce', { RecordType: 'Bounce', Type: 'HardBounce', Description: 'mailbox unknown' }, 'bounce@example.com'],
    ['a spam complaint', { RecordType: 'SpamComplaint', Type: 'SpamComplaint' }, 'spam@example.com'],
  ])('puts the address on the suppression list after %s', async (_label, event, email) => {
    const messageId = `pm-${email}`;
    const id = await sentRow('email', email, 'postmark', messageId);
    const result = await handlePostmarkWebhook(options(), { authorization: auth, body: { ...event, MessageID: messageId, Email: email } });
    expect(result.action).toBe('suppressed');
    expect(await isEmailSuppressed(db.pool, { tenantId, email })).toBe(true);
    expect((await rowOf(db.pool, id)).status).toBe('undelivered');
  });

  it('does not suppress after a soft bounce', async () => {
    const id = await sentRow('email', 'soft@example.com', 'postmark', 'pm-soft');
    await handlePostmarkWebhook(options(), { authorization: auth, body: { RecordType: 'Bounce', Type: 'SoftBounce', MessageID: 'pm-soft', Email: 'soft@example.com' } });
    expect(await isEmailSuppressed(db.pool, { tenantId, email: 'soft@example.com' })).toBe(false);
    expect((await rowOf(db.pool, id)).status).toBe('sent');
  });

  it('marks a message delivered on a Delivery webhook', async () => {
    const id = await sentRow('email', 'ok@example.com', 'postmark', 'pm-ok');
    await handlePostmarkWebhook(options(), { authorization: auth, body: { RecordType: 'Delivery', MessageID: 'pm-ok', Recipient: 'ok@example.com' } });
    expect((await rowOf(db.pool, id)).status).toBe('delivered');
  });

  it.each([undefined, 'Basic d3Jvbmc6d3Jvbmc=', `${auth}x`])('rejects credentials %j with SIGNATURE and changes nothing', async (authorization) => {
    await sentRow('email', 'victim@example.com', 'postmark', `pm-victim-${authorization}`);
    await expect(
      handlePostmarkWebhook(options(), { authorization, body: { RecordType: 'SpamComplaint', MessageID: `pm-victim-${authorization}`, Email: 'victim@example.com' } }),
    ).rejects.toMatchObject({ code: 'SIGNATURE' });
    expect(await isEmailSuppressed(db.pool, { tenantId, email: 'victim@example.com' })).toBe(false);
  });
});

describe('handleTwilioStatusCallback', () => {
  function signed(params: Record<string, string>) {
    return { url: callbackUrl, params, signature: getExpectedTwilioSignature(authToken, callbackUrl, params) };
  }

  it('marks a message delivered when the signature is valid', async () => {
    const id = await sentRow('sms', '+15550200001', 'twilio', 'SM1');
    const result = await handleTwilioStatusCallback({ pool: db.pool, authToken }, signed({ MessageSid: 'SM1', MessageStatus: 'delivered' }));
    expect(result.status).toBe('delivered');
    expect((await rowOf(db.pool, id)).status).toBe('delivered');
  });

  it('marks a message undelivered and records an opt-out on error 21610', async () => {
    const id = await sentRow('sms', '+15550200002', 'twilio', 'SM2');
    await handleTwilioStatusCallback({ pool: db.pool, authToken }, signed({ MessageSid: 'SM2', MessageStatus: 'undelivered', ErrorCode: '21610' }));
    const row = await rowOf(db.pool, id);
    expect(row.status).toBe('undelivered');
    expect(row.lastError).toContain('21610');
    expect(await isOptedOut(db.pool, { tenantId, channel: 'sms', address: '+15550200002' })).toBe(true);
  });

  it('rejects a forged callback', async () => {
    const id = await sentRow('sms', '+15550200003', 'twilio', 'SM3');
    const forged = { ...signed({ MessageSid: 'SM3', MessageStatus: 'delivered' }), params: { MessageSid: 'SM3', MessageStatus: 'undelivered' } };
    await expect(handleTwilioStatusCallback({ pool: db.pool, authToken }, forged)).rejects.toMatchObject({ code: 'SIGNATURE' });
    expect((await rowOf(db.pool, id)).status).toBe('sent');
  });

  it('answers NOT_FOUND for a message sid we never sent', async () => {
    await expect(handleTwilioStatusCallback({ pool: db.pool, authToken }, signed({ MessageSid: 'SMnope', MessageStatus: 'delivered' }))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
