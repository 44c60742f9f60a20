import { readTenant, type PoolClient } from '@gomomo/core';
import { changeSmsConsent, type ConsentAudit } from '../../consent/change-consent.js';
import { readSmsConsent } from '../../consent/consent-store.js';
import { classifyInboundText, type InboundIntent } from '../../consent/keywords.js';
import { renderHelpReply, renderOptInReply, renderOptOutReply, type KeywordReplyContext } from '../../consent/keyword-replies.js';
import { claimInboundMessage, completeInboundMessage, type InboundKind } from './inbound-store.js';
import type { InboundSms } from './parse-webhook.js';

/** What the first, transactional step decided about an inbound message. */
export type Reception =
  | { outcome: 'duplicate' }
  /** Handled here (a keyword, or a message from an opted-out number); `reply` null means answer nothing. */
  | { outcome: 'answered'; reply: string | null }
  | { outcome: 'conversation' };

export interface ReceiveInput {
  tenantId: string;
  message: InboundSms;
  at: Date;
  audit: ConsentAudit;
}

/**
 * Our reading of the text, unless Twilio's Advanced Opt-Out already classified it with the
 * operator's own keyword lists: then Twilio has acted on it (and blocks or unblocks the number), so
 * our consent record must agree with it.
 */
function intentOf(message: InboundSms, isOptedOut: boolean): InboundIntent {
  const ours = classifyInboundText(message.body, { isOptedOut });
  const keyword = message.body.trim().toUpperCase().slice(0, 40) || 'TWILIO';
  if (message.optOutType === 'STOP' && ours.kind !== 'opt_out') return { kind: 'opt_out', keyword, match: 'keyword' };
  if (message.optOutType === 'START' && ours.kind !== 'opt_in') return { kind: 'opt_in', keyword };
  if (message.optOutType === 'HELP' && ours.kind !== 'help') return { kind: 'help', keyword };
  return ours;
}

function kindOf(intent: InboundIntent, isOptedOut: boolean): InboundKind {
  if (intent.kind !== 'message') return 'keyword';
  return isOptedOut ? 'ignored' : 'conversation';
}

function readReplyContext(settings: Record<string, unknown>, businessName: string): KeywordReplyContext {
  const sms = settings['sms'];
  const helpContact = sms && typeof sms === 'object' ? (sms as Record<string, unknown>)['helpContact'] : undefined;
  return { businessName, helpContact: typeof helpContact === 'string' && helpContact.trim() ? helpContact.trim() : undefined };
}

async function applyKeyword(client: PoolClient, input: ReceiveInput, intent: Exclude<InboundIntent, { kind: 'message' }>): Promise<string | null> {
  const tenant = await readTenant(client, input.tenantId);
  const context = readReplyContext(tenant.settings, tenant.name);
  if (intent.kind === 'help') return renderHelpReply(context);
  const change = await changeSmsConsent(client, input.audit, {
    tenantId: input.tenantId,
    phone: input.message.from,
    status: intent.kind === 'opt_out' ? 'opted_out' : 'opted_in',
    source: intent.kind === 'opt_out' && intent.match === 'phrase' ? 'sms_phrase' : 'sms_keyword',
    keyword: intent.keyword,
    messageSid: input.message.messageSid,
    at: input.at,
  });
  if (intent.kind === 'opt_in') return renderOptInReply(context);
  // One confirmation per opt-out: a second STOP from a number already opted out gets silence, as
  // the CTIA asks that nothing but the single confirmation follow an opt-out.
  return change.isChanged ? renderOptOutReply(context, intent.keyword) : null;
}

/**
 * The webhook's first step, in one READ COMMITTED tenant transaction: de-duplicate by MessageSid,
 * read the sender's consent, and handle consent keywords (consent change, audit entry and reply all
 * commit together or not at all). Conversation messages are only recorded here: the receptionist
 * runs its own transactions, after this one commits.
 *
 * Opted-out numbers: STOP, START and HELP still work; anything else is recorded and not answered,
 * since no SMS of any kind may go to them until they opt back in.
 */
export async function receiveInboundSms(client: PoolClient, input: ReceiveInput): Promise<Reception> {
  const consent = await readSmsConsent(client, { tenantId: input.tenantId, phone: input.message.from });
  const isOptedOut = consent.status === 'opted_out';
  const intent = intentOf(input.message, isOptedOut);
  const kind = kindOf(intent, isOptedOut);
  if (!(await claimInboundMessage(client, { tenantId: input.tenantId, message: input.message, kind, at: input.at }))) return { outcome: 'duplicate' };
  if (kind === 'conversation') return { outcome: 'conversation' };
  const answer = intent.kind === 'message' ? null : await applyKeyword(client, input, intent);
  // With Advanced Opt-Out on (the only time Twilio sends OptOutType), Twilio has already sent the
  // Messaging Service's own keyword reply: a second one from us would repeat it (or, after STOP,
  // be refused by Twilio with error 21610).
  const reply = input.message.optOutType ? null : answer;
  const status = reply === null ? 'no_reply' : 'replied';
  await completeInboundMessage(client, { tenantId: input.tenantId, messageSid: input.message.messageSid, status, reply, at: input.at });
  return { outcome: 'answered', reply };
}
