import type { Pool } from '@gomomo/core';
import type { ClaimedMessage } from './claim.js';
import type { OutboxStatus } from './types.js';

export interface Outcome {
  /** `pending` puts a held message back (quiet hours) without using an attempt. */
  status: Exclude<OutboxStatus, 'sending' | 'delivered' | 'undelivered'>;
  error?: string | null;
  provider?: string | null;
  providerMessageId?: string | null;
  /** For failed / rate_limited / pending: when to try again. */
  retryAt?: Date | null;
  /** 429s, our own rate limit and quiet hours do not use up an attempt. */
  refundAttempt?: boolean;
  now: Date;
}

/**
 * Writes the outcomes of a batch of claimed rows in ONE statement (an UPDATE joined to the batch
 * unnested from arrays), only where this sender still owns the row (same claim time and still
 * 'sending'): a sender whose lease lapsed must not overwrite the row another sender took.
 * Returns the ids it wrote; the others were lost to another sender.
 *
 * One statement per batch instead of one per message halves the sender's round trips (the gate
 * query is the other one), which is what bounds the drain rate once the providers answer quickly.
 */
export async function finalizeMessages(pool: Pool, items: ReadonlyArray<{ row: ClaimedMessage; outcome: Outcome }>): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  const column = <T>(pick: (item: { row: ClaimedMessage; outcome: Outcome }) => T): T[] => items.map(pick);
  const { rows } = await pool.query<{ id: string }>(
    `UPDATE notification_outbox AS o
        SET status = v.status,
            last_error = v.error,
            provider = coalesce(v.provider, o.provider),
            provider_message_id = coalesce(v.provider_message_id, o.provider_message_id),
            sent_at = CASE WHEN v.status = 'sent' THEN v.at ELSE o.sent_at END,
            next_attempt_at = coalesce(v.retry_at, o.next_attempt_at),
            attempts = o.attempts - CASE WHEN v.refund THEN 1 ELSE 0 END,
            lease_until = NULL,
            updated_at = now()
       FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[], $9::boolean[])
            AS v(id, claimed_at, status, error, provider, provider_message_id, at, retry_at, refund)
      WHERE o.id = v.id AND o.status = 'sending' AND o.claimed_at = v.claimed_at
      RETURNING o.id`,
    [
      column((i) => i.row.id),
      column((i) => i.row.claimedAt),
      column((i) => i.outcome.status),
      column((i) => (i.outcome.error ? i.outcome.error.slice(0, 2000) : null)),
      column((i) => i.outcome.provider ?? null),
      column((i) => i.outcome.providerMessageId ?? null),
      column((i) => i.outcome.now),
      column((i) => i.outcome.retryAt ?? null),
      column((i) => i.outcome.refundAttempt ?? false),
    ],
  );
  return new Set(rows.map((row) => row.id));
}

/** Writes one row's outcome (see `finalizeMessages`); true when this sender still owned it. */
export async function finalizeMessage(pool: Pool, message: ClaimedMessage, outcome: Outcome): Promise<boolean> {
  return (await finalizeMessages(pool, [{ row: message, outcome }])).has(message.id);
}
