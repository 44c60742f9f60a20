import { z } from 'zod';
import { describeFailure } from '../executor/failures.js';
import { describeAppointment, verification } from './describe-booking.js';
import { defineChatTool } from './descriptor.js';
import { checkVerification } from './guards.js';
import { email, phone, reference } from './schemas.js';

/** Cancels a booking. */
export const cancelBookingTool = defineChatTool({
  name: 'cancel_booking',
  action: 'booking.cancel',
  reversibility: { irreversible: true, consent: 'cancel' },
  contact: 'proves',
  changesBooking: true,
  description: 'Cancel a booking after the customer said yes. Needs the reference and the email or phone on it.',
  args: z.strictObject({ reference, email: email.optional(), phone: phone.optional(), reason: z.string().max(500).optional() }),
  guardrail: { check: checkVerification },
  handler: async (args, { scope, deps }) => {
    const appointment = await deps.engine.cancel({ tenantId: scope.tenant.id, reference: args.reference, verify: verification(args), reason: args.reason });
    scope.ledger.cancelled.push(appointment.reference);
    scope.ledger.references.push(appointment.reference);
    scope.emit({ type: 'booking', action: 'cancelled', reference: appointment.reference, start: appointment.start, end: appointment.end, serviceName: appointment.serviceName });
    return describeAppointment(appointment);
  },
  status: 'cancelling',
  failure: (error) => describeFailure('cancel_booking', error),
  summary: { line: (d) => `Your booking ${String(d.reference)} was cancelled.` },
});
