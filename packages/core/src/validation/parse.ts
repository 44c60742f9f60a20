import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { BookingError } from '../errors.js';

/**
 * Parses `input` with `schema`; a failure becomes one `VALIDATION` error that names the first bad
 * field by its path (`services.0.durationMinutes`) and lists every problem in `details.issues`.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(input)', message: issue.message }));
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new BookingError('VALIDATION', `${first.field}: ${first.message}${more}`, { field: first.field, details: { issues } });
}

/** An IANA time zone name that this runtime knows, e.g. "America/New_York". */
export const timeZoneSchema = z
  .string()
  .max(64)
  .refine((zone) => zone === 'UTC' || (IANAZone.isValidZone(zone) && zone.includes('/')), { message: 'must be an IANA time zone such as "America/New_York"' });

/**
 * Years a booking system has any use for. Luxon accepts ±275,760 years and Postgres far fewer, so
 * without this bound a hostile date reached the database as NaN or out of its range (a 500).
 */
export function isYearInRange(year: number): boolean {
  return year >= 1900 && year <= 9999;
}

/** An instant with an explicit offset: "2026-12-01T15:00:00Z" or "2026-12-01T10:00:00-05:00". */
export const instantSchema = z
  .union([z.date(), z.string().max(40)])
  .transform((value, ctx) => {
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) ctx.addIssue({ code: 'custom', message: 'is not a valid date' });
      return value;
    }
    const parsed = DateTime.fromISO(value, { setZone: true });
    if (!parsed.isValid || !/(Z|[+-]\d\d:?\d\d)$/i.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 instant with an offset, e.g. 2026-12-01T15:00:00Z' });
      return new Date(Number.NaN);
    }
    if (!isYearInRange(parsed.toUTC().year)) {
      ctx.addIssue({ code: 'custom', message: 'must be a date between the years 1900 and 9999' });
      return new Date(Number.NaN);
    }
    return parsed.toJSDate();
  });

/** A calendar date, "2026-12-01". */
export const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-12-01')
  .refine((value) => DateTime.fromISO(value).isValid, { message: 'is not a real calendar date' })
  .refine((value) => isYearInRange(Number(value.slice(0, 4))), { message: 'must be a date between the years 1900 and 9999' });

/** A wall-clock time, "09:00" or "17:30". */
export const timeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time like 09:00');

export const uuidSchema = z.uuid({ message: 'must be a UUID' });

// Email, phone and name cross packages (the agent's tools validate them too): one definition each,
// in @gomomo/contracts.
export { emailSchema, phoneSchema, personNameSchema as nameSchema } from '@gomomo/contracts';

export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like USD');
