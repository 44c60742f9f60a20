import { withTenant, type Pool, type PoolClient } from '@gomomo/core';
import { changeConsent, defaultConsentAudit, type ConsentAudit } from '../consent/change-consent.js';
import type { ConsentSource } from '../consent/consent-store.js';
import { ChannelError } from '../errors.js';
import { normalizeEmail, normalizePhone } from '../internal/addresses.js';
import type { Queryable } from '../internal/db.js';
import type { Channel } from '../transports/types.js';

export type ConsentStatus = 'opted_in' | 'opted_out';

export interface ConsentInput {
  tenantId: string;
  channel: Channel;
  address: string;
  status: ConsentStatus;
  /** Where the decision came from. */
  source: ConsentSource;
  keyword?: string | undefined;
  /** When it happened (the caller's clock); default now. */
  at?: Date | undefined;
  /** Default: @gomomo/policy's audit log. */
  audit?: ConsentAudit | undefined;
}

function normalize(channel: Channel, address: string): string {
  const normalized = channel === 'sms' ? normalizePhone(address) : normalizeEmail(address);
  if (!normalized) throw new ChannelError('VALIDATION', `address: not a valid ${channel === 'sms' ? 'E.164 phone number' : 'email address'}`, { field: 'address' });
  return normalized;
}

function isClient(target: Pool | PoolClient): target is PoolClient {
  return typeof (target as { release?: unknown }).release === 'function';
}

/**
 * Records a person's consent for one tenant through the one audited writer (`changeConsent`). An
 * email opt-out is a suppression (reason `unsubscribe`); an email opt-in is refused, since a bounce or
 * complaint is lifted only by staff on the suppression list. Given a pool, runs its own transaction.
 */
export async function recordConsent(target: Pool | PoolClient, input: ConsentInput): Promise<void> {
  const address = normalize(input.channel, input.address);
  if (input.channel === 'email' && input.status === 'opted_in') {
    throw new ChannelError('VALIDATION', 'status: an email address cannot be opted back in here; remove it from the suppression list instead', { field: 'status' });
  }
  const at = input.at ?? new Date();
  const audit = input.audit ?? defaultConsentAudit;
  const write = (client: PoolClient) =>
    input.channel === 'email'
      ? changeConsent(client, audit, { channel: 'email', status: 'suppressed', tenantId: input.tenantId, email: address, reason: 'unsubscribe', at })
      : changeConsent(client, audit, { channel: 'sms', tenantId: input.tenantId, phone: address, status: input.status, source: input.source, keyword: input.keyword, at });
  if (isClient(target)) await write(target);
  else await withTenant(target, input.tenantId, write, { isolation: 'read committed' });
}

/** True when the person opted out of this tenant's messages on this channel. */
export async function isOptedOut(client: Queryable, input: { tenantId: string; channel: Channel; address: string }): Promise<boolean> {
  const { rows } = await client.query<{ status: ConsentStatus }>(
    'SELECT status FROM contact_consents WHERE tenant_id = $1 AND channel = $2 AND address = $3',
    [input.tenantId, input.channel, normalize(input.channel, input.address)],
  );
  return rows[0]?.status === 'opted_out';
}
