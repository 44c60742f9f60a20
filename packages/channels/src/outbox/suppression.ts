import { withTenant, type Pool, type PoolClient } from '@gomomo/core';
import { changeConsent, defaultConsentAudit, type ConsentAudit, type SuppressionReason } from '../consent/change-consent.js';
import { ChannelError } from '../errors.js';
import { normalizeEmail } from '../internal/addresses.js';
import type { Queryable } from '../internal/db.js';

export type { SuppressionReason } from '../consent/change-consent.js';

function normalize(email: string): string {
  const normalized = normalizeEmail(email);
  if (!normalized) throw new ChannelError('VALIDATION', 'email: not a valid email address', { field: 'email' });
  return normalized;
}

function isClient(target: Pool | PoolClient): target is PoolClient {
  return typeof (target as { release?: unknown }).release === 'function';
}

/**
 * Adds an address to the tenant's suppression list (the first reason is kept), through the one
 * audited consent writer. Given a pool, runs its own transaction.
 */
export async function suppressEmail(
  target: Pool | PoolClient,
  input: { tenantId: string; email: string; reason: SuppressionReason; detail?: string; messageId?: string; at?: Date; audit?: ConsentAudit },
): Promise<void> {
  const email = normalize(input.email);
  const write = (client: PoolClient) =>
    changeConsent(client, input.audit ?? defaultConsentAudit, {
      channel: 'email',
      status: 'suppressed',
      tenantId: input.tenantId,
      email,
      reason: input.reason,
      detail: input.detail,
      messageId: input.messageId,
      at: input.at ?? new Date(),
    });
  if (isClient(target)) await write(target);
  else await withTenant(target, input.tenantId, write, { isolation: 'read committed' });
}

/** True when the tenant must never email this address again. */
export async function isEmailSuppressed(client: Queryable, input: { tenantId: string; email: string }): Promise<boolean> {
  const { rows } = await client.query('SELECT 1 FROM email_suppressions WHERE tenant_id = $1 AND email = $2', [input.tenantId, normalize(input.email)]);
  return rows.length > 0;
}
