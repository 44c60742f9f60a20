// The argument pieces the chat tools share. Strict objects in each tool: a model (or a customer
// speaking through it) cannot slip in extra fields such as a tenantId; the executor injects the
// conversation's tenant itself.
import { bookingReferenceSchema, emailSchema, personNameSchema, phoneSchema } from '@gomomo/contracts';
import { z } from 'zod';

export const uuid = z.uuid({ message: 'must be a UUID from an earlier tool result' });
export const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-12-01 in the business time zone');
export const instant = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i, 'must be an ISO 8601 time with offset, exactly as a slot from check_availability gives it');
export const reference = bookingReferenceSchema;
export const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time like 15:00');
// One definition each with core's, from @gomomo/contracts: what the agent accepts, core accepts.
export const email = emailSchema;
export const phone = phoneSchema;
export const name = personNameSchema;
