import { withTenant } from '../db/transaction.js';
import type { EngineContext } from '../engine/context.js';
import { BookingError } from '../errors.js';
import { recordEvent } from '../events/events.js';
import { parseInput } from '../validation/parse.js';
import { assertChangeAllowed, readChangeDeadlineHours } from './change-window.js';
import { toZonedIso } from './format.js';
import { assertVerified, readAppointment, toAppointment } from './rows.js';
import { cancelInputSchema } from './schemas.js';
import type { Appointment, CancelInput } from './types.js';

/**
 * Cancels a booking its owner (or staff) can prove: status `cancelled`, claim freed, and
 * `booking.cancelled` plus `slot.opened` recorded. A second cancel is `ALREADY_CANCELLED`; a
 * booking that has started is `APPOINTMENT_STARTED`; one inside its service's change deadline is
 * `CHANGE_DEADLINE_PASSED` unless staff override it (the event records the override).
 */
export async function cancelAppointment(ctx: EngineContext, input: CancelInput): Promise<Appointment> {
  const data = parseInput(cancelInputSchema, input);
  return withTenant(ctx.pool, data.tenantId, async (client) => {
    const now = ctx.clock.now();
    const row = await readAppointment(client, { ...data, forUpdate: true });
    assertVerified(row, data.verify);
    if (row.status === 'cancelled') {
      throw new BookingError('ALREADY_CANCELLED', `Booking ${row.reference} was cancelled at ${toZonedIso(row.cancelledAt!, row.timeZone)}`, { field: 'reference' });
    }
    const deadlineHours = await readChangeDeadlineHours(client, { tenantId: row.tenantId, serviceId: row.serviceId });
    const window = assertChangeAllowed({ reference: row.reference, start: row.startsAt, deadlineHours, now, overrideDeadline: data.overrideDeadline });
    await client.query(
      `WITH cancelled AS (UPDATE appointments SET status = 'cancelled', cancelled_at = $2, updated_at = $2 WHERE id = $1 RETURNING claim_id)
       UPDATE claims SET is_active = false WHERE id IN (SELECT claim_id FROM cancelled)`,
      [row.id, now],
    );
    const appointment = toAppointment({ ...row, status: 'cancelled', cancelledAt: now });
    const slot = { serviceId: row.serviceId, resourceId: row.resourceId, start: appointment.start, end: appointment.end };
    await recordEvent(client, {
      tenantId: row.tenantId,
      type: 'booking.cancelled',
      subjectId: row.id,
      sessionId: row.sessionId,
      payload: { appointmentId: row.id, reference: row.reference, ...slot, by: 'staff' in data.verify ? 'staff' : 'customer', reason: data.reason ?? null, ...overrideNote(window.deadlineOverridden, deadlineHours) },
      occurredAt: now,
    });
    await recordEvent(client, { tenantId: row.tenantId, type: 'slot.opened', subjectId: row.resourceId, payload: { ...slot, cause: 'cancelled', appointmentId: row.id }, occurredAt: now });
    return appointment;
  });
}

/** What the event says when staff passed the change deadline, so the override is on record. */
export function overrideNote(isOverridden: boolean, deadlineHours: number): { deadlineOverridden?: { deadlineHours: number } } {
  return isOverridden ? { deadlineOverridden: { deadlineHours } } : {};
}
