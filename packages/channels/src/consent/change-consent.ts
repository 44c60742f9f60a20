import type { PoolClient } from '@gomomo/core';
import { appendAudit } from '@gomomo/policy';
import { writeEmailSuppression, writeSmsConsent, type ConsentSource, type RecordSmsConsentResult } from './consent-store.js';

/**
 * The slice of @gomomo/policy's `appendAudit(client, entry)` that consent changes use. Taken as a
 * parameter so the caller decides which audit log (the real one in production and tests).
 */
export interface ConsentAudit {
  appendAudit(
    client: PoolClient,
    entry: {
      tenantId: string;
      actor: 'customer' | 'staff' | 'autonomous';
      channel: 'sms' | 'voice' | 'web' | 'system';
      action: string;
      outcome: 'succeeded';
      reason: string;
      clientKey: string;
      details: Record<string, unknown>;
      occurredAt: Date;
    },
  ): Promise<unknown>;
}

/** The real audit log: @gomomo/policy's hash-chained `appendAudit`, joining the caller's transaction. */
export const defaultConsentAudit: ConsentAudit = { appendAudit: (client, entry) => appendAudit(client, entry) };

export interface ChangeSmsConsentInput {
  tenantId: string;
  /** E.164. */
  phone: string;
  status: 'opted_in' | 'opted_out';
  source: ConsentSource;
  /** The keyword, or PHRASE for a plain-language revocation. */
  keyword?: string | undefined;
  /** The inbound message that carried the request (or the outbound one the carrier refused), for the audit trail. */
  messageSid?: string | undefined;
  at: Date;
}

/** Why an email address may no longer be emailed. */
export type SuppressionReason = 'hard_bounce' | 'spam_complaint' | 'manual' | 'unsubscribe';

export interface SuppressEmailChange {
  tenantId: string;
  /** Normalised (lower-case) address. */
  email: string;
  reason: SuppressionReason;
  detail?: string | undefined;
  /** The provider's message the bounce or complaint was about. */
  messageId?: string | undefined;
  at: Date;
}

/** One consent change: an SMS opt-out/opt-in, or an email address put on the suppression list. */
export type ConsentChange = ({ channel: 'sms' } & ChangeSmsConsentInput) | ({ channel: 'email'; status: 'suppressed' } & SuppressEmailChange);

function actorOf(source: ConsentSource): 'customer' | 'staff' | 'autonomous' {
  if (source === 'staff') return 'staff';
  // The carrier told us (21610): nobody in a conversation acted, so it is the autonomous side's record.
  return source === 'carrier' ? 'autonomous' : 'customer';
}

function channelOf(source: ConsentSource): 'sms' | 'voice' | 'web' | 'system' {
  if (source === 'voice' || source === 'web') return source;
  return source === 'staff' || source === 'carrier' ? 'system' : 'sms';
}

async function changeSms(client: PoolClient, audit: ConsentAudit, input: ChangeSmsConsentInput): Promise<RecordSmsConsentResult> {
  const result = await writeSmsConsent(client, input);
  if (!result.isChanged) return result;
  const isOptOut = input.status === 'opted_out';
  const cause = input.source === 'carrier' ? 'carrier error 21610' : (input.keyword ?? input.source);
  await audit.appendAudit(client, {
    tenantId: input.tenantId,
    actor: actorOf(input.source),
    channel: channelOf(input.source),
    action: isOptOut ? 'consent.opt_out' : 'consent.opt_in',
    outcome: 'succeeded',
    reason: isOptOut ? `SMS consent revoked (${cause}); no further SMS of any kind until the customer opts back in` : `SMS consent restored (${cause})`,
    // Stored by the audit log only as a pseudonym, so a person's trail can be found without the number.
    clientKey: input.phone,
    details: { channel: 'sms', source: input.source, keyword: input.keyword ?? null, previous: result.previous, messageSid: input.messageSid ?? null },
    occurredAt: input.at,
  });
  return result;
}

async function changeEmail(client: PoolClient, audit: ConsentAudit, input: SuppressEmailChange): Promise<RecordSmsConsentResult> {
  const isChanged = await writeEmailSuppression(client, input);
  if (!isChanged) return { isChanged: false, previous: 'opted_out' };
  await audit.appendAudit(client, {
    tenantId: input.tenantId,
    actor: input.reason === 'manual' ? 'staff' : input.reason === 'unsubscribe' ? 'customer' : 'autonomous',
    channel: 'system',
    action: 'consent.email_suppressed',
    outcome: 'succeeded',
    reason: `Email address suppressed (${input.reason}); no further email of any kind to it`,
    clientKey: input.email,
    details: { channel: 'email', reason: input.reason, messageId: input.messageId ?? null },
    occurredAt: input.at,
  });
  return { isChanged: true, previous: 'unknown' };
}

/**
 * The one writer of consent: every change (SMS keyword or plain-language STOP/START, carrier error
 * 21610, email bounce or complaint, staff) goes through here, in the caller's READ COMMITTED
 * transaction, so the record and its audit entry commit together. The write is a single
 * insert-on-conflict that only changes a differing row, so of two simultaneous identical requests
 * exactly one reports `isChanged: true` (and gets a confirmation); a request that changes nothing
 * writes nothing.
 */
export async function changeConsent(client: PoolClient, audit: ConsentAudit, change: ConsentChange): Promise<RecordSmsConsentResult> {
  if (change.channel === 'email') return changeEmail(client, audit, change);
  return changeSms(client, audit, change);
}

/** SMS consent through the one writer (`changeConsent` with `channel: 'sms'`). */
export async function changeSmsConsent(client: PoolClient, audit: ConsentAudit, input: ChangeSmsConsentInput): Promise<RecordSmsConsentResult> {
  return changeSms(client, audit, input);
}
