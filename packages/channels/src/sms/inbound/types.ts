import type { TurnInput, TurnResult } from '@gomomo/contracts';
import type { Clock, Pool, PoolClient } from '@gomomo/core';
import type { ConsentAudit } from '../../consent/change-consent.js';

/**
 * What the SMS channel needs from the receptionist: the part of `@gomomo/contracts`' port it uses
 * (channels may not depend on the agent; the server passes the real one in).
 */
export interface SmsReceptionist {
  /** An SMS turn: the sender's number counts as verified (Twilio and the carrier vouch for it). */
  handleTurn(input: TurnInput<'sms'> & { verifiedContact: { phone: string } }): Promise<Pick<TurnResult, 'reply' | 'events'>>;
}

/**
 * How a conversation reply reaches the customer:
 * - `auto` (default): wait up to `replyTimeoutMs` and answer in the webhook's TwiML; when the turn
 *   is slower, answer Twilio with empty TwiML at the deadline and send the reply through the outbox;
 * - `twiml`: always wait and answer in TwiML (only for receptionists that are always fast);
 * - `outbox`: always acknowledge at once and send every reply through the outbox.
 */
export type SmsReplyMode = 'auto' | 'twiml' | 'outbox';

/** A conversation reply that missed the webhook's response and goes out on its own. */
export interface DeferredSmsReply {
  tenantId: string;
  /** The customer (the inbound message's From). */
  to: string;
  /** The tenant's number the customer texted (the inbound message's To). */
  from: string;
  body: string;
  /** The inbound message this answers; the idempotency key of the outgoing one. */
  messageSid: string;
  /** When the reply was ready (the handler's clock): it is transactional, so it is due at once. */
  at: Date;
}

export interface InboundSmsHandlerOptions {
  pool: Pool;
  receptionist: SmsReceptionist;
  /** The audit log consent changes are written to; default @gomomo/policy's `appendAudit`. */
  policy?: ConsentAudit | undefined;
  /** The Twilio account's auth token, which signs every webhook. */
  authToken: string;
  /**
   * The origin (and path prefix, if a proxy strips one) Twilio calls, e.g. `https://api.example.com`.
   * The signature covers the URL Twilio used, so behind a proxy or load balancer it is this URL and
   * not the Host header the app sees.
   */
  publicBaseUrl: string;
  clock?: Clock | undefined;
  replyMode?: SmsReplyMode | undefined;
  /** `auto` mode's deadline. Default 10 s, under Twilio's 15 s webhook timeout with room for the network. */
  replyTimeoutMs?: number | undefined;
  /** Sends a reply that missed the webhook; default: queue it in the notification outbox in one transaction. */
  sendDeferredReply?: ((client: PoolClient, reply: DeferredSmsReply) => Promise<void>) | undefined;
  /** Where failures after the webhook has answered are reported (they have no HTTP response to go to). */
  onError?: ((error: unknown, context: { tenantId: string; messageSid: string }) => void) | undefined;
}

/** One webhook request as the HTTP layer received it. */
export interface InboundSmsRequest {
  /** The path and query as received, e.g. `/twilio/sms` (not the full URL). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed `application/x-www-form-urlencoded` body. */
  body: Record<string, unknown>;
}

/** What the HTTP layer sends back, verbatim. */
export interface InboundSmsResponse {
  status: number;
  contentType: string;
  body: string;
}

export interface InboundSmsHandler {
  handle(request: InboundSmsRequest): Promise<InboundSmsResponse>;
  /** Resolves when every reply still being worked on after its webhook answered has been sent or queued (for shutdown and tests). */
  drain(): Promise<void>;
}
