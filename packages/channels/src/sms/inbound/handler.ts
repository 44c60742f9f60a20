import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock, withTenant } from '@gomomo/core';
import { defaultConsentAudit } from '../../consent/change-consent.js';
import { ChannelError, isChannelError } from '../../errors.js';
import { deliverDeferredReply, queueDeferredReply, recordTwimlReply, runSmsTurn, type ConversationContext } from './conversation.js';
import { parseInboundSms, type InboundSms } from './parse-webhook.js';
import { findTenantByNumber, recordUnroutedSms } from './phone-numbers.js';
import { receiveInboundSms } from './receive.js';
import { isTwilioSignatureValid } from './signature.js';
import { toTextResponse, toTwimlResponse } from './twiml.js';
import type { InboundSmsHandler, InboundSmsHandlerOptions, InboundSmsRequest, InboundSmsResponse } from './types.js';

const defaultReplyTimeoutMs = 10_000;

function checkOptions(options: InboundSmsHandlerOptions): void {
  if (!options.authToken) throw new ChannelError('CONFIGURATION', 'authToken: the Twilio auth token is required to check webhook signatures', { field: 'authToken' });
  if (!/^https?:\/\/[^/\s]+/i.test(options.publicBaseUrl ?? '')) {
    throw new ChannelError('CONFIGURATION', `publicBaseUrl: must be the absolute URL Twilio calls, like https://api.example.com, got ${JSON.stringify(options.publicBaseUrl)}`, {
      field: 'publicBaseUrl',
    });
  }
  const timeout = options.replyTimeoutMs;
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout >= 0 && timeout <= 14_000)) {
    throw new ChannelError('CONFIGURATION', `replyTimeoutMs: must be an integer from 0 to 14000 (Twilio waits 15 s), got ${timeout}`, { field: 'replyTimeoutMs' });
  }
}

/**
 * The inbound SMS webhook (Twilio's "A message comes in"), independent of any HTTP framework: the
 * server passes the request's path, headers and parsed form body, and sends back what it returns.
 *
 * In order: the signature (403 when missing or wrong, before anything is read or stored); the
 * parameters (400 naming the bad one); the tenant that owns the receiving number (404 and a record
 * of the hit when none does); de-duplication by MessageSid; consent keywords; then the receptionist.
 *
 * Why `auto` reply mode is the default: Twilio drops a webhook after 15 s. A TwiML reply is one
 * round trip, costs no REST call and needs no sender credentials, and the offline brain answers in
 * milliseconds, so most replies go that way. A slow turn (an LLM on a bad day) must not be lost,
 * though: at the deadline the webhook answers with empty TwiML and the reply, when it comes, goes
 * through the notification outbox (consent-checked, rate-limited, retried like every outbound SMS).
 * The customer gets exactly one reply either way.
 */
export function createInboundSmsHandler(options: InboundSmsHandlerOptions): InboundSmsHandler {
  checkOptions(options);
  const clock = options.clock ?? systemClock;
  const audit = options.policy ?? defaultConsentAudit;
  const replyMode = options.replyMode ?? 'auto';
  const replyTimeoutMs = options.replyTimeoutMs ?? defaultReplyTimeoutMs;
  const sendDeferred = options.sendDeferredReply ?? queueDeferredReply;
  const onError = options.onError ?? ((error: unknown) => console.error('gomomo: inbound SMS reply failed after the webhook answered', error));
  const pending = new Set<Promise<void>>();

  function track(context: ConversationContext, work: Promise<void>): void {
    const guarded = work.catch((error: unknown) => onError(error, { tenantId: context.tenantId, messageSid: context.message.messageSid }));
    pending.add(guarded);
    void guarded.finally(() => pending.delete(guarded));
  }

  function reportFailure(context: ConversationContext, turn: { isFailed: boolean; error?: unknown }): void {
    if (turn.isFailed) onError(turn.error, { tenantId: context.tenantId, messageSid: context.message.messageSid });
  }

  /** Lets the turn finish after the webhook has answered, then sends its reply on its own. */
  function deferReply(context: ConversationContext, turn: ReturnType<typeof runSmsTurn>): InboundSmsResponse {
    const work = turn.then((result) => {
      reportFailure(context, result);
      return deliverDeferredReply(context, result, sendDeferred);
    });
    track(context, work);
    return toTwimlResponse(null);
  }

  async function converse(context: ConversationContext): Promise<InboundSmsResponse> {
    const turn = runSmsTurn(context);
    if (replyMode === 'outbox') return deferReply(context, turn);
    const deadline = new AbortController();
    const timer = replyMode === 'twiml' ? null : sleep(replyTimeoutMs, 'late' as const, { signal: deadline.signal }).catch(() => 'cancelled' as const);
    const first = await (timer ? Promise.race([turn, timer]) : turn);
    deadline.abort();
    // Past the deadline: answer Twilio now, and send the reply on its own when it is ready.
    if (first === 'late' || first === 'cancelled') return deferReply(context, turn);
    reportFailure(context, first);
    try {
      await recordTwimlReply(context, first);
    } catch (error) {
      // The turn has happened (perhaps a booking): its reply matters more than our record of it.
      onError(error, { tenantId: context.tenantId, messageSid: context.message.messageSid });
    }
    return toTwimlResponse(first.reply);
  }

  async function handle(request: InboundSmsRequest): Promise<InboundSmsResponse> {
    const params = request.body ?? {};
    if (!isTwilioSignatureValid({ authToken: options.authToken, publicBaseUrl: options.publicBaseUrl, url: request.url, headers: request.headers ?? {}, params })) {
      return toTextResponse(403, 'Forbidden: the X-Twilio-Signature header is missing or does not match this request');
    }
    let message: InboundSms;
    try {
      message = parseInboundSms(params);
    } catch (error) {
      if (isChannelError(error, 'VALIDATION')) return toTextResponse(400, `Bad request: ${error.message}`);
      throw error;
    }
    const at = clock.now();
    const tenantId = await findTenantByNumber(options.pool, message.to);
    if (!tenantId) {
      await recordUnroutedSms(options.pool, { to: message.to, from: message.from, messageSid: message.messageSid, at });
      return toTextResponse(404, `Not found: no tenant receives SMS on ${message.to}; add it to phone_numbers`);
    }
    const reception = await withTenant(options.pool, tenantId, (client) => receiveInboundSms(client, { tenantId, message, at, audit }), {
      isolation: 'read committed',
    });
    if (reception.outcome === 'duplicate') return toTwimlResponse(null);
    if (reception.outcome === 'answered') return toTwimlResponse(reception.reply);
    return converse({ pool: options.pool, clock, receptionist: options.receptionist, tenantId, message });
  }

  return {
    handle,
    async drain() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
