import { withTransaction } from '../db/transaction.js';
import type { EngineContext } from '../engine/context.js';
import { expireLapsedHolds, lapsedHoldColumns, type LapsedHold } from './lapse.js';

/** Holds released per transaction, so one sweep never holds row locks on a huge backlog at once. */
const batchSize = 500;

/**
 * Releases every hold (all tenants) whose TTL ran out by `ctx.clock.now()`: status `expired`, claim
 * freed, one `hold.expired` event per hold in its tenant. Returns how many. For a sweeper job; the
 * booking transaction releases overlapping lapsed holds itself, so the sweep is housekeeping and
 * the trigger for "your hold lapsed" messages, never what makes a slot bookable again.
 */
export async function expireHolds(ctx: EngineContext): Promise<number> {
  const now = ctx.clock.now();
  let total = 0;
  for (;;) {
    // Owner role with no tenant set: Row-Level Security lets the sweeper see every tenant.
    // SKIP LOCKED lets two sweepers (or a booking releasing the same hold) pass each other.
    const count = await withTransaction(
      ctx.pool,
      async (client) => {
        const { rows } = await client.query<LapsedHold>(
          `SELECT ${lapsedHoldColumns}
             FROM holds h JOIN tenants t ON t.id = h.tenant_id
            WHERE h.status = 'active' AND h.expires_at <= $1
            ORDER BY h.expires_at
            LIMIT $2
              FOR UPDATE OF h SKIP LOCKED`,
          [now, batchSize],
        );
        await expireLapsedHolds(client, rows, now);
        return rows.length;
      },
      { isolation: 'read committed' },
    );
    total += count;
    if (count < batchSize) return total;
  }
}
