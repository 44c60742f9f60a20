import { createHash, randomBytes } from 'node:crypto';
import { withTenant, type Pool } from '@gomomo/core';

/** How long a ticket may wait before it opens its stream. */
export const streamTicketTtlMs = 60_000;

/** What a redeemed ticket opens: one conversation of one tenant. */
export interface StreamGrant {
  tenantId: string;
  sessionId: string;
  keyId: string | null;
}

const ticketPattern = /^gmt_[A-Za-z0-9_-]{43}$/;

function hashTicket(ticket: string): Buffer {
  return createHash('sha256').update(ticket).digest();
}

/**
 * Issues a single-use ticket to open the conversation's event stream within `streamTicketTtlMs`.
 * Expired tickets of the tenant are swept in the same statement, so the table stays small without
 * a job.
 */
export async function issueStreamTicket(pool: Pool, input: StreamGrant & { now: Date }): Promise<{ ticket: string; expiresAt: string }> {
  const ticket = `gmt_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(input.now.getTime() + streamTicketTtlMs);
  await withTenant(
    pool,
    input.tenantId,
    (client) =>
      client.query(
        `WITH swept AS (DELETE FROM stream_tickets WHERE tenant_id = $2 AND expires_at <= $6)
         INSERT INTO stream_tickets (ticket_hash, tenant_id, session_id, key_id, expires_at) VALUES ($1, $2, $3, $4, $5)`,
        [hashTicket(ticket), input.tenantId, input.sessionId, input.keyId, expiresAt, input.now],
      ),
    { isolation: 'read committed' },
  );
  return { ticket, expiresAt: expiresAt.toISOString() };
}

/**
 * Spends a ticket: the grant it carried, or null when it is unknown, already used or expired. The
 * DELETE is the single use: of two connections racing with one ticket, only one gets the row.
 * Runs on the owner pool because the tenant is what the ticket tells us.
 */
export async function redeemStreamTicket(pool: Pool, input: { ticket: string; now: Date }): Promise<StreamGrant | null> {
  if (!ticketPattern.test(input.ticket)) return null;
  const { rows } = await pool.query<{ tenant_id: string; session_id: string; key_id: string | null; expires_at: Date }>(
    'DELETE FROM stream_tickets WHERE ticket_hash = $1 RETURNING tenant_id, session_id, key_id, expires_at',
    [hashTicket(input.ticket)],
  );
  const row = rows[0];
  if (!row || row.expires_at.getTime() <= input.now.getTime()) return null;
  return { tenantId: row.tenant_id, sessionId: row.session_id, keyId: row.key_id };
}
