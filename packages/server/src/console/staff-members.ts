import { BookingError, withTenant, type Pool } from '@gomomo/core';
import { auditStaffChange, staffColumns, type StaffMember, type StaffRole } from './staff-store.js';

/** The tenant's staff accounts, owners first. */
export function listStaff(pool: Pool, tenantId: string): Promise<StaffMember[]> {
  return withTenant(pool, tenantId, async (client) => (await client.query<StaffMember>(`SELECT ${staffColumns} FROM staff_accounts WHERE tenant_id = $1 ORDER BY role, created_at, id`, [tenantId])).rows, {
    isolation: 'read committed',
  });
}

/**
 * Changes a member's role or disables them (ending their sessions), audited. The last active owner
 * can be neither demoted nor disabled: a business must never lock itself out of its own console.
 */
export function updateStaff(
  pool: Pool,
  input: { tenantId: string; actorStaffId: string; staffId: string; role?: StaffRole | undefined; isDisabled?: boolean | undefined; now: Date },
): Promise<StaffMember> {
  return withTenant(
    pool,
    input.tenantId,
    async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`staff-owners:${input.tenantId}`]);
      const { rows } = await client.query<StaffMember>(
        `UPDATE staff_accounts SET role = coalesce($3, role),
                disabled_at = CASE WHEN $4::boolean IS NULL THEN disabled_at WHEN $4 THEN coalesce(disabled_at, $5) ELSE NULL END
          WHERE tenant_id = $1 AND id = $2 RETURNING ${staffColumns}`,
        [input.tenantId, input.staffId, input.role ?? null, input.isDisabled ?? null, input.now],
      );
      const member = rows[0];
      if (!member) throw new BookingError('NOT_FOUND', `staffId: no staff member ${input.staffId} here`, { field: 'staffId' });
      const owners = await client.query<{ count: number }>(`SELECT count(*)::int AS count FROM staff_accounts WHERE tenant_id = $1 AND role = 'owner' AND disabled_at IS NULL`, [input.tenantId]);
      if (owners.rows[0]!.count === 0) throw new BookingError('VALIDATION', 'role: the last owner cannot be demoted or disabled; make someone else an owner first', { field: input.role ? 'role' : 'isDisabled' });
      if (member.disabledAt) await client.query('UPDATE staff_sessions SET revoked_at = coalesce(revoked_at, $3) WHERE tenant_id = $1 AND staff_id = $2', [input.tenantId, input.staffId, input.now]);
      await auditStaffChange(client, {
        tenantId: input.tenantId,
        actorStaffId: input.actorStaffId,
        action: 'staff.update',
        subjectId: input.staffId,
        details: { ...(input.role ? { role: input.role } : {}), ...(input.isDisabled === undefined ? {} : { isDisabled: input.isDisabled }) },
        now: input.now,
      });
      return member;
    },
    { isolation: 'read committed' },
  );
}
