import { z } from 'zod';
import { describeFailure } from '../executor/failures.js';
import { describeAppointment, verification } from './describe-booking.js';
import { defineChatTool } from './descriptor.js';
import { checkFarDate, checkVerification } from './guards.js';
import { email, instant, phone, reference } from './schemas.js';

/** Moves a booking to another slot. */
export const rescheduleBookingTool = defineChatTool({
  name: 'reschedule_booking',
  action: 'booking.reschedule',
  reversibility: { irreversible: true, consent: 'reschedule' },
  contact: 'proves',
  changesBooking: true,
  description:
    'Move a booking to a new start time (a slot from check_availability), after the customer said yes. Needs the reference and the email or phone on it. Set confirmFarDate only after the customer explicitly said yes to a new date far ahead.',
  args: z.strictObject({ reference, email: email.optional(), phone: phone.optional(), newStart: instant, confirmFarDate: z.boolean().optional() }),
  guardrail: {
    check: (args, context) => checkVerification(args) ?? checkFarDate({ start: args.newStart, confirmFarDate: args.confirmFarDate }, { ...context, tool: 'reschedule_booking', consent: 'reschedule' }),
  },
  handler: async (args, { scope, deps }) => {
    const appointment = await deps.engine.reschedule({ tenantId: scope.tenant.id, reference: args.reference, verify: verification(args), newStart: args.newStart });
    scope.ledger.rescheduled.push(appointment.reference);
    scope.ledger.references.push(appointment.reference);
    scope.emit({ type: 'booking', action: 'rescheduled', reference: appointment.reference, start: appointment.start, end: appointment.end, serviceName: appointment.serviceName });
    return describeAppointment(appointment);
  },
  status: 'rescheduling',
  failure: (error) => describeFailure('reschedule_booking', error),
  summary: { line: (d) => `Your booking ${String(d.reference)} was moved to ${String(d.label)}.` },
});
