import { z } from 'zod';
import { describeFailure } from '../executor/failures.js';
import { describeAppointment, describeChangeWindow, verification } from './describe-booking.js';
import { defineChatTool } from './descriptor.js';
import { checkVerification } from './guards.js';
import { email, phone, reference } from './schemas.js';

/** Finds a booking by its reference and the contact on it. */
export const lookupBookingTool = defineChatTool({
  name: 'lookup_booking',
  action: 'booking.lookup',
  reversibility: { irreversible: false },
  contact: 'proves',
  changesBooking: false,
  description: 'Find a booking by its reference with the email or phone on it.',
  args: z.strictObject({ reference, email: email.optional(), phone: phone.optional() }),
  guardrail: { check: checkVerification },
  handler: async (args, { scope, deps }) => {
    const verify = verification(args);
    const appointment = await deps.engine.lookup({ tenantId: scope.tenant.id, reference: args.reference, verify });
    scope.ledger.references.push(appointment.reference);
    if (appointment.status !== 'booked') return describeAppointment(appointment);
    // Say up front whether it may still change (core's one decision), so no one offers what cannot be done.
    const change = await deps.engine.checkChange({ tenantId: scope.tenant.id, reference: appointment.reference, verify });
    return { ...describeAppointment(appointment), ...describeChangeWindow(change) };
  },
  status: 'thinking',
  failure: (error) => describeFailure('lookup_booking', error),
  summary: { none: 'it reads and changes nothing' },
});
