import { createHash, timingSafeEqual } from 'node:crypto';
import { withTransaction, type Pool } from '@gomomo/core';
import { ChannelError } from '../errors.js';
import { suppressEmail } from '../outbox/suppression.js';

export interface PostmarkWebhookInput {
  /** The request's Authorization header. Postmark sends the credentials put in the webhook URL as Basic auth. */
  authorization: string | undefined;
  /** Parsed JSON body. */
  body: unknown;
}

export interface PostmarkWebhookOptions {
  pool: Pool;
  username: string;
  password: string;
}

export type PostmarkWebhookResult = { handled: true; action: 'suppressed' | 'delivered' | 'ignored'; outboxId: string | null };

/**
 * Compares through SHA-256 digests, which always have the same length, so neither a length
 * mismatch (an early exit before) nor the content leaks through timing.
 */
export function isSameSecret(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** Throws SIGNATURE unless the Basic credentials match (compared in constant time). */
export function verifyPostmarkAuthorization(authorization: string | undefined, username: string, password: string): void {
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  if (!authorization || !isSameSecret(authorization, expected)) {
    throw new ChannelError('SIGNATURE', 'Postmark webhook: missing or wrong Basic credentials');
  }
}

interface PostmarkEvent {
  RecordType?: string;
  Type?: string;
  MessageID?: string;
  Email?: string;
  Recipient?: string;
  Description?: string;
  DeliveredAt?: string;
}

/**
 * Handles Postmark's Bounce, SpamComplaint and Delivery webhooks: a hard bounce or a complaint puts
 * the address on the tenant's suppression list; a delivery marks the outbox row delivered. The
 * tenant comes from the outbox row the MessageID points to, never from the payload.
 */
export async function handlePostmarkWebhook(options: PostmarkWebhookOptions, input: PostmarkWebhookInput): Promise<PostmarkWebhookResult> {
  verifyPostmarkAuthorization(input.authorization, options.username, options.password);
  const event = (input.body ?? {}) as PostmarkEvent;
  if (typeof event.MessageID !== 'string' || typeof event.RecordType !== 'string') {
    throw new ChannelError('VALIDATION', 'Postmark webhook: RecordType and MessageID are required', { field: 'MessageID' });
  }
  return withTransaction(
    options.pool,
    async (client) => {
      const { rows } = await client.query<{ id: string; tenantId: string; recipient: string }>(
        `SELECT id, tenant_id AS "tenantId", recipient FROM notification_outbox WHERE provider = 'postmark' AND provider_message_id = $1`,
        [event.MessageID],
      );
      const row = rows[0];
      if (!row) throw new ChannelError('NOT_FOUND', `Postmark webhook: no message ${event.MessageID}`);
      const email = event.Email ?? event.Recipient ?? row.recipient;
      const isHardBounce = event.RecordType === 'Bounce' && (event.Type === 'HardBounce' || event.Type === 'BadEmailAddress');
      if (isHardBounce || event.RecordType === 'SpamComplaint') {
        await suppressEmail(client, { tenantId: row.tenantId, email, reason: isHardBounce ? 'hard_bounce' : 'spam_complaint', detail: event.Description ?? '', messageId: event.MessageID });
        await client.query(`UPDATE notification_outbox SET status = 'undelivered', last_error = $2, updated_at = now() WHERE id = $1`, [
          row.id,
          `${event.RecordType}${event.Type ? ` ${event.Type}` : ''}: ${event.Description ?? ''}`.slice(0, 2000),
        ]);
        return { handled: true, action: 'suppressed', outboxId: row.id };
      }
      if (event.RecordType === 'Delivery') {
        await client.query(`UPDATE notification_outbox SET status = 'delivered', delivered_at = coalesce($2::timestamptz, now()), updated_at = now() WHERE id = $1`, [
          row.id,
          event.DeliveredAt ?? null,
        ]);
        return { handled: true, action: 'delivered', outboxId: row.id };
      }
      return { handled: true, action: 'ignored', outboxId: row.id };
    },
    { isolation: 'read committed' },
  );
}
