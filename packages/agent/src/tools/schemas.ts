// The argument pieces the chat tools share. Strict objects in each tool: a model (or a customer
// speaking through it) cannot slip in extra fields such as a tenantId; the executor injects the
// conversation's tenant itself.
import { z } from 'zod';

export const uuid = z.uuid({ message: 'must be a UUID from an earlier tool result' });
export const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-12-01 in the business time zone');
export const instant = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i, 'must be an ISO 8601 time with offset, exactly as a slot from check_availability gives it');
export const reference = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase())
  .pipe(z.string().regex(/^GM-[0-9A-Z]{5}$/, 'must be a booking reference like GM-7K3Q9'));
export const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time like 15:00');
export const email = z.email({ message: 'must be an email address' }).max(254);
export const phone = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number like +15551234567');
export const name = z.string().trim().min(1, 'must not be empty').max(200);
