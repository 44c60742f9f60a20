import type { PoolClient } from '../db/pool.js';
import { BookingError } from '../errors.js';
import { toZonedIso } from './format.js';
import type { Appointment, Hold, HoldStatus, Verification } from './types.js';

export type Queryable = Pick<PoolClient, 'query'>;

/** An appointment as read from the database, with what its public shape needs from other tables. */
export interface AppointmentRow {
  id: string;
  tenantId: string;
  reference: string;
  claimId: string;
  serviceId: string;
  serviceName: string;
  resourceId: string;
  resourceName: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  clientName: string;
  clientEmail: string | null;
  clientPhone: string | null;
  notes: string;
  status: 'booked' | 'cancelled';
  sessionId: string | null;
  createdAt: Date;
  cancelledAt: Date | null;
}

export const appointmentSelect = `
  SELECT a.id, a.tenant_id AS "tenantId", a.reference, a.claim_id AS "claimId", a.service_id AS "serviceId",
         s.name AS "serviceName", a.resource_id AS "resourceId", r.name AS "resourceName",
         a.starts_at AS "startsAt", a.ends_at AS "endsAt", t.time_zone AS "timeZone",
         a.client_name AS "clientName", a.client_email AS "clientEmail", a.client_phone AS "clientPhone",
         a.notes, a.status, a.session_id AS "sessionId", a.created_at AS "createdAt", a.cancelled_at AS "cancelledAt"
    FROM appointments a
    JOIN services s ON s.id = a.service_id
    JOIN resources r ON r.id = a.resource_id
    JOIN tenants t ON t.id = a.tenant_id`;

/** The public shape of an appointment row; times carry the tenant's offset. */
export function toAppointment(row: AppointmentRow): Appointment {
  const zone = row.timeZone;
  return {
    id: row.id,
    tenantId: row.tenantId,
    reference: row.reference,
    serviceId: row.serviceId,
    serviceName: row.serviceName,
    resourceId: row.resourceId,
    resourceName: row.resourceName,
    start: toZonedIso(row.startsAt, zone),
    end: toZonedIso(row.endsAt, zone),
    timeZone: zone,
    client: { name: row.clientName, email: row.clientEmail, phone: row.clientPhone },
    notes: row.notes,
    status: row.status,
    sessionId: row.sessionId,
    createdAt: toZonedIso(row.createdAt, zone),
    cancelledAt: row.cancelledAt ? toZonedIso(row.cancelledAt, zone) : null,
  };
}

/**
 * Reads one appointment by reference within the tenant; `NOT_FOUND` when there is none.
 * `forUpdate` locks the row, so two changes to one booking queue up instead of racing.
 */
export async function readAppointment(client: Queryable, input: { tenantId: string; reference: string; forUpdate?: boolean }): Promise<AppointmentRow> {
  const lock = input.forUpdate ? ' FOR UPDATE OF a' : '';
  const { rows } = await client.query<AppointmentRow>(`${appointmentSelect} WHERE a.tenant_id = $1 AND a.reference = $2${lock}`, [input.tenantId, input.reference]);
  if (!rows[0]) throw new BookingError('NOT_FOUND', `No booking with reference ${input.reference}`, { field: 'reference' });
  return rows[0];
}

/**
 * Checks that the caller may act on a booking. Emails compare case-insensitively (the domain part
 * is case-insensitive by RFC 5321 and nobody types the local part's case reliably). The message
 * never echoes what is on file, so a guess reveals nothing.
 */
export function assertVerified(row: AppointmentRow, verify: Verification): void {
  if ('staff' in verify) return;
  const matches =
    'email' in verify
      ? row.clientEmail !== null && row.clientEmail.trim().toLowerCase() === verify.email.trim().toLowerCase()
      : row.clientPhone !== null && row.clientPhone === verify.phone;
  if (!matches) {
    const given = 'email' in verify ? 'email' : 'phone';
    throw new BookingError('CONTACT_MISMATCH', `The ${given} given does not match booking ${row.reference}`, { field: `verify.${given}` });
  }
}

export interface HoldRow {
  id: string;
  tenantId: string;
  claimId: string;
  serviceId: string;
  resourceId: string;
  sessionId: string;
  startsAt: Date;
  endsAt: Date;
  expiresAt: Date;
  status: HoldStatus;
}

export const holdColumns = `h.id, h.tenant_id AS "tenantId", h.claim_id AS "claimId", h.service_id AS "serviceId",
  h.resource_id AS "resourceId", h.session_id AS "sessionId", h.starts_at AS "startsAt", h.ends_at AS "endsAt",
  h.expires_at AS "expiresAt", h.status`;

export function toHold(row: HoldRow, zone: string): Hold {
  return {
    id: row.id,
    tenantId: row.tenantId,
    serviceId: row.serviceId,
    resourceId: row.resourceId,
    sessionId: row.sessionId,
    start: toZonedIso(row.startsAt, zone),
    end: toZonedIso(row.endsAt, zone),
    expiresAt: toZonedIso(row.expiresAt, zone),
    status: row.status,
  };
}
