import { bookingReferenceSchema, emailSchema, personNameSchema, phoneSchema } from '@gomomo/contracts';
import { z } from 'zod';

const uuid = z.uuid({ message: 'must be a UUID from an earlier tool result' });
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-12-01 in the business time zone');
const instant = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i, 'must be an ISO 8601 time with offset, exactly as a slot from check_availability gives it');
const reference = bookingReferenceSchema;
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time like 15:00');
// One definition each with core's, from @gomomo/contracts: what the agent accepts, core accepts.
const email = emailSchema;
const phone = phoneSchema;
const name = personNameSchema;

// Strict objects: a model (or a customer speaking through it) cannot slip in extra fields such as
// a tenantId; the executor injects the conversation's tenant itself.
export const chatToolArgs = {
  list_services: z.strictObject({}),
  check_availability: z.strictObject({
    serviceId: uuid,
    from: day,
    /** Inclusive; defaults to `from`. */
    to: day.optional(),
    /** Only slots starting at or after this wall-clock time. */
    after: hhmm.optional(),
    /** Only slots starting before this wall-clock time. */
    before: hhmm.optional(),
  }),
  hold_slot: z.strictObject({
    serviceId: uuid,
    start: instant,
    confirmFarDate: z.boolean().optional(),
  }),
  confirm_booking: z.strictObject({
    holdId: uuid,
    name,
    email: email.optional(),
    phone: phone.optional(),
    notes: z.string().max(500).optional(),
  }),
  lookup_booking: z.strictObject({ reference, email: email.optional(), phone: phone.optional() }),
  reschedule_booking: z.strictObject({ reference, email: email.optional(), phone: phone.optional(), newStart: instant, confirmFarDate: z.boolean().optional() }),
  cancel_booking: z.strictObject({ reference, email: email.optional(), phone: phone.optional(), reason: z.string().max(500).optional() }),
  join_waitlist: z.strictObject({ serviceId: uuid, from: day, to: day.optional(), name, email: email.optional(), phone: phone.optional() }),
} as const;

export type ChatToolName = keyof typeof chatToolArgs;
export type ChatToolArgs<N extends ChatToolName> = z.output<(typeof chatToolArgs)[N]>;

/** A customer-facing tool: its policy action and what the model is told about it. */
export interface ChatToolSpec<N extends ChatToolName = ChatToolName> {
  name: N;
  action: string;
  irreversible: boolean;
  description: string;
  args: (typeof chatToolArgs)[N];
}

function spec<N extends ChatToolName>(name: N, meta: { action: string; irreversible?: boolean }, description: string): ChatToolSpec<N> {
  return { name, action: meta.action, irreversible: meta.irreversible ?? false, description, args: chatToolArgs[name] };
}

/** The closed set of eight chat tools, in the order a model sees them. */
export const chatToolSpecs = [
  spec('list_services', { action: 'services.list' }, 'List the services the business offers, with ids, durations and prices.'),
  spec('check_availability', { action: 'availability.check' }, 'Open slots of one service between two dates (at most 14 days, not in the past), in the business time zone, optionally only after and/or before a time of day. Never invent times: offer only slots this returns.'),
  spec('hold_slot', { action: 'booking.hold' }, 'Hold one slot from check_availability for this conversation for a few minutes while the customer gives their details. Set confirmFarDate only after the customer explicitly said yes to a date far ahead.'),
  spec('confirm_booking', { action: 'booking.confirm', irreversible: true }, "Book a held slot. Needs the hold of this conversation, the customer's name and an email or phone. Call only after the customer said yes to the summary."),
  spec('lookup_booking', { action: 'booking.lookup' }, 'Find a booking by its reference with the email or phone on it.'),
  spec('reschedule_booking', { action: 'booking.reschedule', irreversible: true }, 'Move a booking to a new start time (a slot from check_availability), after the customer said yes. Needs the reference and the email or phone on it. Set confirmFarDate only after the customer explicitly said yes to a new date far ahead.'),
  spec('cancel_booking', { action: 'booking.cancel', irreversible: true }, 'Cancel a booking after the customer said yes. Needs the reference and the email or phone on it.'),
  spec('join_waitlist', { action: 'waitlist.join' }, "Put the customer on the waitlist for a service between two dates when nothing fits. Needs the customer's name and an email or phone."),
] as const;

export const chatToolNames = chatToolSpecs.map((tool) => tool.name);

/** OpenAI-style function definitions (JSON Schema) generated from the same zod schemas the executor parses with. */
export function toFunctionDefinitions(): Array<{ type: 'function'; function: { name: string; description: string; parameters: Record<string, unknown> } }> {
  return chatToolSpecs.map((tool) => {
    const { $schema: _schema, ...parameters } = z.toJSONSchema(tool.args, { io: 'input' }) as Record<string, unknown>;
    return { type: 'function' as const, function: { name: tool.name, description: tool.description, parameters } };
  });
}
