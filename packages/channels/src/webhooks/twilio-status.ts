import { systemClock, withTransaction, type Clock, type Pool } from '@gomomo/core';
// Twilio's request validator alone, not the whole SDK (which is ~18 MB resident).
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { ChannelError } from '../errors.js';
import { changeConsent, defaultConsentAudit, type ConsentAudit } from '../consent/change-consent.js';

export interface TwilioStatusInput {
  /** The full public URL Twilio posted to, exactly as configured (the signature covers it). */
  url: string;
  /** The form fields of the POST. */
  params: Record<string, string>;
  /** The X-Twilio-Signature header. */
  signature: string | undefined;
}

export interface TwilioStatusOptions {
  pool: Pool;
  authToken: string;
  /** Where a 21610 opt-out's audit entry goes; default @gomomo/policy's audit log. */
  audit?: ConsentAudit | undefined;
  clock?: Clock | undefined;
}

export type TwilioStatusResult = { outboxId: string; status: 'delivered' | 'undelivered' | 'unchanged' };

/**
 * Handles a Twilio status callback: verifies X-Twilio-Signature (HMAC-SHA1 of URL + sorted params
 * with the auth token), then marks the outbox row delivered or undelivered. Error 21610 (the person
 * replied STOP) also records their opt-out.
 */
export async function handleTwilioStatusCallback(options: TwilioStatusOptions, input: TwilioStatusInput): Promise<TwilioStatusResult> {
  if (!input.signature || !validateRequest(options.authToken, input.signature, input.url, input.params)) {
    throw new ChannelError('SIGNATURE', 'Twilio status callback: X-Twilio-Signature does not match');
  }
  const sid = input.params.MessageSid ?? input.params.SmsSid;
  const status = input.params.MessageStatus ?? input.params.SmsStatus;
  if (!sid || !status) throw new ChannelError('VALIDATION', 'Twilio status callback: MessageSid and MessageStatus are required', { field: 'MessageSid' });
  return withTransaction(
    options.pool,
    async (client) => {
      const { rows } = await client.query<{ id: string; tenantId: string; recipient: string }>(
        `SELECT id, tenant_id AS "tenantId", recipient FROM notification_outbox WHERE provider = 'twilio' AND provider_message_id = $1`,
        [sid],
      );
      const row = rows[0];
      if (!row) throw new ChannelError('NOT_FOUND', `Twilio status callback: no message ${sid}`);
      if (status === 'delivered') {
        await client.query(`UPDATE notification_outbox SET status = 'delivered', delivered_at = now(), updated_at = now() WHERE id = $1`, [row.id]);
        return { outboxId: row.id, status: 'delivered' };
      }
      if (status === 'undelivered' || status === 'failed') {
        const code = input.params.ErrorCode ?? '';
        await client.query(`UPDATE notification_outbox SET status = 'undelivered', last_error = $2, updated_at = now() WHERE id = $1`, [
          row.id,
          `Twilio ${status}${code ? ` (error ${code})` : ''}`,
        ]);
        // Through the one consent writer: locked, audited, and silent when already opted out.
        if (code === '21610') {
          await changeConsent(client, options.audit ?? defaultConsentAudit, {
            channel: 'sms',
            tenantId: row.tenantId,
            phone: row.recipient,
            status: 'opted_out',
            source: 'carrier',
            keyword: '21610',
            messageSid: sid,
            at: (options.clock ?? systemClock).now(),
          });
        }
        return { outboxId: row.id, status: 'undelivered' };
      }
      // queued / sending / sent: nothing new to record.
      return { outboxId: row.id, status: 'unchanged' };
    },
    { isolation: 'read committed' },
  );
}
