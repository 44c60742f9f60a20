import type { Appointment } from '@gomomo/core';
import { z } from 'zod';
import { runIdempotent } from '../http/idempotency.js';
import { secretProcedure } from '../trpc/auth.js';
import { router } from '../trpc/init.js';
import { appointmentSchema, holdSchema, instantInputSchema, referenceSchema, sessionIdSchema, withoutTenant } from './schemas.js';
import { depsOf, type RequestContext } from '../trpc/context.js';
import { runStaffChange } from './staff-override.js';

const clientSchema = z.object({ name: z.string().max(200), email: z.string().max(254).optional(), phone: z.string().max(32).optional() });

const staff = { staff: true } as const;

/**
 * Staff may pass a service's change deadline on purpose; the override is audited. Two literals, not
 * `z.boolean()`: on its first REST request trpc-to-openapi sets `coerce` on the procedure's boolean
 * and number fields in place (adapters/node-http/core.js, coerceSchema), for tRPC callers too, and
 * `Boolean("false")` is true. A literal is never coerced, so "false" or "yes" stays a 400.
 */
const overrideDeadlineSchema = z.union([z.literal(true), z.literal(false)], { message: 'must be true or false' }).optional();

function staffChange(ctx: RequestContext & { tenantId: string }, change: { reference: string; action: 'booking.cancel' | 'booking.reschedule'; overrideDeadline: boolean | undefined }) {
  const deps = depsOf(ctx);
  return { pool: deps.pool, engine: deps.engine, tenantId: ctx.tenantId, now: () => deps.clock.now(), ...change };
}

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
    .meta({ openapi: { method: 'POST', path: '/holds', tags: ['bookings'], protect: true, summary: 'Holds a slot for a few minutes, the first step of a booking (send Idempotency-Key)' } })
    .input(z.object({ serviceId: z.uuid({ message: 'must be a UUID' }), start: instantInputSchema, resourceId: z.uuid().optional(), sessionId: sessionIdSchema, ttlSeconds: z.number().int().optional() }))
    .output(holdSchema)
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
    .input(z.object({ reference: referenceSchema, reason: z.string().max(500).optional(), overrideDeadline: overrideDeadlineSchema }))
    .output(appointmentSchema)
    .mutation(({ ctx, input }) =>
      idempotently(ctx, {
        procedure: 'bookings.cancel',
        input,
        run: async () =>
          present(
            await runStaffChange(staffChange(ctx, { reference: input.reference, action: 'booking.cancel', overrideDeadline: input.overrideDeadline }), () =>
              depsOf(ctx).engine.cancel({ tenantId: ctx.tenantId, reference: input.reference, reason: input.reason, verify: staff, overrideDeadline: input.overrideDeadline }),
            ),
          ),
      }),
    ),
  reschedule: secretProcedure
    .meta({ openapi: { method: 'POST', path: '/bookings/{reference}/reschedule', tags: ['bookings'], protect: true, summary: 'Moves a booking (send Idempotency-Key)' } })
    .input(z.object({ reference: referenceSchema, newStart: instantInputSchema, resourceId: z.uuid().optional(), overrideDeadline: overrideDeadlineSchema }))
    .output(appointmentSchema)
    .mutation(({ ctx, input }) =>
      idempotently(ctx, {
        procedure: 'bookings.reschedule',
        input,
        run: async () =>
          present(
            await runStaffChange(staffChange(ctx, { reference: input.reference, action: 'booking.reschedule', overrideDeadline: input.overrideDeadline }), () =>
              depsOf(ctx).engine.reschedule({ tenantId: ctx.tenantId, ...input, verify: staff }),
            ),
          ),
      }),
    ),
});
