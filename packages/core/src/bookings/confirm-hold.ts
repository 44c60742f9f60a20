import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { withTenant } from '../db/transaction.js';
import type { EngineContext } from '../engine/context.js';
import { BookingError } from '../errors.js';
import { parseInput } from '../validation/parse.js';
import { assertLiveHold, type HeldRow } from './held.js';
import { generateReference } from './reference.js';
import { holdColumns, type Queryable } from './rows.js';
import { confirmInputSchema } from './schemas.js';
import type { Appointment, ConfirmInput } from './types.js';

type ConfirmData = z.output<typeof confirmInputSchema>;

/** Fresh codes to try before giving up; with 28.6 million codes a second try is already rare. */
const referenceAttempts = 8;

/**
 * Turns a live hold of the same session into an appointment. The appointment takes over the
 * hold's claim, so the slot is never free in between; the hold becomes `confirmed`.
 *
 * Runs at READ COMMITTED, on purpose: confirm creates no claim, so the layers against
 * overbooking have nothing to check; what must be exact is the hold's status, and the row lock
 * (FOR UPDATE re-reads the newest committed row) orders confirm against expiry, release and a
 * second confirm. Under SERIALIZABLE, confirms of *different* holds aborted each other through
 * page-level predicate locks on the holds indexes (465 retries per 1,200 confirms at
 * concurrency 8 in bench/booking.bench.ts) for no gain in safety.
 */
export async function confirmHold(ctx: EngineContext, input: ConfirmInput): Promise<Appointment> {
  const data = parseInput(confirmInputSchema, input);
  return withTenant(ctx.pool, data.tenantId, (client) => confirmInTransaction(client, { ctx, data }), { isolation: 'read committed' });
}

async function confirmInTransaction(client: Queryable, { ctx, data }: { ctx: EngineContext; data: ConfirmData }): Promise<Appointment> {
  const now = ctx.clock.now();
  const id = randomUUID();
  for (let attempt = 0; attempt < referenceAttempts; attempt++) {
    const reference = generateReference();
    const row = await lockAndBook(client, { data, id, reference, now });
    const hold = assertLiveHold(row, { tenantId: data.tenantId, holdId: data.holdId, sessionId: data.sessionId, now });
    // Live but nothing inserted: the reference was taken (ON CONFLICT DO NOTHING); nothing was
    // written, the hold stays locked by us, so try again with a fresh code.
    if (hold.appointmentId) return toAppointment(hold, { id, reference, data, now });
  }
  throw new BookingError('CONFLICT', `Could not find a free booking reference after ${referenceAttempts} tries`);
}

interface BookedRow extends HeldRow {
  /** The new appointment's id, or null when nothing was written. */
  appointmentId: string | null;
  /** Start, end and now as ISO with the tenant's offset, formatted once in SQL (migration 0003). */
  startIso: string;
  endIso: string;
  nowIso: string;
}

/**
 * One round trip, one named (prepared) statement: lock the hold (FOR UPDATE; at READ COMMITTED a
 * concurrent change is waited for and its newest row re-checked), and only if it is live for this
 * session at `now`, insert the appointment on the hold's claim, mark the hold confirmed and record
 * `booking.created` (ids and local times, no contact details). It returns the hold as locked, so
 * the caller can say why nothing was written (see `assertLiveHold`), and the local times the
 * event and the reply share. Confirm is the hot path:
 * parsing and planning this statement cost more than running it, and so did a separate read.
 */
async function lockAndBook(client: Queryable, booking: { data: ConfirmData; id: string; reference: string; now: Date }): Promise<BookedRow | undefined> {
  const { data } = booking;
  const { rows } = await client.query<BookedRow>({
    name: 'gomomo_confirm_hold',
    text: `WITH h AS MATERIALIZED (
             SELECT ${holdColumns}, t.time_zone AS "timeZone", s.name AS "serviceName", r.name AS "resourceName",
                    (h.session_id = $3 AND h.status = 'active' AND h.expires_at > $4) AS live,
                    gomomo_zoned_iso(h.starts_at, t.time_zone) AS "startIso", gomomo_zoned_iso(h.ends_at, t.time_zone) AS "endIso",
                    gomomo_zoned_iso($4, t.time_zone) AS "nowIso"
               FROM holds h
               JOIN tenants t ON t.id = h.tenant_id
               JOIN services s ON s.id = h.service_id
               JOIN resources r ON r.id = h.resource_id
              WHERE h.tenant_id = $1 AND h.id = $2
                FOR UPDATE OF h
           ), a AS (
             INSERT INTO appointments (id, tenant_id, reference, claim_id, service_id, resource_id, starts_at, ends_at,
                                       client_name, client_email, client_phone, notes, session_id, hold_id, created_at, updated_at)
             SELECT $5, h."tenantId", $6, h."claimId", h."serviceId", h."resourceId", h."startsAt", h."endsAt",
                    $7, $8, $9, $10, h."sessionId", h.id, $4, $4
               FROM h WHERE h.live
             ON CONFLICT (tenant_id, reference) DO NOTHING
             RETURNING id
           ), confirmed AS (
             UPDATE holds SET status = 'confirmed' WHERE tenant_id = $1 AND id = $2 AND EXISTS (SELECT 1 FROM a)
           ), event AS (
             INSERT INTO domain_events (tenant_id, type, subject_id, session_id, payload, occurred_at)
             SELECT h."tenantId", 'booking.created', a.id, h."sessionId",
                    jsonb_build_object('appointmentId', a.id, 'reference', $6::text, 'holdId', h.id,
                                       'serviceId', h."serviceId", 'resourceId', h."resourceId",
                                       'start', h."startIso", 'end', h."endIso"),
                    $4
               FROM a, h
           )
           SELECT h.*, (SELECT id FROM a) AS "appointmentId" FROM h`,
    values: [
      data.tenantId,
      data.holdId,
      data.sessionId,
      booking.now,
      booking.id,
      booking.reference,
      data.client.name,
      data.client.email ?? null,
      data.client.phone ?? null,
      data.notes,
    ],
  });
  return rows[0];
}

function toAppointment(hold: BookedRow, booked: { id: string; reference: string; data: ConfirmData; now: Date }): Appointment {
  const { data } = booked;
  return {
    id: booked.id,
    tenantId: hold.tenantId,
    reference: booked.reference,
    serviceId: hold.serviceId,
    serviceName: hold.serviceName,
    resourceId: hold.resourceId,
    resourceName: hold.resourceName,
    start: hold.startIso,
    end: hold.endIso,
    timeZone: hold.timeZone,
    client: { name: data.client.name, email: data.client.email ?? null, phone: data.client.phone ?? null },
    notes: data.notes,
    status: 'booked',
    sessionId: hold.sessionId,
    createdAt: hold.nowIso,
    cancelledAt: null,
  };
}
