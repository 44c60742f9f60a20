import { assertIntakeComplete, type Appointment } from '@gomomo/core';
import { z } from 'zod';
import { describeFailure } from '../executor/failures.js';
import { describeAppointment } from './describe-booking.js';
import { defineChatTool } from './descriptor.js';
import { checkContact, checkLiveHold } from './guards.js';
import { email, name, phone, uuid } from './schemas.js';
import type { ToolScope } from './tool-context.js';

const args = z.strictObject({
  holdId: uuid,
  name,
  email: email.optional(),
  phone: phone.optional(),
  notes: z.string().max(500).optional(),
});

/**
 * The turn's record of a booking this conversation made: the ledger (the claim check), the live
 * event, the contact learned. Shared by a fresh confirm and by a retried one (see executor.ts).
 */
export function noteConfirmed(appointment: Appointment, context: { args: z.output<typeof args>; scope: ToolScope }): Record<string, unknown> {
  const { scope } = context;
  const given = context.args;
  scope.holds = scope.holds.filter((h) => h.id !== given.holdId);
  scope.session.contact = { name: given.name, email: given.email ?? scope.session.contact.email, phone: given.phone ?? scope.session.contact.phone };
  scope.ledger.created.push(appointment.reference);
  scope.ledger.references.push(appointment.reference);
  scope.emit({ type: 'booking', action: 'created', reference: appointment.reference, start: appointment.start, end: appointment.end, serviceName: appointment.serviceName });
  return describeAppointment(appointment);
}

/** Books the conversation's held slot. */
export const confirmBookingTool = defineChatTool({
  name: 'confirm_booking',
  action: 'booking.confirm',
  reversibility: { irreversible: true, consent: 'confirm' },
  contact: 'gives',
  changesBooking: false,
  description: "Book a held slot. Needs the hold of this conversation, the customer's name and an email or phone. Call only after the customer said yes to the summary.",
  args,
  guardrail: { check: (given, context) => checkContact(given) ?? checkLiveHold(given, context) },
  handler: async (given, { scope, deps }) => {
    // The service's required questions come first, whichever brain asks to confirm (issue 20 item
    // 3): a model that skips them is refused with their names, so it asks them. Turns of one
    // conversation never overlap, so no answer of this hold can go between the check and the confirm.
    await assertIntakeComplete(deps.pool, { tenantId: scope.tenant.id, holdId: given.holdId, sessionId: scope.session.id });
    const client = { name: given.name, email: given.email, phone: given.phone };
    const appointment = await deps.engine.confirm({ tenantId: scope.tenant.id, holdId: given.holdId, sessionId: scope.session.id, client, notes: given.notes });
    return noteConfirmed(appointment, { args: given, scope });
  },
  status: 'booking',
  failure: (error) => describeFailure('confirm_booking', error),
  summary: { line: (d) => `Your ${String(d.serviceName)} on ${String(d.label)} is booked (reference ${String(d.reference)}).` },
});
