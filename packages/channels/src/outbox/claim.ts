import type { Pool } from '@gomomo/core';
import { withTransaction } from '@gomomo/core';
import { outboxColumns, type OutboxMessage } from './types.js';

/** A row this sender owns until `leaseUntil`; `previousStatus` says whether a dead sender had it. */
export interface ClaimedMessage extends OutboxMessage {
  claimedAt: Date;
  previousStatus: string;
  previousClaimedAt: Date | null;
  /** The tenant's zone and settings, for quiet hours (`settings.sms.quietHours`). */
  tenantTimeZone: string;
  tenantSettings: Record<string, unknown>;
}

/**
 * Claims up to `limit` due rows in one short transaction: `FOR UPDATE SKIP LOCKED` lets any number
 * of senders claim side by side without waiting on or taking each other's rows. A row stays
 * 'sending' with a lease; if its sender dies the lease lapses and another sender reclaims it.
 */
export async function claimDueMessages(pool: Pool, input: { now: Date; limit: number; leaseMs: number }): Promise<ClaimedMessage[]> {
  return withTransaction(
    pool,
    async (client) => {
      const { rows } = await client.query<ClaimedMessage>(
        `WITH due AS (
           SELECT id, status AS previous_status, claimed_at AS previous_claimed_at
             FROM notification_outbox
            WHERE (status IN ('pending', 'failed', 'rate_limited') AND next_attempt_at <= $1)
               OR (status = 'sending' AND lease_until <= $1)
            ORDER BY next_attempt_at
            LIMIT $2
            FOR UPDATE SKIP LOCKED)
         UPDATE notification_outbox AS o
            SET status = 'sending', attempts = o.attempts + 1, claimed_at = $1,
                lease_until = $1::timestamptz + make_interval(secs => $3::double precision / 1000), updated_at = now()
           FROM due, tenants t
          WHERE o.id = due.id AND t.id = o.tenant_id
         RETURNING ${outboxColumns.replace(/(^|,\s*)(\w+)/g, '$1o.$2')}, o.claimed_at AS "claimedAt",
                   due.previous_status AS "previousStatus", due.previous_claimed_at AS "previousClaimedAt",
                   t.time_zone AS "tenantTimeZone", t.settings AS "tenantSettings"`,
        [input.now, input.limit, input.leaseMs],
      );
      return rows;
    },
    { isolation: 'read committed' },
  );
}
