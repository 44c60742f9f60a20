import type { Pool } from '@gomomo/core';
import type { ClaimedMessage } from './claim.js';
import type { OutboxStatus } from './types.js';

export interface Outcome {
  status: Exclude<OutboxStatus, 'pending' | 'sending' | 'delivered' | 'undelivered'>;
  error?: string | null;
  provider?: string | null;
  providerMessageId?: string | null;
  /** For failed / rate_limited: when to try again. */
  retryAt?: Date | null;
  /** 429s and our own rate limit do not use up an attempt. */
  refundAttempt?: boolean;
  now: Date;
}

/**
 * Writes the outcome of one claimed row, only if this sender still owns it (same claim time and
 * still 'sending'): a sender whose lease lapsed must not overwrite the row another sender took.
 */
export async function finalizeMessage(pool: Pool, message: ClaimedMessage, outcome: Outcome): Promise<boolean> {
  const { rowCount } = await pool.query(
    `UPDATE notification_outbox
        SET status = $3,
            last_error = $4,
            provider = coalesce($5, provider),
            provider_message_id = coalesce($6, provider_message_id),
            sent_at = CASE WHEN $3 = 'sent' THEN $7::timestamptz ELSE sent_at END,
            next_attempt_at = coalesce($8, next_attempt_at),
            attempts = attempts - CASE WHEN $9 THEN 1 ELSE 0 END,
            lease_until = NULL,
            updated_at = now()
      WHERE id = $1 AND status = 'sending' AND claimed_at = $2`,
    [
      message.id,
      message.claimedAt,
      outcome.status,
      outcome.error ? outcome.error.slice(0, 2000) : null,
      outcome.provider ?? null,
      outcome.providerMessageId ?? null,
      outcome.now,
      outcome.retryAt ?? null,
      outcome.refundAttempt ?? false,
    ],
  );
  return rowCount === 1;
}
