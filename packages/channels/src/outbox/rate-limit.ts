import type { Queryable } from '../internal/db.js';

export interface SmsRateLimit {
  /** Most messages one phone may receive from one tenant within the window. */
  max: number;
  windowMs: number;
}

/** Default: 5 messages per phone per hour, well under carriers' spam heuristics. */
export const defaultSmsRateLimit: SmsRateLimit = { max: 5, windowMs: 60 * 60 * 1000 };

/**
 * Sliding-window check and reservation in one step, inside the caller's transaction. A transaction
 * advisory lock per (tenant, phone) makes concurrent senders see each other's reservations.
 * Returns null when a slot was reserved, or when the window frees up again.
 */
export async function reserveSmsSlot(
  client: Queryable,
  input: { tenantId: string; phone: string; now: Date; limit: SmsRateLimit },
): Promise<Date | null> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`sms-rate:${input.tenantId}:${input.phone}`]);
  const windowStart = new Date(input.now.getTime() - input.limit.windowMs);
  const { rows } = await client.query<{ sentAt: Date }>(
    `SELECT sent_at AS "sentAt" FROM sms_rate_events
      WHERE tenant_id = $1 AND phone = $2 AND sent_at > $3
      ORDER BY sent_at`,
    [input.tenantId, input.phone, windowStart],
  );
  if (rows.length >= input.limit.max) {
    // The window slides: a slot frees when the oldest message in it leaves.
    const oldest = rows[rows.length - input.limit.max]!.sentAt;
    return new Date(oldest.getTime() + input.limit.windowMs);
  }
  await client.query('INSERT INTO sms_rate_events (tenant_id, phone, sent_at) VALUES ($1, $2, $3)', [input.tenantId, input.phone, input.now]);
  return null;
}
