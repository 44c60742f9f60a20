import { z } from 'zod';
import { currencySchema, dateSchema, nameSchema, timeOfDaySchema, timeZoneSchema } from '../validation/parse.js';

export const weekdaySchema = z.number().int().min(1, 'must be 1 (Monday) to 7 (Sunday)').max(7, 'must be 1 (Monday) to 7 (Sunday)');

export const openingHoursSchema = z
  .object({ weekday: weekdaySchema, opens: timeOfDaySchema, closes: timeOfDaySchema })
  .refine((h) => h.closes > h.opens, { message: 'closes must be after opens', path: ['closes'] });

export const dateOverrideSchema = z
  .object({
    date: dateSchema,
    /** Omit both times to close the whole day. */
    opens: timeOfDaySchema.optional(),
    closes: timeOfDaySchema.optional(),
    reason: z.string().max(200).default(''),
    resource: nameSchema.optional(),
  })
  .refine((o) => (o.opens === undefined) === (o.closes === undefined), { message: 'give both opens and closes, or neither for a closed day', path: ['closes'] })
  .refine((o) => o.opens === undefined || o.closes! > o.opens, { message: 'closes must be after opens', path: ['closes'] });

/** "No cancellations or moves within N hours of the start": whole hours, 0 (none) to 720 (30 days). */
export const changeDeadlineHoursSchema = z
  .number({ message: 'must be a whole number of hours' })
  .int('must be a whole number of hours')
  .min(0, 'must not be negative')
  .max(720, 'must be at most 720 hours (30 days)');

/** The settings of one existing service that staff may change. */
export const serviceUpdateSchema = z.object({
  tenantId: z.uuid({ message: 'must be a UUID' }),
  serviceId: z.uuid({ message: 'must be a UUID' }),
  changeDeadlineHours: changeDeadlineHoursSchema.optional(),
});

export type ServiceUpdate = z.input<typeof serviceUpdateSchema>;

export const resourceInputSchema = z.object({
  name: nameSchema,
  kind: z.enum(['staff', 'room', 'equipment']).default('staff'),
  /** Hours of this resource; when given they replace the tenant's hours for it. */
  hours: z.array(openingHoursSchema).max(50).optional(),
});

export const serviceInputSchema = z.object({
  name: nameSchema,
  description: z.string().max(2000).default(''),
  durationMinutes: z.number().int().min(5, 'must be at least 5 minutes').max(1440, 'must be at most 1440 minutes'),
  bufferBeforeMinutes: z.number().int().min(0, 'must not be negative').max(240).default(0),
  bufferAfterMinutes: z.number().int().min(0, 'must not be negative').max(240).default(0),
  // The column is a Postgres integer (at most 2,147,483,647): a larger price must be a 400, not a 500 (22003).
  priceCents: z.number().int().min(0, 'must not be negative').max(100_000_000, 'must be at most 100000000 (1,000,000.00)').optional(),
  currency: currencySchema.optional(),
  changeDeadlineHours: changeDeadlineHoursSchema.default(0),
  /** Names of the resources that can do it; omitted means any resource. */
  resources: z.array(nameSchema).max(100).optional(),
});

export const tenantInputSchema = z.object({
  name: nameSchema,
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2-63 lowercase letters, digits or dashes'),
  timeZone: timeZoneSchema,
  lookaheadDays: z.number().int().min(1).max(365).default(14),
  minNoticeMinutes: z.number().int().min(0).max(43_200).default(60),
  slotIntervalMinutes: z.number().int().min(5).max(240).default(15),
  holdTtlSeconds: z.number().int().min(30).max(3600).default(300),
  settings: z.record(z.string(), z.unknown()).default({}),
  /** When empty, one resource named "Default" is created. */
  resources: z.array(resourceInputSchema).max(100).default([]),
  services: z.array(serviceInputSchema).min(1, 'a tenant needs at least one service').max(200),
  hours: z.array(openingHoursSchema).max(50),
  overrides: z.array(dateOverrideSchema).max(500).default([]),
});

export type TenantInput = z.input<typeof tenantInputSchema>;
