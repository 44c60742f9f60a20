import type { Queryable } from '../db/pool.js';

/** What a message about an appointment is checked against when it is sent. */
export interface AppointmentState {
  id: string;
  tenantId: string;
  status: 'booked' | 'cancelled';
  startsAt: Date;
  /** Moves by one on every change of time, resource or status (migration 0053). */
  changeSeq: number;
}

/**
 * The current state of several appointments, across tenants, in one indexed read: for the outbox
 * sender, which runs as the owner role and re-checks a whole batch before sending it. Appointments
 * that no longer exist are simply absent from the map (keyed by appointment id).
 */
export async function readAppointmentStates(client: Queryable, refs: ReadonlyArray<{ tenantId: string; appointmentId: string }>): Promise<Map<string, AppointmentState>> {
  if (refs.length === 0) return new Map();
  const { rows } = await client.query<AppointmentState>(
    `SELECT a.id, a.tenant_id AS "tenantId", a.status, a.starts_at AS "startsAt", a.change_seq AS "changeSeq"
       FROM unnest($1::uuid[], $2::uuid[]) AS r (tenant_id, id)
       JOIN appointments a ON a.id = r.id AND a.tenant_id = r.tenant_id`,
    [refs.map((r) => r.tenantId), refs.map((r) => r.appointmentId)],
  );
  return new Map(rows.map((row) => [row.id, row]));
}
