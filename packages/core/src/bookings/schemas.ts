import { bookingReferenceSchema } from '@gomomo/contracts';
import { z } from 'zod';
import { emailSchema, instantSchema, nameSchema, phoneSchema, uuidSchema } from '../validation/parse.js';
import type { Verification } from './types.js';

/** The conversation that owns a hold; the agent's session ids are opaque strings. */
export const sessionIdSchema = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

/** "GM-7K3Q9"; customers read it off a message, so case and surrounding spaces are forgiven (@gomomo/contracts' one definition). */
export const referenceSchema = bookingReferenceSchema;

/**
 * Exactly one of email, phone or staff. An object with optional keys (rather than a union) lets a
 * malformed email be reported as `verify.email` instead of a vague "no union member matched".
 */
export const verificationSchema = z
  .object({
    email: emailSchema.optional(),
    phone: phoneSchema.optional(),
    staff: z.literal(true, { message: 'must be true when given' }).optional(),
  })
  .strict()
  .refine((v) => [v.email, v.phone, v.staff].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of email, phone or staff',
  })
  .transform((v): Verification => (v.staff ? { staff: true } : v.email !== undefined ? { email: v.email } : { phone: v.phone! }));

/** A customer's contact details: a name and at least one way to reach them. */
export const clientSchema = z
  .object({ name: nameSchema, email: emailSchema.optional(), phone: phoneSchema.optional() })
  .refine((c) => c.email !== undefined || c.phone !== undefined, { message: 'give an email or a phone number', path: ['email'] });

export const holdInputSchema = z.object({
  tenantId: uuidSchema,
  serviceId: uuidSchema,
  start: instantSchema,
  resourceId: uuidSchema.optional(),
  sessionId: sessionIdSchema,
  ttlSeconds: z.number().int().min(30, 'must be at least 30 seconds').max(3600, 'must be at most 3600 seconds').optional(),
});
export type HoldData = z.output<typeof holdInputSchema>;

export const confirmInputSchema = z.object({
  tenantId: uuidSchema,
  holdId: uuidSchema,
  sessionId: sessionIdSchema,
  client: clientSchema,
  notes: z.string().max(2000, 'must be at most 2000 characters').default(''),
});

export const releaseInputSchema = z.object({ tenantId: uuidSchema, holdId: uuidSchema, sessionId: sessionIdSchema });

/** Only staff may pass the service's change deadline; a customer's flag is refused, not ignored. */
const overrideDeadlineSchema = z.boolean({ message: 'must be true or false' }).optional();

function refuseCustomerOverride(data: { verify: Verification; overrideDeadline?: boolean | undefined }, ctx: z.RefinementCtx): void {
  if (data.overrideDeadline === true && typeof data.verify === 'object' && data.verify !== null && !('staff' in data.verify)) {
    ctx.addIssue({ code: 'custom', message: 'only staff may override the change deadline', path: ['overrideDeadline'] });
  }
}

export const rescheduleInputSchema = z
  .object({
    tenantId: uuidSchema,
    reference: referenceSchema,
    verify: verificationSchema,
    newStart: instantSchema,
    resourceId: uuidSchema.optional(),
    overrideDeadline: overrideDeadlineSchema,
  })
  .superRefine(refuseCustomerOverride);
export type RescheduleData = z.output<typeof rescheduleInputSchema>;

export const cancelInputSchema = z
  .object({
    tenantId: uuidSchema,
    reference: referenceSchema,
    verify: verificationSchema,
    reason: z.string().trim().max(500, 'must be at most 500 characters').optional(),
    overrideDeadline: overrideDeadlineSchema,
  })
  .superRefine(refuseCustomerOverride);

/** What `checkChange` needs: the booking and the proof that it is the caller's. */
export const checkChangeInputSchema = z.object({ tenantId: uuidSchema, reference: referenceSchema, verify: verificationSchema });

export const lookupInputSchema = z.object({ tenantId: uuidSchema, reference: referenceSchema, verify: verificationSchema });

export const getAppointmentInputSchema = z.object({ tenantId: uuidSchema, reference: referenceSchema });

export const listAppointmentsInputSchema = z.object({
  tenantId: uuidSchema,
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  status: z.enum(['booked', 'cancelled']).optional(),
  limit: z.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
  cursor: z.string().max(200, 'is not a cursor from a previous page').optional(),
});
