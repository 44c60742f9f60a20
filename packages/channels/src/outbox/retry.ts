import { withTenant, type Pool } from '@gomomo/core';
import { outboxColumns, type OutboxMessage } from './types.js';

/** The statuses a person may send again: the provider refused or the attempts ran out. */
export const retryableStatuses = ['failed', 'permanently_failed', 'undelivered'] as const;

/**
 * Puts a failed message back in the queue for the sender's next pass (staff's "retry" button):
 * `pending`, due now, with one more attempt allowed. Opted-out, suppressed and obsolete messages
 * stay as they are — a retry must not override consent or send a message that no longer holds.
 * Null when the tenant has no such message or it is not in a retryable status.
 */
export async function retryOutboxMessage(pool: Pool, input: { tenantId: string; messageId: string; now: Date }): Promise<OutboxMessage | null> {
  return withTenant(
    pool,
    input.tenantId,
    async (client) => {
      const { rows } = await client.query<OutboxMessage>(
        `UPDATE notification_outbox
            SET status = 'pending', next_attempt_at = $3, max_attempts = greatest(max_attempts, attempts + 1)
          WHERE tenant_id = $1 AND id = $2 AND status = ANY($4::text[])
          RETURNING ${outboxColumns}`,
        [input.tenantId, input.messageId, input.now, retryableStatuses],
      );
      return rows[0] ?? null;
    },
    { isolation: 'read committed' },
  );
}
