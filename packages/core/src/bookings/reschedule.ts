import { findBookableResources } from '../availability/bookable.js';
import { withTenant } from '../db/transaction.js';
import type { EngineContext } from '../engine/context.js';
import { BookingError } from '../errors.js';
import { recordEvent } from '../events/events.js';
import { readTenant } from '../tenants/tenants.js';
import { parseInput } from '../validation/parse.js';
import { overrideNote } from './cancel.js';
import { assertChangeAllowed, readChangeDeadlineHours } from './change-window.js';
import { claimSlot } from './claim.js';
import { toShortUtc, toZonedIso } from './format.js';
import { assertVerified, readAppointment, toAppointment, type Queryable } from './rows.js';
import { rescheduleInputSchema, type RescheduleData } from './schemas.js';
import { findService } from './services.js';
import type { Appointment, RescheduleInput } from './types.js';

/**
 * Moves a booking its owner (or staff) can prove to a new start, atomically: the old claim is
 * released and the new one won in the same transaction, so a failure anywhere leaves the booking
 * where it was. Records `booking.rescheduled` and `slot.opened` for the time given up. A booking
 * that has started cannot move (`APPOINTMENT_STARTED`), nor move into the past; inside the
 * service's change deadline only staff may move it, with `overrideDeadline` (on the event).
 */
export async function rescheduleAppointment(ctx: EngineContext, input: RescheduleInput): Promise<Appointment> {
  const data = parseInput(rescheduleInputSchema, input);
  return withTenant(ctx.pool, data.tenantId, (client) => rescheduleInTransaction(client, { ctx, data }));
}

/** The body of `rescheduleAppointment`, inside a transaction the caller opened. */
export async function rescheduleInTransaction(client: Queryable, { ctx, data }: { ctx: EngineContext; data: RescheduleData }): Promise<Appointment> {
  const now = ctx.clock.now();
  const row = await readAppointment(client, { tenantId: data.tenantId, reference: data.reference, forUpdate: true });
  assertVerified(row, data.verify);
  if (row.status === 'cancelled') throw new BookingError('ALREADY_CANCELLED', `Booking ${row.reference} is cancelled and cannot be moved`, { field: 'reference' });
  const tenant = await readTenant(client, data.tenantId);
  // A booked appointment keeps its service even after staff stop offering it: it may still move.
  const service = await findService(client, { tenant, serviceId: row.serviceId, isRetiredAllowed: true });
  // Read from the row itself, not the (possibly cached) catalog: the rule must be current.
  const deadlineHours = await readChangeDeadlineHours(client, { tenantId: tenant.id, serviceId: row.serviceId });
  const window = assertChangeAllowed({ reference: row.reference, start: row.startsAt, deadlineHours, now, overrideDeadline: data.overrideDeadline });
  if (data.newStart.getTime() <= now.getTime()) {
    throw new BookingError('SLOT_UNAVAILABLE', `${toShortUtc(data.newStart)} is in the past; booking ${row.reference} cannot be moved into the past`, { field: 'newStart' });
  }
  const bookable = await findBookableResources(client, { tenant, service, start: data.newStart, resourceId: data.resourceId, now });
  // Without an explicit resource the customer keeps their current one when it is free.
  const candidates = bookable.includes(row.resourceId) && data.resourceId === undefined ? [row.resourceId, ...bookable.filter((id) => id !== row.resourceId)] : bookable;

  // Free the old time first, so a move by 15 minutes may overlap it; a rollback restores it.
  await client.query('UPDATE claims SET is_active = false WHERE id = $1', [row.claimId]);
  const won = await claimSlot(client, { tenant, service, candidates, start: data.newStart, now, movingAppointmentId: row.id });
  await client.query('UPDATE appointments SET claim_id = $2, resource_id = $3, starts_at = $4, ends_at = $5, updated_at = $6 WHERE id = $1', [
    row.id,
    won.claimId,
    won.resourceId,
    won.start,
    won.end,
    now,
  ]);

  const moved = toAppointment({ ...row, claimId: won.claimId, resourceId: won.resourceId, resourceName: won.resourceName, startsAt: won.start, endsAt: won.end });
  const previous = { resourceId: row.resourceId, start: toZonedIso(row.startsAt, tenant.timeZone), end: toZonedIso(row.endsAt, tenant.timeZone) };
  await recordEvent(client, {
    tenantId: tenant.id,
    type: 'booking.rescheduled',
    subjectId: row.id,
    sessionId: row.sessionId,
    payload: {
      appointmentId: row.id,
      reference: row.reference,
      serviceId: row.serviceId,
      resourceId: won.resourceId,
      start: moved.start,
      end: moved.end,
      previous,
      ...overrideNote(window.deadlineOverridden, deadlineHours),
    },
    occurredAt: now,
  });
  await recordEvent(client, {
    tenantId: tenant.id,
    type: 'slot.opened',
    subjectId: row.resourceId,
    payload: { serviceId: row.serviceId, ...previous, cause: 'rescheduled', appointmentId: row.id },
    occurredAt: now,
  });
  return moved;
}
