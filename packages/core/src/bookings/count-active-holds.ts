import type { Queryable } from '../db/pool.js';

/**
 * How many of the given holds still keep their slot: active, not yet lapsed at `now`, and their
 * claim still in force. A read for hold quotas (the receptionist rations anonymous holds per
 * visitor): the caller knows which holds it made for whom, core knows which are still live. Runs
 * on the caller's connection, inside its tenant transaction (`withTenant`).
 */
export async function countActiveHolds(db: Queryable, input: { tenantId: string; holdIds: string[]; now: Date }): Promise<number> {
  if (input.holdIds.length === 0) return 0;
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n
       FROM holds h JOIN claims c ON c.id = h.claim_id AND c.tenant_id = h.tenant_id
      WHERE h.tenant_id = $1 AND h.id = ANY($2::uuid[]) AND h.status = 'active' AND h.expires_at > $3 AND c.is_active`,
    [input.tenantId, input.holdIds, input.now],
  );
  return rows[0]?.n ?? 0;
}
