import type { Queryable } from '../db/pool.js';

/**
 * How many of the given holds still keep their slot: active, not yet lapsed at `now`, and their
 * claim still in force. A read for hold quotas (the receptionist rations anonymous holds per
 * visitor): the caller knows which holds it made for whom, core knows which are still live. Runs
 * on the caller's connection, inside its tenant transaction (`withTenant`), through
 * `gomomo_count_active_holds` (migration 0108), which another package's statement may carry.
 */
export async function countActiveHolds(db: Queryable, input: { tenantId: string; holdIds: string[]; now: Date }): Promise<number> {
  if (input.holdIds.length === 0) return 0;
  const { rows } = await db.query<{ n: number }>(
    'SELECT gomomo_count_active_holds($1, $2::uuid[], $3) AS n',
    [input.tenantId, input.holdIds, input.now],
  );
  return rows[0]?.n ?? 0;
}
