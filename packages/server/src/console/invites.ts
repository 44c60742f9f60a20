import { enqueueOutboxMessage } from '@gomomo/channels';
import { BookingError, withTenant, type Pool } from '@gomomo/core';
import { auditStaffChange, insertSession, insertStaff, type StaffMember, type StaffRole } from './staff-store.js';
import { hashToken, newToken } from './tokens.js';

/** An invitation is good for three days, once. */
export const inviteTtlHours = 72;

export interface InviteInput {
  tenantId: string;
  invitedBy: string;
  email: string;
  role: StaffRole;
  /** Where the console is reached, e.g. https://api.example.com (the link is `<base>/console/#/accept/<token>`). */
  baseUrl: string;
  businessName: string;
  now: Date;
}

/**
 * Invites a person by email: the invite row, the email in the channels outbox and the audit entry
 * commit together, so a retried request never sends a link that does not work (or the reverse).
 * The token is in the email only; the database keeps its hash.
 */
export function inviteStaff(pool: Pool, input: InviteInput): Promise<{ email: string; role: StaffRole; expiresAt: string }> {
  const token = newToken();
  const expiresAt = new Date(input.now.getTime() + inviteTtlHours * 3_600_000);
  const link = `${input.baseUrl.replace(/\/$/, '')}/console/#/accept/${token}`;
  return withTenant(
    pool,
    input.tenantId,
    async (client) => {
      const existing = await client.query('SELECT 1 FROM staff_accounts WHERE tenant_id = $1 AND email = $2', [input.tenantId, input.email]);
      if (existing.rowCount) throw new BookingError('CONFLICT', `email: ${input.email} already has a staff account here`, { field: 'email' });
      await client.query('INSERT INTO staff_invites (token_hash, tenant_id, email, role, invited_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        hashToken(token),
        input.tenantId,
        input.email,
        input.role,
        input.invitedBy,
        input.now,
        expiresAt,
      ]);
      await enqueueOutboxMessage(client, {
        tenantId: input.tenantId,
        channel: 'email',
        template: 'staff_invite',
        recipient: input.email,
        subject: `You are invited to ${input.businessName}'s console`,
        body: `You have been invited to help run ${input.businessName} on gomomo.\n\nSet your password and sign in here (the link works once, for ${inviteTtlHours} hours):\n${link}\n`,
        idempotencyKey: `staff-invite:${hashToken(token).toString('hex')}`,
        isTransactional: true,
      });
      await auditStaffChange(client, { tenantId: input.tenantId, actorStaffId: input.invitedBy, action: 'staff.invite', details: { role: input.role }, now: input.now });
      return { email: input.email, role: input.role, expiresAt: expiresAt.toISOString() };
    },
    { isolation: 'read committed' },
  );
}

/**
 * Redeems an invitation: creates the account with the chosen password and signs it in. The token
 * is spent in the same transaction (a second use, an expired or unknown token: 404 naming `token`).
 */
export async function acceptInvite(pool: Pool, input: { token: string; name: string; password: string; now: Date }): Promise<{ token: string; staff: StaffMember; tenantId: string }> {
  // The token names the tenant: look it up by hash as the owner, then work inside the tenant.
  const { rows } = await pool.query<{ tenantId: string }>('SELECT tenant_id AS "tenantId" FROM staff_invites WHERE token_hash = $1', [hashToken(input.token)]);
  const tenantId = rows[0]?.tenantId;
  const invalid = () => new BookingError('NOT_FOUND', 'token: this invitation is not valid, was already used or has expired; ask an owner for a new one', { field: 'token' });
  if (!tenantId) throw invalid();
  return withTenant(
    pool,
    tenantId,
    async (client) => {
      const spent = await client.query<{ email: string; role: StaffRole; invitedBy: string | null }>(
        `UPDATE staff_invites SET used_at = $3 WHERE tenant_id = $1 AND token_hash = $2 AND used_at IS NULL AND expires_at > $3
         RETURNING email, role, invited_by AS "invitedBy"`,
        [tenantId, hashToken(input.token), input.now],
      );
      const invite = spent.rows[0];
      if (!invite) throw invalid();
      const staff = await insertStaff(client, { tenantId, email: invite.email, name: input.name, role: invite.role, password: input.password, now: input.now });
      await auditStaffChange(client, { tenantId, actorStaffId: staff.id, action: 'staff.accept_invite', subjectId: staff.id, details: { role: invite.role, invitedBy: invite.invitedBy }, now: input.now });
      const token = await insertSession(client, { tenantId, staffId: staff.id, now: input.now });
      return { token, staff, tenantId };
    },
    { isolation: 'read committed' },
  );
}
