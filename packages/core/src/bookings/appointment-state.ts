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
       CROSS JOIN LATERAL gomomo_appointment_state(r.tenant_id, r.id) AS a`,
    [refs.map((r) => r.tenantId), refs.map((r) => r.appointmentId)],
  );
  return new Map(rows.map((row) => [row.id, row]));
}

/** What a lapsed hold's follow-up is checked against when it is sent. */
export interface HoldFollowupState {
  id: string;
  tenantId: string;
  status: 'active' | 'confirmed' | 'released' | 'expired';
  /** True once the hold's conversation made any booking since it took the hold. */
  hasConversationBooked: boolean;
}

/**
 * The state of several holds whose follow-ups are about to be sent, across tenants, in one read
 * (absent: the hold no longer exists). Any booking of the hold's conversation made since the hold
 * counts, another slot or one since cancelled: the conversation got what it came for.
 */
export async function readHoldFollowupStates(client: Queryable, refs: ReadonlyArray<{ tenantId: string; holdId: string }>): Promise<Map<string, HoldFollowupState>> {
  if (refs.length === 0) return new Map();
  const { rows } = await client.query<HoldFollowupState>(
    `SELECT h.id, h.tenant_id AS "tenantId", h.status,
            EXISTS (SELECT 1 FROM appointments a WHERE a.tenant_id = h.tenant_id AND a.session_id = h.session_id AND a.created_at >= h.created_at) AS "hasConversationBooked"
       FROM unnest($1::uuid[], $2::uuid[]) AS r (tenant_id, id)
       JOIN holds h ON h.id = r.id AND h.tenant_id = r.tenant_id`,
    [refs.map((r) => r.tenantId), refs.map((r) => r.holdId)],
  );
  return new Map(rows.map((row) => [row.id, row]));
}
