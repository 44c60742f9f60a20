import { BookingError, withTenant, type Pool, type PoolClient } from '@gomomo/core';
import { appendAudit } from '@gomomo/policy';
import { ServerError } from '../errors/server-error.js';
import { hashToken, newToken } from './tokens.js';
import { hashPassword } from './passwords.js';

export type StaffRole = 'owner' | 'staff';

/** A staff member as the console shows them; never the password hash. */
export interface StaffMember {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  createdAt: string;
  disabledAt: string | null;
}

/** Who a live session speaks for. */
export interface StaffIdentity {
  tenantId: string;
  staffId: string;
  role: StaffRole;
  email: string;
  name: string;
}

/** A console session lasts one long working day; after that, sign in again. */
export const sessionTtlSeconds = 12 * 60 * 60;

export const staffColumns = `id, email, name, role,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  to_char(disabled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "disabledAt"`;

/** Every staff change lands in the tenant's audit log as actor `staff` with the acting staff id. */
export async function auditStaffChange(
  client: PoolClient,
  input: { tenantId: string; actorStaffId: string | null; action: string; subjectId?: string; details?: Record<string, unknown>; now: Date },
): Promise<void> {
  await appendAudit(client, {
    tenantId: input.tenantId,
    actor: 'staff',
    channel: 'system',
    action: input.action,
    outcome: 'succeeded',
    ...(input.subjectId ? { subjectId: input.subjectId } : {}),
    // `null`: the operator with the admin secret (only ever for the first owner).
    details: { staffId: input.actorStaffId ?? 'admin', ...input.details },
    occurredAt: input.now,
  });
}

/** Inserts an account inside an open tenant transaction; CONFLICT when the email already has one. */
export async function insertStaff(client: PoolClient, input: { tenantId: string; email: string; name: string; role: StaffRole; password: string; now: Date }): Promise<StaffMember> {
  const passwordHash = await hashPassword(input.password);
  const { rows } = await client.query<StaffMember>(
    `INSERT INTO staff_accounts (tenant_id, email, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (tenant_id, email) DO NOTHING RETURNING ${staffColumns}`,
    [input.tenantId, input.email, input.name, input.role, passwordHash, input.now],
  );
  if (!rows[0]) throw new BookingError('CONFLICT', `email: ${input.email} already has a staff account here`, { field: 'email' });
  return rows[0];
}

/**
 * Creates the tenant's first owner (the admin secret's only console power). Refused with CONFLICT
 * once the tenant has any staff account: from then on, owners invite.
 */
export function createFirstOwner(pool: Pool, input: { tenantId: string; email: string; name: string; password: string; now: Date }): Promise<StaffMember> {
  return withTenant(
    pool,
    input.tenantId,
    async (client) => {
      // One first owner even when two requests race: the lock serialises them per tenant.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`staff-first-owner:${input.tenantId}`]);
      const existing = await client.query('SELECT 1 FROM staff_accounts WHERE tenant_id = $1 LIMIT 1', [input.tenantId]);
      if (existing.rowCount) throw new BookingError('CONFLICT', 'tenantId: this business already has staff accounts; an owner invites the next ones from the console', { field: 'tenantId' });
      const owner = await insertStaff(client, { ...input, role: 'owner' });
      await auditStaffChange(client, { tenantId: input.tenantId, actorStaffId: null, action: 'staff.create_owner', subjectId: owner.id, details: { role: 'owner' }, now: input.now });
      return owner;
    },
    { isolation: 'read committed' },
  );
}

/** Opens a session for an account inside an open tenant transaction; returns the token (shown once, as the cookie). */
export async function insertSession(client: PoolClient, input: { tenantId: string; staffId: string; now: Date }): Promise<string> {
  const token = newToken();
  await client.query('INSERT INTO staff_sessions (token_hash, tenant_id, staff_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
    hashToken(token),
    input.tenantId,
    input.staffId,
    input.now,
    new Date(input.now.getTime() + sessionTtlSeconds * 1000),
  ]);
  return token;
}

/**
 * The identity behind a session token, across tenants (the token is what tells us the tenant, so
 * this one lookup runs as the owner, by hash only). Null for an unknown, expired or revoked session
 * or a disabled account.
 */
export async function findSession(pool: Pool, token: string, now: Date): Promise<StaffIdentity | null> {
  if (token.length > 100) return null;
  const { rows } = await pool.query<StaffIdentity>({
    name: 'gomomo_find_staff_session',
    text: `SELECT s.tenant_id AS "tenantId", s.staff_id AS "staffId", a.role, a.email, a.name
             FROM staff_sessions s JOIN staff_accounts a ON a.id = s.staff_id AND a.tenant_id = s.tenant_id
            WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND a.disabled_at IS NULL`,
    values: [hashToken(token), now],
  });
  return rows[0] ?? null;
}

/** Ends one session (sign out). Idempotent. */
export async function revokeSession(pool: Pool, input: { tenantId: string; token: string; now: Date }): Promise<void> {
  await withTenant(pool, input.tenantId, (client) => client.query('UPDATE staff_sessions SET revoked_at = coalesce(revoked_at, $3) WHERE tenant_id = $1 AND token_hash = $2', [input.tenantId, hashToken(input.token), input.now]), {
    isolation: 'read committed',
  });
}

/** Ends every session of an account (sign out everywhere), audited; returns how many were open. */
export function revokeAllSessions(pool: Pool, input: { tenantId: string; staffId: string; actorStaffId: string; now: Date }): Promise<number> {
  return withTenant(
    pool,
    input.tenantId,
    async (client) => {
      const { rowCount } = await client.query('UPDATE staff_sessions SET revoked_at = $3 WHERE tenant_id = $1 AND staff_id = $2 AND revoked_at IS NULL', [input.tenantId, input.staffId, input.now]);
      await auditStaffChange(client, { tenantId: input.tenantId, actorStaffId: input.actorStaffId, action: 'staff.sign_out_everywhere', subjectId: input.staffId, details: { sessions: rowCount ?? 0 }, now: input.now });
      return rowCount ?? 0;
    },
    { isolation: 'read committed' },
  );
}

/** Expected failures, shaped for `ServerError`. */
export function notSignedIn(): ServerError {
  return new ServerError('UNAUTHORIZED', 'Not signed in to the console (or the session ended): sign in again');
}
