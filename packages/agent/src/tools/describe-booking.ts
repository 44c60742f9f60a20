// What the booking tools give back to the model, shared by the tools that find or change a booking.
import type { Appointment, ChangeWindowDecision, Verification } from '@gomomo/core';
import { describeChangeRefusal } from '../executor/failures.js';
import { formatSlotLabel } from '../format/time.js';

/** The proof a caller gave for a booking; the guardrail already required one of them. */
export function verification(args: { email?: string | undefined; phone?: string | undefined }): Verification {
  // Chat can never claim staff authority.
  return args.email ? { email: args.email } : { phone: args.phone! };
}

/** A booking as the model sees it. */
export function describeAppointment(appointment: Appointment): Record<string, unknown> {
  return {
    reference: appointment.reference,
    serviceName: appointment.serviceName,
    with: appointment.resourceName,
    start: appointment.start,
    end: appointment.end,
    label: formatSlotLabel(appointment.start, appointment.timeZone),
    status: appointment.status,
  };
}

/** Whether a looked-up booking may still be cancelled or moved, and if not why (for the model and the brain). */
export function describeChangeWindow(change: ChangeWindowDecision): Record<string, unknown> {
  if (change.allowed) return { canChange: true };
  return { canChange: false, changeRefusal: change.code, changeDeadlineHours: change.deadlineHours, changeRule: describeChangeRefusal(change.code, change.reason).message };
}
