import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { currentCorrelationId } from '../db/correlation.js';
import { assertTenantId, withoutTransaction } from '../db/transaction.js';
import type { EngineContext } from '../engine/context.js';
import { BookingError } from '../errors.js';
import { parseInput } from '../validation/parse.js';
import { assertLiveHold, type HeldRow } from './held.js';
import { generateReference } from './reference.js';
import type { Queryable } from './rows.js';
import { confirmInputSchema } from './schemas.js';
import type { Appointment, ConfirmInput } from './types.js';

type ConfirmData = z.output<typeof confirmInputSchema>;

/** Fresh codes to try before giving up; with 28.6 million codes a second try is already rare. */
const referenceAttempts = 8;

/**
 * Turns a live hold of the same session into an appointment. The appointment takes over the
 * hold's claim, so the slot is never free in between; the hold becomes `confirmed`.
 *
 * Runs at READ COMMITTED (one statement, migration 0012), on purpose: confirm creates no claim,
 * so the layers against overbooking have nothing to check; what must be exact is the hold's status, and the row lock
 * (FOR UPDATE re-reads the newest committed row) orders confirm against expiry, release and a
 * second confirm. Under SERIALIZABLE, confirms of *different* holds aborted each other through
 * page-level predicate locks on the holds indexes (465 retries per 1,200 confirms at
 * concurrency 8 in bench/booking.bench.ts) for no gain in safety.
 */
export async function confirmHold(ctx: EngineContext, input: ConfirmInput): Promise<Appointment> {
  const data = parseInput(confirmInputSchema, input);
  assertTenantId(data.tenantId);
  return withoutTransaction(ctx.pool, (client) => confirmWithStatements(client, { ctx, data }));
}

/** Each attempt is one statement and its own transaction: one that wrote nothing left nothing behind. */
async function confirmWithStatements(client: Queryable, { ctx, data }: { ctx: EngineContext; data: ConfirmData }): Promise<Appointment> {
  const now = ctx.clock.now();
  const id = randomUUID();
  for (let attempt = 0; attempt < referenceAttempts; attempt++) {
    const reference = generateReference();
    const row = await lockAndBook(client, { data, id, reference, now });
    const hold = assertLiveHold(row, { tenantId: data.tenantId, holdId: data.holdId, sessionId: data.sessionId, now });
    // Live but nothing inserted: the reference was taken (ON CONFLICT DO NOTHING); nothing was
    // written, so try again with a fresh code (the next statement locks and re-checks the hold).
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
 * One round trip, one named (prepared) statement, one transaction: `gomomo_confirm_hold` (migration
 * 0012) enters the tenant, locks the hold (FOR UPDATE; at READ COMMITTED a concurrent change is
 * waited for and its newest row re-checked), and only if it is live for this session at `now`,
 * inserts the appointment on the hold's claim, marks the hold confirmed and records
 * `booking.created` (ids and local times, no contact details). It returns the hold as locked, so
 * the caller can say why nothing was written (see `assertLiveHold`), and the local times the
 * event and the reply share. Confirm is the hot path: BEGIN, the tenant settings and COMMIT were
 * two round trips of three, and the hold's row lock was held across the COMMIT's.
 */
async function lockAndBook(client: Queryable, booking: { data: ConfirmData; id: string; reference: string; now: Date }): Promise<BookedRow | undefined> {
  const { data } = booking;
  const { rows } = await client.query<BookedRow>({
    name: 'gomomo_confirm_hold_fn',
    text: `SELECT id, tenant_id AS "tenantId", claim_id AS "claimId", service_id AS "serviceId", resource_id AS "resourceId",
                  session_id AS "sessionId", starts_at AS "startsAt", ends_at AS "endsAt", expires_at AS "expiresAt", status,
                  time_zone AS "timeZone", service_name AS "serviceName", resource_name AS "resourceName",
                  start_iso AS "startIso", end_iso AS "endIso", now_iso AS "nowIso", appointment_id AS "appointmentId"
             FROM gomomo_confirm_hold($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
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
      currentCorrelationId() ?? null,
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
