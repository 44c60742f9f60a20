import type { PoolClient } from '@gomomo/core';
import { writeSmsConsent, type ConsentSource, type RecordSmsConsentResult } from './consent-store.js';

/**
 * The slice of @gomomo/policy's `appendAudit(client, entry)` that consent changes use. Taken as a
 * parameter so the caller decides which audit log (the real one in production and tests).
 */
export interface ConsentAudit {
  appendAudit(
    client: PoolClient,
    entry: {
      tenantId: string;
      actor: 'customer' | 'staff';
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

export interface ChangeSmsConsentInput {
  tenantId: string;
  /** E.164. */
  phone: string;
  status: 'opted_in' | 'opted_out';
  source: ConsentSource;
  /** The keyword, or PHRASE for a plain-language revocation. */
  keyword?: string | undefined;
  /** The inbound message that carried the request, for the audit trail. */
  messageSid?: string | undefined;
  at: Date;
}

/**
 * Records an SMS consent change and its audit entry in the caller's transaction (which must be READ
 * COMMITTED, as the audit chain requires), so neither exists without the other. A request that
 * changes nothing (STOP while opted out) writes nothing and reports `isChanged: false`.
 */
export async function changeSmsConsent(client: PoolClient, audit: ConsentAudit, input: ChangeSmsConsentInput): Promise<RecordSmsConsentResult> {
  const result = await writeSmsConsent(client, input);
  if (!result.isChanged) return result;
  const isOptOut = input.status === 'opted_out';
  await audit.appendAudit(client, {
    tenantId: input.tenantId,
    actor: input.source === 'staff' ? 'staff' : 'customer',
    channel: input.source === 'voice' ? 'voice' : input.source === 'web' ? 'web' : input.source === 'staff' ? 'system' : 'sms',
    action: isOptOut ? 'consent.opt_out' : 'consent.opt_in',
    outcome: 'succeeded',
    reason: isOptOut
      ? `SMS consent revoked (${input.keyword ?? input.source}); no further SMS of any kind until the customer opts back in`
      : `SMS consent restored (${input.keyword ?? input.source})`,
    // Stored by the audit log only as a pseudonym, so a person's trail can be found without the number.
    clientKey: input.phone,
    details: { channel: 'sms', source: input.source, keyword: input.keyword ?? null, previous: result.previous, messageSid: input.messageSid ?? null },
    occurredAt: input.at,
  });
  return result;
}
