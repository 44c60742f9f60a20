import type { CustomerBooking, CustomerProfile } from '@gomomo/core';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { provenContact, readProfileOf } from '../customers/returning.js';
import { describeFailure } from '../executor/failures.js';
import { formatSlotLabel } from '../format/time.js';
import { contactOfArgs } from '../identity/requirement.js';
import { defineChatTool } from './descriptor.js';
import { email, phone } from './schemas.js';
import type { ToolScope } from './tool-context.js';

/** Bookings listed to the model at most, each way: enough for "the same as last time". */
const listed = 5;

function partOfDay(start: Date, timeZone: string): 'morning' | 'afternoon' | 'evening' {
  const hour = DateTime.fromJSDate(start, { zone: timeZone }).hour;
  return hour < 12 ? 'morning' : hour < 17 ? 'afternoon' : 'evening';
}

function describeBooking(booking: CustomerBooking, timeZone: string): Record<string, unknown> {
  return { serviceId: booking.serviceId, serviceName: booking.serviceName, staff: booking.resourceName, resourceId: booking.resourceId, label: formatSlotLabel(booking.start.toISOString(), timeZone) };
}

/** The profile as the model sees it; the upcoming bookings' references become ones the reply may name. */
function describeProfile(profile: CustomerProfile, scope: ToolScope): Record<string, unknown> {
  const zone = scope.tenant.timeZone;
  scope.ledger.references.push(...profile.upcoming.map((b) => b.reference));
  const last = profile.last;
  return {
    proven: true,
    returning: true,
    name: profile.name,
    preferredStaff: profile.preferredResource ? { resourceId: profile.preferredResource.id, name: profile.preferredResource.name } : null,
    sameAsLastTime: last ? { serviceId: last.serviceId, serviceName: last.serviceName, staff: last.resourceName, resourceId: last.resourceId, timeOfDay: partOfDay(last.start, zone) } : null,
    upcoming: profile.upcoming.slice(0, listed).map((b) => ({ reference: b.reference, ...describeBooking(b, zone) })),
    past: profile.past.slice(0, listed).map((b) => describeBooking(b, zone)),
  };
}

/**
 * What the business knows of the customer whose contact this conversation proved (issue 20 item
 * 2): the model's way to greet a returning customer and offer "the same as last time". Nothing of
 * anyone is returned before the proof, so typing someone's email reads nothing (customers/returning.ts).
 */
export const customerProfileTool = defineChatTool({
  name: 'customer_profile',
  // Seeing one's own bookings is a lookup: a tenant that denies lookups denies the profile too.
  action: 'booking.lookup',
  reversibility: { irreversible: false },
  contact: 'none',
  changesBooking: false,
  description:
    "The returning customer behind this conversation's proven contact: their name, preferred staff (resourceId), the same as last time (service, staff, time of day), upcoming and past bookings. On SMS, and on a call whose caller ID the carrier vouched for, call it with no arguments (that number is proven); otherwise only after verify_code proved an email or phone, with that contact. Before any proof it returns proven: false and nothing else.",
  args: z.strictObject({ email: email.optional(), phone: phone.optional() }),
  guardrail: { none: 'it reads only a contact this conversation proved (a code, or the SMS sender); anything else reads nothing' },
  handler: async (args, context) => {
    const by = await provenContact(context, contactOfArgs(args));
    if (!by) return { proven: false, note: 'No contact is proven in this conversation, so nothing about any customer can be shown. Treat the customer as new; do not ask them to prove who they are just for this.' };
    const profile = await readProfileOf(context, by);
    if (!profile) return { proven: true, returning: false, note: 'No earlier bookings with this contact: a new customer.' };
    return describeProfile(profile, context.scope);
  },
  status: 'thinking',
  failure: (error) => describeFailure('customer_profile', error),
  summary: { none: 'it reads and changes nothing' },
});
