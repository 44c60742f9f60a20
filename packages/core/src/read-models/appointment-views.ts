// Read models for other packages: what they need from core's appointments, holds and waitlist,
// joined with the service, resource and tenant, so no other package writes SQL against core's
// tables (docs/architecture.md: "a package's tables are its own"). Each takes the caller's
// client, so it runs inside the caller's transaction.
import type { HoldStatus } from '../bookings/types.js';
import type { Queryable } from '../db/pool.js';

/** An appointment with what a message about it mentions. Instants are ISO strings in UTC. */
export interface AppointmentView {
  id: string;
  tenantId: string;
  reference: string;
  start: string;
  end: string;
  status: 'booked' | 'cancelled';
  /** Moves on every change of time, resource or status. */
  changeSeq: number;
  clientName: string;
  clientEmail: string | null;
  clientPhone: string | null;
  sessionId: string | null;
  serviceName: string;
  resourceId: string;
  resourceName: string;
  businessName: string;
  timeZone: string;
  /** The tenant's settings (e.g. `locale`). */
  tenantSettings: Record<string, unknown>;
}

/**
 * The columns of migration 0102's `gomomo_appointment_view`, named as `AppointmentView` names them
 * (`start` and `end` as timestamptz): for another package's statement that reads the view with its
 * own work, in one round trip (`appointmentViewOf` finishes the row).
 */
export const appointmentViewColumns = `v.id, v.tenant_id AS "tenantId", v.reference, v.starts_at AS start, v.ends_at AS "end", v.status, v.change_seq AS "changeSeq",
            v.client_name AS "clientName", v.client_email AS "clientEmail", v.client_phone AS "clientPhone", v.session_id AS "sessionId",
            v.service_name AS "serviceName", v.resource_id AS "resourceId", v.resource_name AS "resourceName", v.business_name AS "businessName",
            v.time_zone AS "timeZone", v.tenant_settings AS "tenantSettings"`;

/** An appointment view row as the database gives it (instants as `Date`s, or as strings from JSON). */
export type AppointmentViewRow = Omit<AppointmentView, 'start' | 'end'> & { start: Date | string; end: Date | string };

/** The view from its row: instants as ISO strings in UTC. */
export function appointmentViewOf(row: AppointmentViewRow): AppointmentView {
  return { ...row, start: new Date(row.start).toISOString(), end: new Date(row.end).toISOString() };
}

/** Reads one appointment with its service, resource and tenant; null when the tenant has no such appointment. */
export async function readAppointmentView(client: Queryable, input: { tenantId: string; appointmentId: string }): Promise<AppointmentView | null> {
  const { rows } = await client.query<AppointmentViewRow>(
    `SELECT ${appointmentViewColumns} FROM gomomo_appointment_view($1, $2) AS v`,
    [input.tenantId, input.appointmentId],
  );
  const row = rows[0];
  return row ? appointmentViewOf(row) : null;
}

/** A hold with its service and tenant. Instants are `Date`s, as the database gives them. */
export interface HoldView {
  id: string;
  sessionId: string;
  status: HoldStatus;
  start: Date;
  end: Date;
  createdAt: Date;
  expiresAt: Date;
  serviceName: string;
  businessName: string;
  timeZone: string;
  tenantSettings: Record<string, unknown>;
}

/** Reads one hold with its service and tenant; null when the tenant has no such hold. */
export async function readHoldView(client: Queryable, input: { tenantId: string; holdId: string }): Promise<HoldView | null> {
  const { rows } = await client.query<HoldView>(
    `SELECT h.id, h.session_id AS "sessionId", h.status, h.starts_at AS start, h.ends_at AS "end", h.created_at AS "createdAt", h.expires_at AS "expiresAt",
            s.name AS "serviceName", t.name AS "businessName", t.time_zone AS "timeZone", t.settings AS "tenantSettings"
       FROM holds h JOIN services s ON s.tenant_id = h.tenant_id AND s.id = h.service_id JOIN tenants t ON t.id = h.tenant_id
      WHERE h.tenant_id = $1 AND h.id = $2`,
    [input.tenantId, input.holdId],
  );
  return rows[0] ?? null;
}

/**
 * The holds of one conversation that are active now (by status; expiry is the caller's to judge).
 * Through `gomomo_active_holds_of_session` (migration 0107), which another package's statement may carry.
 */
export async function readActiveHoldsOfSession(client: Queryable, input: { tenantId: string; sessionId: string }): Promise<{ id: string; expiresAt: Date }[]> {
  const { rows } = await client.query<{ id: string; expiresAt: Date }>(
    `SELECT id, expires_at AS "expiresAt" FROM gomomo_active_holds_of_session($1, $2)`,
    [input.tenantId, input.sessionId],
  );
  return rows;
}

/** Whether the conversation booked anything (kept or since cancelled) at or after `since`. */
export async function hasSessionBookedSince(client: Queryable, input: { tenantId: string; sessionId: string; since: Date }): Promise<boolean> {
  const booked = await client.query('SELECT 1 FROM appointments WHERE tenant_id = $1 AND session_id = $2 AND created_at >= $3 LIMIT 1', [input.tenantId, input.sessionId, input.since]);
  return (booked.rowCount ?? 0) > 0;
}

/** Contact details a conversation left with core: on a booking or a waitlist entry. */
export interface SessionContact {
  name: string;
  email: string | null;
  phone: string | null;
}

/** The contact details a conversation gave on a booking or waitlist entry, or null. */
export async function findSessionContact(client: Queryable, input: { tenantId: string; sessionId: string }): Promise<SessionContact | null> {
  const { rows } = await client.query<SessionContact>(
    `SELECT client_name AS name, client_email AS email, client_phone AS phone FROM appointments WHERE tenant_id = $1 AND session_id = $2
     UNION ALL
     SELECT client_name, client_email, client_phone FROM waitlist_entries WHERE tenant_id = $1 AND session_id = $2
     LIMIT 1`,
    [input.tenantId, input.sessionId],
  );
  return rows[0] ?? null;
}

/** A booked appointment found by the client's phone. */
export interface UpcomingBookingRow {
  reference: string;
  serviceName: string;
  start: Date;
}

/** The phone's booked appointments starting after `now`, soonest first, at most `limit`. */
export async function listUpcomingByPhone(client: Queryable, input: { tenantId: string; phone: string; now: Date; limit: number }): Promise<UpcomingBookingRow[]> {
  const { rows } = await client.query<UpcomingBookingRow>(
    `SELECT a.reference, s.name AS "serviceName", a.starts_at AS start
       FROM appointments a JOIN services s ON s.tenant_id = a.tenant_id AND s.id = a.service_id
      WHERE a.tenant_id = $1 AND a.client_phone = $2 AND a.status = 'booked' AND a.starts_at > $3
      ORDER BY a.starts_at LIMIT $4`,
    [input.tenantId, input.phone, input.now, input.limit],
  );
  return rows;
}
