// Read models and writes on core's tenant and waitlist tables for other packages (see
// appointment-views.ts for why). Each takes the caller's client, so it joins the caller's transaction.
import type { Queryable } from '../db/pool.js';

/** One opening interval of the business (not of a resource), weekday 0–6 as stored, times "HH:MM". */
export interface OpeningInterval {
  weekday: number;
  opens: string;
  closes: string;
}

/** The business's weekly opening hours (intervals without a resource), by weekday then opening time. */
export async function readOpeningHours(client: Queryable, tenantId: string): Promise<OpeningInterval[]> {
  const { rows } = await client.query<OpeningInterval>(
    `SELECT weekday, to_char(opens_at, 'HH24:MI') AS opens, to_char(closes_at, 'HH24:MI') AS closes
       FROM business_hours WHERE tenant_id = $1 AND resource_id IS NULL ORDER BY weekday, opens_at`,
    [tenantId],
  );
  return rows;
}

/** A tenant's own settings a secret key may change; a field left out keeps its value. */
export interface TenantSettingsPatch {
  name?: string | undefined;
  lookaheadDays?: number | undefined;
  minNoticeMinutes?: number | undefined;
  holdTtlSeconds?: number | undefined;
  settings?: Record<string, unknown> | undefined;
}

/** Writes the given fields of the tenant's settings (validated by the caller). */
export async function updateTenantSettings(client: Queryable, tenantId: string, patch: TenantSettingsPatch): Promise<void> {
  await client.query(
    `UPDATE tenants SET name = coalesce($2, name), lookahead_days = coalesce($3, lookahead_days), min_notice_minutes = coalesce($4, min_notice_minutes),
            hold_ttl_seconds = coalesce($5, hold_ttl_seconds), settings = coalesce($6, settings)
      WHERE id = $1`,
    [tenantId, patch.name ?? null, patch.lookaheadDays ?? null, patch.minNoticeMinutes ?? null, patch.holdTtlSeconds ?? null, patch.settings ?? null],
  );
}

/** The id of the tenant `candidate` names (any case), or null when it is not a tenant's id. */
export async function findTenantId(client: Queryable, candidate: string): Promise<string | null> {
  const { rows } = await client.query<{ id: string }>('SELECT id FROM tenants WHERE id::text = lower($1::text)', [candidate]);
  return rows[0]?.id ?? null;
}

/** A waitlist entry matched to an open slot, with what the offer mentions. */
export interface WaitlistMatch {
  id: string;
  clientName: string;
  clientEmail: string | null;
  clientPhone: string | null;
  sessionId: string | null;
  serviceName: string;
  businessName: string;
  timeZone: string;
  tenantSettings: Record<string, unknown>;
}

/**
 * Locks the oldest waiting entry whose service, resource and window match the slot (SKIP LOCKED, so
 * two callers never get the same entry), skipping `skipEntryIds` and customers who already booked
 * the service inside their window (found by email or phone). Null when none matches.
 */
export async function lockWaitlistMatch(
  client: Queryable,
  input: { tenantId: string; serviceId: string; resourceId: string | null; start: string; skipEntryIds: string[] },
): Promise<WaitlistMatch | null> {
  const { rows } = await client.query<WaitlistMatch>(
    `SELECT w.id, w.client_name AS "clientName", w.client_email AS "clientEmail", w.client_phone AS "clientPhone", w.session_id AS "sessionId",
            s.name AS "serviceName", t.name AS "businessName", t.time_zone AS "timeZone", t.settings AS "tenantSettings"
       FROM waitlist_entries w JOIN services s ON s.tenant_id = w.tenant_id AND s.id = w.service_id JOIN tenants t ON t.id = w.tenant_id
      WHERE w.tenant_id = $1 AND w.service_id = $2 AND w.status = 'waiting'
        AND ($3::uuid IS NULL OR w.resource_id IS NULL OR w.resource_id = $3)
        AND w.window_start <= $4 AND w.window_end > $4
        AND NOT (w.id = ANY($5::uuid[]))
        AND NOT EXISTS (
          SELECT 1 FROM appointments a
           WHERE a.tenant_id = w.tenant_id AND a.service_id = w.service_id AND a.status = 'booked'
             AND a.starts_at >= w.window_start AND a.starts_at < w.window_end
             AND ((w.client_email IS NOT NULL AND lower(a.client_email) = lower(w.client_email)) OR (w.client_phone IS NOT NULL AND a.client_phone = w.client_phone)))
      ORDER BY w.created_at, w.id
      LIMIT 1
      FOR UPDATE OF w SKIP LOCKED`,
    [input.tenantId, input.serviceId, input.resourceId, input.start, input.skipEntryIds],
  );
  return rows[0] ?? null;
}
