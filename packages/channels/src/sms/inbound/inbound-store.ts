import type { PoolClient } from '@gomomo/core';
import type { InboundSms } from './parse-webhook.js';

type Queryable = Pick<PoolClient, 'query'>;

export type InboundKind = 'keyword' | 'conversation' | 'ignored';
export type InboundStatus = 'processing' | 'replied' | 'deferred' | 'no_reply' | 'failed';

/**
 * Records an inbound message, or returns false when its MessageSid is already recorded: Twilio
 * retried a webhook, and the first delivery already did (or is doing) the work.
 */
export async function claimInboundMessage(client: Queryable, input: { tenantId: string; message: InboundSms; kind: InboundKind; at: Date }): Promise<boolean> {
  const { rowCount } = await client.query(
    `INSERT INTO inbound_messages (tenant_id, message_sid, from_number, to_number, body, kind, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (tenant_id, message_sid) DO NOTHING`,
    [input.tenantId, input.message.messageSid, input.message.from, input.message.to, input.message.body, input.kind, input.at],
  );
  return rowCount === 1;
}

/** Marks an inbound message done, with the reply it got (null when none was sent). */
export async function completeInboundMessage(
  client: Queryable,
  input: { tenantId: string; messageSid: string; status: Exclude<InboundStatus, 'processing'>; reply: string | null; at: Date },
): Promise<void> {
  await client.query('UPDATE inbound_messages SET status = $3, reply = $4, completed_at = $5 WHERE tenant_id = $1 AND message_sid = $2', [
    input.tenantId,
    input.messageSid,
    input.status,
    input.reply === null ? null : input.reply.slice(0, 1600),
    input.at,
  ]);
}
