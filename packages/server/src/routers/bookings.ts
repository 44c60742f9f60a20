import type { Appointment } from '@gomomo/core';
import { z } from 'zod';
import { runIdempotent } from '../http/idempotency.js';
import { secretProcedure } from '../trpc/auth.js';
import { router } from '../trpc/init.js';
import { appointmentSchema, instantInputSchema, referenceSchema, sessionIdSchema, withoutTenant } from './schemas.js';
import { depsOf, type RequestContext } from '../trpc/context.js';

const clientSchema = z.object({ name: z.string().max(200), email: z.string().max(254).optional(), phone: z.string().max(32).optional() });

const staff = { staff: true } as const;

function present(appointment: Appointment): Omit<Appointment, 'tenantId'> {
  return withoutTenant(appointment);
}

/** Runs a booking mutation once per `Idempotency-Key`: a repeated key gets the stored result. */
function idempotently<T>(ctx: RequestContext & { tenantId: string }, call: { procedure: string; input: unknown; run: () => Promise<T> }): Promise<T> {
  return runIdempotent({ pool: depsOf(ctx).pool, tenantId: ctx.tenantId, key: ctx.idempotencyKey, now: depsOf(ctx).clock.now(), ...call });
}

/** Staff views and changes of a tenant's bookings (secret keys). Mutations honour `Idempotency-Key`. */
export const bookingsRouter = router({
  list: secretProcedure
    .meta({ openapi: { method: 'GET', path: '/bookings', tags: ['bookings'], protect: true, summary: 'Bookings by start time, paginated' } })
    .input(
      z.object({
        from: instantInputSchema.optional(),
        to: instantInputSchema.optional(),
        status: z.enum(['booked', 'cancelled']).optional(),
        limit: z.number().int().min(1).max(200).optional(),
        cursor: z.string().max(200).optional(),
      }),
    )
    .output(z.object({ appointments: z.array(appointmentSchema), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const page = await depsOf(ctx).engine.listAppointments({ tenantId: ctx.tenantId, ...input });
      return { appointments: page.appointments.map(present), nextCursor: page.nextCursor };
    }),
  get: secretProcedure
    .meta({ openapi: { method: 'GET', path: '/bookings/{reference}', tags: ['bookings'], protect: true, summary: 'One booking by reference' } })
    .input(z.object({ reference: referenceSchema }))
    .output(appointmentSchema)
    .query(async ({ ctx, input }) => present(await depsOf(ctx).engine.getAppointment({ tenantId: ctx.tenantId, reference: input.reference }))),
  hold: secretProcedure
    .input(z.object({ serviceId: z.uuid({ message: 'must be a UUID' }), start: instantInputSchema, resourceId: z.uuid().optional(), sessionId: sessionIdSchema, ttlSeconds: z.number().int().optional() }))
    .mutation(({ ctx, input }) =>
      idempotently(ctx, { procedure: 'bookings.hold', input, run: async () => withoutTenant(await depsOf(ctx).engine.hold({ tenantId: ctx.tenantId, ...input })) }),
    ),
  confirm: secretProcedure
    .meta({ openapi: { method: 'POST', path: '/bookings', tags: ['bookings'], protect: true, summary: 'Turns a hold into a booking (send Idempotency-Key)' } })
    .input(z.object({ holdId: z.uuid({ message: 'must be a UUID' }), sessionId: sessionIdSchema, client: clientSchema, notes: z.string().max(2000).optional() }))
    .output(appointmentSchema)
    .mutation(({ ctx, input }) =>
      idempotently(ctx, { procedure: 'bookings.confirm', input, run: async () => present(await depsOf(ctx).engine.confirm({ tenantId: ctx.tenantId, ...input })) }),
    ),
  cancel: secretProcedure
    .meta({ openapi: { method: 'POST', path: '/bookings/{reference}/cancel', tags: ['bookings'], protect: true, summary: 'Cancels a booking (send Idempotency-Key)' } })
    .input(z.object({ reference: referenceSchema, reason: z.string().max(500).optional() }))
    .output(appointmentSchema)
    .mutation(({ ctx, input }) =>
      idempotently(ctx, { procedure: 'bookings.cancel', input, run: async () => present(await depsOf(ctx).engine.cancel({ tenantId: ctx.tenantId, reference: input.reference, reason: input.reason, verify: staff })) }),
    ),
  reschedule: secretProcedure
    .meta({ openapi: { method: 'POST', path: '/bookings/{reference}/reschedule', tags: ['bookings'], protect: true, summary: 'Moves a booking (send Idempotency-Key)' } })
    .input(z.object({ reference: referenceSchema, newStart: instantInputSchema, resourceId: z.uuid().optional() }))
    .output(appointmentSchema)
    .mutation(({ ctx, input }) =>
      idempotently(ctx, { procedure: 'bookings.reschedule', input, run: async () => present(await depsOf(ctx).engine.reschedule({ tenantId: ctx.tenantId, ...input, verify: staff })) }),
    ),
});
