import type { PoolClient } from '../db/pool.js';
import { toZonedIso } from '../bookings/format.js';

type Queryable = Pick<PoolClient, 'query'>;

/** A waitlist offer still on the table: the hold keeping the slot, and who it is for. */
export interface PendingOffer {
  holdId: string;
  entryId: string;
  serviceId: string;
  resourceId: string;
  /** ISO with the tenant's offset. */
  start: string;
  end: string;
  expiresAt: Date;
  client: { name: string; email: string | null; phone: string | null };
}

/** What became of an offer once its hold was booked, lapsed or given back. */
export type OfferSettlement =
  | { outcome: 'booked'; entryId: string; slot: OfferSlot }
  | { outcome: 'returned'; entryId: string; slot: OfferSlot }
  | { outcome: 'pending' }
  | { outcome: 'none' };

/** The slot an offer kept, ISO with the tenant's offset. */
export interface OfferSlot {
  serviceId: string;
  resourceId: string;
  start: string;
  end: string;
}

/**
 * Marks a waiting entry as offered under `holdId`, in the caller's transaction. False when the entry
 * is no longer waiting (removed or offered meanwhile).
 */
export async function markEntryOffered(client: Queryable, input: { tenantId: string; entryId: string; holdId: string }): Promise<boolean> {
  const { rowCount } = await client.query(
    `UPDATE waitlist_entries SET status = 'offered', offer_hold_id = $3 WHERE tenant_id = $1 AND id = $2 AND status = 'waiting'`,
    [input.tenantId, input.entryId, input.holdId],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * Settles the entry offered under `holdId` from the hold's fate: booked → the entry is `booked`;
 * expired or released → back to `waiting` (its place in line kept: `created_at` is unchanged), and
 * the freed slot is returned for the next person; still active → `pending`. Idempotent: an entry
 * already settled reports `none`.
 */
export async function settleWaitlistOffer(client: Queryable, input: { tenantId: string; holdId: string }): Promise<OfferSettlement> {
  const { rows } = await client.query<{ entryId: string; status: string; serviceId: string; resourceId: string; startsAt: Date; endsAt: Date; timeZone: string }>(
    `SELECT w.id AS "entryId", h.status, h.service_id AS "serviceId", h.resource_id AS "resourceId", h.starts_at AS "startsAt", h.ends_at AS "endsAt", t.time_zone AS "timeZone"
       FROM waitlist_entries w JOIN holds h ON h.tenant_id = w.tenant_id AND h.id = w.offer_hold_id JOIN tenants t ON t.id = w.tenant_id
      WHERE w.tenant_id = $1 AND w.offer_hold_id = $2 AND w.status = 'offered'
      FOR UPDATE OF w`,
    [input.tenantId, input.holdId],
  );
  const row = rows[0];
  if (!row) return { outcome: 'none' };
  if (row.status === 'active') return { outcome: 'pending' };
  const isBooked = row.status === 'confirmed';
  await client.query(`UPDATE waitlist_entries SET status = $3, offer_hold_id = NULL WHERE tenant_id = $1 AND id = $2`, [input.tenantId, row.entryId, isBooked ? 'booked' : 'waiting']);
  const slot = { serviceId: row.serviceId, resourceId: row.resourceId, start: toZonedIso(row.startsAt, row.timeZone), end: toZonedIso(row.endsAt, row.timeZone) };
  return isBooked ? { outcome: 'booked', entryId: row.entryId, slot } : { outcome: 'returned', entryId: row.entryId, slot };
}

/**
 * The offer this conversation may take, moving its hold here when the conversation proves the
 * entry's contact: the hold's own conversation (an SMS reply), or any conversation whose customer gave
 * the entry's email or phone (the web booking flow's details, an SMS sender's number). Runs in the
 * turn's transaction; a hold moved here is confirmed like any hold of the conversation.
 */
export async function takeWaitlistOffer(
  client: Queryable,
  input: {
    tenantId: string;
    sessionId: string;
    email?: string | null | undefined;
    phone?: string | null | undefined;
    now: Date;
    /** Holds that stay where they are (an offer handed to the conversation its link opened): only their own conversation takes them. */
    keepHoldIds?: readonly string[] | undefined;
  },
): Promise<PendingOffer | null> {
  const { rows } = await client.query<{
    holdId: string; entryId: string; serviceId: string; resourceId: string; startsAt: Date; endsAt: Date; expiresAt: Date; sessionId: string;
    name: string; email: string | null; phone: string | null; timeZone: string;
  }>(
    `SELECT h.id AS "holdId", w.id AS "entryId", h.service_id AS "serviceId", h.resource_id AS "resourceId", h.starts_at AS "startsAt", h.ends_at AS "endsAt",
            h.expires_at AS "expiresAt", h.session_id AS "sessionId", w.client_name AS name, w.client_email AS email, w.client_phone AS phone, t.time_zone AS "timeZone"
       FROM waitlist_entries w JOIN holds h ON h.tenant_id = w.tenant_id AND h.id = w.offer_hold_id JOIN tenants t ON t.id = w.tenant_id
      WHERE w.tenant_id = $1 AND w.status = 'offered' AND h.status = 'active' AND h.expires_at > $2
        AND (h.session_id = $3 OR (NOT (h.id = ANY($6::uuid[])) AND (($4::text IS NOT NULL AND lower(w.client_email) = lower($4)) OR ($5::text IS NOT NULL AND w.client_phone = $5))))
      ORDER BY (h.session_id = $3) DESC, h.starts_at
      LIMIT 1
      FOR UPDATE OF h`,
    [input.tenantId, input.now, input.sessionId, input.email || null, input.phone || null, input.keepHoldIds ?? []],
  );
  const row = rows[0];
  if (!row) return null;
  if (row.sessionId !== input.sessionId) {
    await client.query(`UPDATE holds SET session_id = $3 WHERE tenant_id = $1 AND id = $2 AND status = 'active'`, [input.tenantId, row.holdId, input.sessionId]);
  }
  return {
    holdId: row.holdId,
    entryId: row.entryId,
    serviceId: row.serviceId,
    resourceId: row.resourceId,
    start: toZonedIso(row.startsAt, row.timeZone),
    end: toZonedIso(row.endsAt, row.timeZone),
    expiresAt: row.expiresAt,
    client: { name: row.name, email: row.email, phone: row.phone },
  };
}
