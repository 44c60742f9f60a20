// Read models of one resource's calendar for other packages (channels' ICS feeds): its bookings in
// a window and what bounds the window, so no other package writes SQL against core's tables.
import type { Queryable } from '../db/pool.js';

/** What a calendar of one resource needs to know about it and its tenant. */
export interface ResourceCalendarContext {
  tenantId: string;
  resourceId: string;
  resourceName: string;
  businessName: string;
  timeZone: string;
  /** How far ahead bookings are offered: the horizon over which outside busy time matters. */
  lookaheadDays: number;
  /** The tenant opted in to contact details in staff calendars (`settings.calendarContactDetails: true`). */
  isContactSharedWithCalendar: boolean;
}

/** The resource with its tenant's calendar settings; null when the tenant has no such resource. */
export async function readResourceCalendarContext(client: Queryable, input: { tenantId: string; resourceId: string }): Promise<ResourceCalendarContext | null> {
  const { rows } = await client.query<Omit<ResourceCalendarContext, 'isContactSharedWithCalendar'> & { settings: Record<string, unknown> | null }>(
    `SELECT r.tenant_id AS "tenantId", r.id AS "resourceId", r.name AS "resourceName", t.name AS "businessName", t.time_zone AS "timeZone",
            t.lookahead_days AS "lookaheadDays", t.settings
       FROM resources r JOIN tenants t ON t.id = r.tenant_id
      WHERE r.tenant_id = $1 AND r.id = $2`,
    [input.tenantId, input.resourceId],
  );
  const row = rows[0];
  if (!row) return null;
  const { settings, ...context } = row;
  return { ...context, isContactSharedWithCalendar: settings?.calendarContactDetails === true };
}

/** A booked appointment of one resource, as a calendar shows it. */
export interface ResourceAppointment {
  id: string;
  reference: string;
  start: Date;
  end: Date;
  /** Moves on every change of time, resource or status (an iCalendar SEQUENCE). */
  changeSeq: number;
  updatedAt: Date;
  serviceName: string;
  clientName: string;
  clientEmail: string | null;
  clientPhone: string | null;
}

/**
 * The resource's booked (not cancelled) appointments overlapping [from, to), soonest first, at
 * most `limit`. Cancelled ones are left out: a subscribed calendar drops what the feed no longer lists.
 */
export async function listResourceAppointments(client: Queryable, input: { tenantId: string; resourceId: string; from: Date; to: Date; limit: number }): Promise<ResourceAppointment[]> {
  const { rows } = await client.query<ResourceAppointment>(
    `SELECT a.id, a.reference, a.starts_at AS start, a.ends_at AS "end", a.change_seq AS "changeSeq", a.updated_at AS "updatedAt",
            s.name AS "serviceName", a.client_name AS "clientName", a.client_email AS "clientEmail", a.client_phone AS "clientPhone"
       FROM appointments a JOIN services s ON s.tenant_id = a.tenant_id AND s.id = a.service_id
      WHERE a.tenant_id = $1 AND a.resource_id = $2 AND a.status = 'booked' AND a.starts_at < $4 AND a.ends_at > $3
      ORDER BY a.starts_at, a.id
      LIMIT $5`,
    [input.tenantId, input.resourceId, input.from, input.to, input.limit],
  );
  return rows;
}
