import type { Queryable } from '../db/pool.js';

/**
 * Gives an active, unexpired hold to another conversation of the same tenant, in the caller's
 * transaction: a waitlist offer opened by its link moves from the conversation it was made for to
 * the one the link starts, so only that conversation's "yes" can confirm it. False when the hold is
 * no longer active (confirmed, released or lapsed); the caller then rolls back.
 */
export async function handOverHold(client: Queryable, input: { tenantId: string; holdId: string; sessionId: string; now: Date }): Promise<boolean> {
  const moved = await client.query(`UPDATE holds SET session_id = $3 WHERE tenant_id = $1 AND id = $2 AND status = 'active' AND expires_at > $4`, [
    input.tenantId,
    input.holdId,
    input.sessionId,
    input.now,
  ]);
  return (moved.rowCount ?? 0) > 0;
}
