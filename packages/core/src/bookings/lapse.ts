import { toZonedIso } from './format.js';
import { holdColumns, type HoldRow, type Queryable } from './rows.js';

/** An active hold whose time-to-live has run out, with what its `hold.expired` event needs. */
export type LapsedHold = Omit<HoldRow, 'expiresAt' | 'status'> & { timeZone: string };

export const lapsedHoldColumns = `${holdColumns}, t.time_zone AS "timeZone"`;

/**
 * Marks lapsed holds expired, frees their claims and writes one `hold.expired` event each (in the
 * hold's tenant, carrying its session so push reaches that conversation). Three statements
 * whatever the count, because the sweeper may release hundreds at once.
 */
export async function expireLapsedHolds(client: Queryable, holds: LapsedHold[], now: Date): Promise<void> {
  if (holds.length === 0) return;
  await client.query(
    `WITH expired AS (UPDATE holds SET status = 'expired' WHERE id = ANY($1::uuid[]) AND status = 'active' RETURNING claim_id)
     UPDATE claims SET is_active = false WHERE id IN (SELECT claim_id FROM expired)`,
    [holds.map((h) => h.id)],
  );
  await client.query(
    `INSERT INTO domain_events (tenant_id, type, subject_id, session_id, payload, occurred_at)
     SELECT tenant_id, 'hold.expired', subject_id, session_id, payload, $5
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[]) AS e (tenant_id, subject_id, session_id, payload)`,
    [
      holds.map((h) => h.tenantId),
      holds.map((h) => h.id),
      holds.map((h) => h.sessionId),
      holds.map((h) => JSON.stringify(expiredPayload(h))),
      now,
    ],
  );
}

function expiredPayload(hold: LapsedHold): Record<string, unknown> {
  return {
    holdId: hold.id,
    serviceId: hold.serviceId,
    resourceId: hold.resourceId,
    start: toZonedIso(hold.startsAt, hold.timeZone),
    end: toZonedIso(hold.endsAt, hold.timeZone),
  };
}
