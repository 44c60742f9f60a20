import { withTenant, type Clock, type Pool, type PoolClient } from '@gomomo/core';
import { enqueueOutboxMessage } from '../../outbox/enqueue.js';
import { formatSmsReply } from '../format/format-reply.js';
import { completeInboundMessage } from './inbound-store.js';
import { smsConversationFor } from './sms-conversation.js';
import type { InboundSms } from './parse-webhook.js';
import type { DeferredSmsReply, SmsReceptionist } from './types.js';

/** Said when the receptionist fails: the customer should not be left with silence. */
export const fallbackReply = 'Sorry, something went wrong on our side. Please try again in a few minutes.';
/** Said to a picture with no text: the receptionist reads words only. */
export const mediaOnlyReply = 'Sorry, I can only read text. Please type your message.';

export interface ConversationContext {
  pool: Pool;
  clock: Clock;
  receptionist: SmsReceptionist;
  tenantId: string;
  message: InboundSms;
}

/** The receptionist's answer written for SMS, and whether the turn failed. Never throws. */
export async function runSmsTurn(context: ConversationContext): Promise<{ reply: string; isFailed: boolean; error?: unknown }> {
  const { message } = context;
  if (message.body.trim() === '') return { reply: mediaOnlyReply, isFailed: false };
  try {
    const { tenantId } = context;
    const sessionId = await withTenant(context.pool, tenantId, (client) => smsConversationFor(client, { tenantId, phone: message.from, now: context.clock.now() }), {
      isolation: 'read committed',
    });
    const result = await context.receptionist.handleTurn({
      tenantId,
      sessionId,
      channel: 'sms',
      text: message.body,
      // The sender's number counts as proven (issue 20: "SMS from the booking's own number"): a
      // message into Twilio from a spoofed long code is far harder to get through than a faked
      // caller ID, which is why voice vouches for its caller ID only with STIR/SHAKEN attestation A.
      verifiedContact: { phone: message.from },
    });
    return { reply: formatSmsReply({ reply: result.reply, events: result.events }), isFailed: false };
  } catch (error) {
    return { reply: fallbackReply, isFailed: true, error };
  }
}

/**
 * The default way out for a reply that missed the webhook: the notification outbox, in the same
 * transaction that marks the inbound message answered. The outbox sender then applies what every
 * outbound SMS gets: the consent check before the provider, the per-phone rate limit and retries.
 * The MessageSid is the idempotency key, so the reply is queued once whatever happens.
 */
export async function queueDeferredReply(client: PoolClient, reply: DeferredSmsReply): Promise<void> {
  await enqueueOutboxMessage(client, {
    tenantId: reply.tenantId,
    channel: 'sms',
    template: 'sms_reply',
    recipient: reply.to,
    body: reply.body,
    idempotencyKey: `sms-reply:${reply.messageSid}`,
    // A reply to what the customer just wrote is transactional: no quiet hours, due now.
    sendAt: reply.at,
  });
}

/** Marks the message answered in TwiML. */
export async function recordTwimlReply(context: ConversationContext, turn: { reply: string; isFailed: boolean }): Promise<void> {
  await withTenant(
    context.pool,
    context.tenantId,
    (client) =>
      completeInboundMessage(client, {
        tenantId: context.tenantId,
        messageSid: context.message.messageSid,
        status: turn.isFailed ? 'failed' : 'replied',
        reply: turn.reply,
        at: context.clock.now(),
      }),
    { isolation: 'read committed' },
  );
}

/** Sends a reply that missed the webhook, and marks the message answered, in one transaction. */
export async function deliverDeferredReply(
  context: ConversationContext,
  turn: { reply: string; isFailed: boolean },
  send: (client: PoolClient, reply: DeferredSmsReply) => Promise<void>,
): Promise<void> {
  const { message, tenantId } = context;
  const at = context.clock.now();
  await withTenant(
    context.pool,
    tenantId,
    async (client) => {
      // An empty reply is the receptionist staying silent (staff hold the conversation): nothing to send.
      if (turn.reply !== '') await send(client, { tenantId, to: message.from, from: message.to, body: turn.reply, messageSid: message.messageSid, at });
      await completeInboundMessage(client, { tenantId, messageSid: message.messageSid, status: turn.isFailed ? 'failed' : 'deferred', reply: turn.reply, at });
    },
    { isolation: 'read committed' },
  );
}
