import type { Clock, Pool } from '@gomomo/core';
import { ChannelError, isChannelError } from '../errors.js';
import { isTwilioOptOutError } from '../sms/outbound/twilio.js';
import type { OutboundMessage, Transport, Transports } from '../transports/types.js';
import type { ClaimedMessage, RecipientVerdict } from './claim.js';
import { recordConsent } from './consent.js';
import type { Outcome } from './finalize.js';
import { smsSendTime } from '../consent/send-window.js';
import type { SmsRateLimit } from './rate-limit.js';
import { normalizeEmail, normalizePhone } from '../internal/addresses.js';
import { noTruth, obsoleteReason, type BatchTruth } from './truth.js';

export interface ProcessContext {
  pool: Pool;
  clock: Clock;
  transports: Transports;
  smsRateLimit: SmsRateLimit;
  sendTimeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

/** What happened to one claimed row; `held` = put back until quiet hours end. */
export type ProcessResult = Exclude<Outcome['status'], 'pending'> | 'held' | 'reconciled' | 'lost_lease';

/** One row's outcome, to be written with the rest of its batch. */
export interface ProcessedMessage {
  outcome: Outcome;
  result: Exclude<ProcessResult, 'lost_lease'>;
}

const timeoutPrefix = 'timeout:';

function toOutbound(row: ClaimedMessage): OutboundMessage {
  if (!Array.isArray(row.attachments)) throw new ChannelError('VALIDATION', 'attachments: must be an array', { field: 'attachments' });
  return {
    id: row.id,
    tenantId: row.tenantId,
    channel: row.channel,
    template: row.template,
    recipient: row.recipient,
    subject: row.subject,
    body: row.body,
    htmlBody: row.htmlBody,
    attachments: row.attachments,
    idempotencyKey: row.idempotencyKey,
  };
}

async function sendWithTimeout(transport: Transport, message: OutboundMessage, timeoutMs: number): Promise<string> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new ChannelError('TRANSIENT', `${timeoutPrefix} ${transport.provider} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const result = await Promise.race([transport.send(message, { signal: controller.signal }), timeout]);
    return result.providerMessageId;
  } finally {
    clearTimeout(timer);
  }
}

/** The gate's verdict, asked now (an SMS: a slot is reserved when it says ok). */
async function askGate(ctx: ProcessContext, row: ClaimedMessage, now: Date): Promise<{ verdict: RecipientVerdict; retryAt: Date | null }> {
  const { rows } = await ctx.pool.query<{ verdict: RecipientVerdict; retryAt: Date | null }>(
    'SELECT verdict, retry_at AS "retryAt" FROM gomomo_outbox_gate($1, $2, $3, $4, $5, $6)',
    [row.tenantId, row.channel, row.recipient, now, ctx.smsRateLimit.max, ctx.smsRateLimit.windowMs],
  );
  return rows[0]!;
}

/**
 * Suppression, consent and the per-phone rate limit in one round trip (gomomo_outbox_gate, migration
 * 0061): a reserved SMS slot and the checks happen in one statement, so one transaction. An email's
 * verdict came with its claim (`emailVerdict`), so it costs no round trip here.
 */
async function checkRecipient(ctx: ProcessContext, row: ClaimedMessage, now: Date): Promise<Outcome | null> {
  const normalized = row.channel === 'email' ? normalizeEmail(row.recipient) : normalizePhone(row.recipient);
  if (normalized !== row.recipient) throw new ChannelError('VALIDATION', `recipient: ${JSON.stringify(row.recipient).slice(0, 60)} is not a valid ${row.channel} address`, { field: 'recipient' });
  const { verdict, retryAt } = row.emailVerdict ? { verdict: row.emailVerdict, retryAt: null } : await askGate(ctx, row, now);
  if (verdict === 'suppressed') return { status: 'suppressed', error: 'The address is on the suppression list', now };
  if (verdict === 'opted_out') return { status: 'opted_out', error: `The recipient opted out of ${row.channel}`, now };
  if (verdict === 'rate_limited') {
    return { status: 'rate_limited', error: `More than ${ctx.smsRateLimit.max} SMS to this phone in the window`, retryAt, refundAttempt: true, now };
  }
  return null;
}

async function outcomeOfFailure(ctx: ProcessContext, row: ClaimedMessage, error: unknown): Promise<Outcome> {
  const now = ctx.clock.now();
  const message = error instanceof Error ? error.message : String(error);
  if (isTwilioOptOutError(error)) {
    // The one audited consent writer, in its own transaction (the batch's outcome is written later).
    await recordConsent(ctx.pool, { tenantId: row.tenantId, channel: 'sms', address: row.recipient, status: 'opted_out', source: 'carrier', keyword: '21610', at: now });
    return { status: 'opted_out', error: message, now };
  }
  if (isChannelError(error, 'PERMANENT') || isChannelError(error, 'VALIDATION') || isChannelError(error, 'CONFIGURATION')) {
    return { status: 'permanently_failed', error: message, now };
  }
  if (isChannelError(error, 'RATE_LIMITED')) {
    return { status: 'rate_limited', error: message, retryAt: new Date(now.getTime() + (error.retryAfterMs ?? 60_000)), refundAttempt: true, now };
  }
  if (row.attempts >= row.maxAttempts) return { status: 'permanently_failed', error: `${message} (after ${row.attempts} attempts)`, now };
  const delay = Math.min(ctx.retryMaxMs, ctx.retryBaseMs * 2 ** (row.attempts - 1));
  return { status: 'failed', error: message, retryAt: new Date(now.getTime() + delay), now };
}

/**
 * Quiet hours: a non-transactional SMS waits until the tenant's sending window opens on the
 * recipient's clock (TCPA 47 CFR 64.1200(c)(1): not before 08:00 or after 21:00 local). Checked
 * before the rate-limit gate so a held message does not take a slot.
 */
function quietHoursHold(row: ClaimedMessage, now: Date): Outcome | null {
  if (row.channel !== 'sms' || row.isTransactional) return null;
  const allowedAt = smsSendTime({ now, tenant: { timeZone: row.tenantTimeZone, settings: row.tenantSettings ?? {} }, phone: row.recipient, isTransactional: false });
  if (allowedAt.getTime() <= now.getTime()) return null;
  // A 07:00 appointment's reminder held until 08:00 would arrive after the fact: never hold a
  // message past its deadline, give it up instead.
  if (row.sendBefore && allowedAt.getTime() >= row.sendBefore.getTime()) {
    return { status: 'obsolete', error: `obsolete: quiet hours last until ${allowedAt.toISOString()}, past its deadline ${row.sendBefore.toISOString()}`, now };
  }
  return { status: 'pending', error: `held for quiet hours until ${allowedAt.toISOString()}`, retryAt: allowedAt, refundAttempt: true, now };
}

/**
 * Takes one claimed row to its next state and returns it (the sender writes a whole batch in one
 * statement). Never throws: a malformed row becomes `permanently_failed` with the reason, so one bad
 * row cannot stop the batch. `truth` holds the current state of the appointments and holds the batch's
 * messages describe (see `readBatchTruth`); a message that no longer matches ends `obsolete`.
 */
export async function processMessage(ctx: ProcessContext, row: ClaimedMessage, truth: BatchTruth = noTruth): Promise<ProcessedMessage> {
  let outcome: Outcome;
  try {
    const transport = ctx.transports[row.channel];
    if (!transport) throw new ChannelError('CONFIGURATION', `No ${row.channel} transport is configured`);
    const message = toOutbound(row);
    // A dead sender (lapsed lease) or a timeout may have handed the message over already: ask first.
    const isUncertain = row.previousStatus === 'sending' || (row.lastError ?? '').startsWith(timeoutPrefix);
    const since = row.previousClaimedAt ?? row.createdAt;
    const already = isUncertain && transport.findSent ? await transport.findSent(message, since) : null;
    if (already) return { outcome: { status: 'sent', provider: transport.provider, providerMessageId: already, now: ctx.clock.now() }, result: 'reconciled' };
    const obsolete = obsoleteReason(row, truth, ctx.clock.now());
    if (obsolete) return { outcome: { status: 'obsolete', error: obsolete, now: ctx.clock.now() }, result: 'obsolete' };
    const held = quietHoursHold(row, ctx.clock.now());
    if (held) return { outcome: held, result: held.status === 'obsolete' ? 'obsolete' : 'held' };
    const blocked = await checkRecipient(ctx, row, ctx.clock.now());
    if (blocked) {
      outcome = blocked;
    } else {
      const providerMessageId = await sendWithTimeout(transport, message, ctx.sendTimeoutMs);
      outcome = { status: 'sent', provider: transport.provider, providerMessageId, now: ctx.clock.now() };
    }
  } catch (error) {
    outcome = await outcomeOfFailure(ctx, row, error).catch((inner: unknown) => ({
      status: 'failed' as const,
      error: String(inner),
      retryAt: new Date(ctx.clock.now().getTime() + ctx.retryBaseMs),
      now: ctx.clock.now(),
    }));
  }
  return { outcome, result: outcome.status === 'pending' ? 'held' : outcome.status };
}
