import { ChannelError } from '../errors.js';
import { normalizeEmail } from '../internal/addresses.js';
import type { Queryable } from '../internal/db.js';

export type SuppressionReason = 'hard_bounce' | 'spam_complaint' | 'manual' | 'unsubscribe';

function normalize(email: string): string {
  const normalized = normalizeEmail(email);
  if (!normalized) throw new ChannelError('VALIDATION', 'email: not a valid email address', { field: 'email' });
  return normalized;
}

/** Adds an address to the tenant's suppression list; the first reason is kept. */
export async function suppressEmail(client: Queryable, input: { tenantId: string; email: string; reason: SuppressionReason; detail?: string }): Promise<void> {
  await client.query(
    `INSERT INTO email_suppressions (tenant_id, email, reason, detail) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, email) DO NOTHING`,
    [input.tenantId, normalize(input.email), input.reason, (input.detail ?? '').slice(0, 1000)],
  );
}

/** True when the tenant must never email this address again. */
export async function isEmailSuppressed(client: Queryable, input: { tenantId: string; email: string }): Promise<boolean> {
  const { rows } = await client.query('SELECT 1 FROM email_suppressions WHERE tenant_id = $1 AND email = $2', [input.tenantId, normalize(input.email)]);
  return rows.length > 0;
}
