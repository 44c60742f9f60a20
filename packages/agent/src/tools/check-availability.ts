import { z } from 'zod';
import { describeFailure } from '../executor/failures.js';
import { formatSlotLabel, minutesOfDay } from '../format/time.js';
import { defineChatTool } from './descriptor.js';
import { checkRange } from './guards.js';
import { day, hhmm, uuid } from './schemas.js';

/** Slots shown to a model at most; more would only cost tokens and tempt it to list them all. */
const maxSlotsInResult = 40;

function toMinutes(value: string): number {
  return Number(value.slice(0, 2)) * 60 + Number(value.slice(3, 5));
}

/** Open slots of one service over a few days, optionally within a time of day. */
export const checkAvailabilityTool = defineChatTool({
  name: 'check_availability',
  action: 'availability.check',
  reversibility: { irreversible: false },
  contact: 'none',
  changesBooking: false,
  description:
    "Open slots of one service between two dates (at most 14 days, not in the past), in the business time zone, optionally only after and/or before a time of day, optionally with one staff member only (resourceId, e.g. the customer's preferred staff from customer_profile). Never invent times: offer only slots this returns.",
  args: z.strictObject({
    serviceId: uuid,
    from: day,
    /** Inclusive; defaults to `from`. */
    to: day.optional(),
    /** Only slots starting at or after this wall-clock time. */
    after: hhmm.optional(),
    /** Only slots starting before this wall-clock time. */
    before: hhmm.optional(),
    /** Only this staff member's (resource's) slots. */
    resourceId: uuid.optional(),
  }),
  guardrail: { check: checkRange },
  handler: async (args, { scope, deps }) => {
    const availability = await deps.engine.getAvailability({ tenantId: scope.tenant.id, serviceId: args.serviceId, from: args.from, to: args.to ?? args.from, resourceId: args.resourceId });
    const after = args.after ? toMinutes(args.after) : 0;
    const before = args.before ? toMinutes(args.before) : 24 * 60;
    const slots = availability.slots
      .filter((slot) => {
        const minutes = minutesOfDay(slot.start, availability.timeZone);
        return minutes >= after && minutes < before;
      })
      .map((slot) => ({ start: slot.start, end: slot.end, label: formatSlotLabel(slot.start, availability.timeZone) }));
    return {
      serviceId: args.serviceId,
      ...(args.resourceId ? { resourceId: args.resourceId } : {}),
      timeZone: availability.timeZone,
      slots: slots.slice(0, maxSlotsInResult),
      ...(slots.length > maxSlotsInResult ? { moreSlots: slots.length - maxSlotsInResult, note: 'Only the first slots are listed; narrow the dates to see others.' } : {}),
    };
  },
  status: 'checking_availability',
  failure: (error) => describeFailure('check_availability', error),
  summary: { none: 'it reads and changes nothing' },
});
