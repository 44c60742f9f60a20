import { z } from 'zod';
import { publishableProcedure } from '../trpc/auth.js';
import { router } from '../trpc/init.js';
import { availabilitySchema, compactAvailabilitySchema, serviceSchema } from './schemas.js';
import { toCompactAvailability } from './compact-availability.js';
import { depsOf } from '../trpc/context.js';

/** What can be booked and when: open to publishable keys, since a booking page shows both. */
export const servicesRouter = router({
  list: publishableProcedure
    .meta({ openapi: { method: 'GET', path: '/services', tags: ['catalog'], protect: true, summary: "The tenant's bookable services" } })
    .input(z.object({}).optional())
    .output(z.array(serviceSchema))
    .query(({ ctx }) => depsOf(ctx).engine.listServices(ctx.tenantId)),
});

const availabilityInput = z.object({
  serviceId: z.uuid({ message: 'must be a UUID' }),
  from: z.string().max(40),
  to: z.string().max(40),
  resourceId: z.uuid({ message: 'must be a UUID' }).optional(),
});

/**
 * Gives a procedure its output schema for the OpenAPI document only, without tRPC's `.output()`
 * validator: validating hundreds of slots on every answer cost more than building them (issue 15).
 * What the engine returns is typed; test/availability.test.ts checks real answers against the schema.
 */
function documentOutput<P extends { _def: object }>(procedure: P, schema: z.ZodType): P {
  (procedure._def as { output?: unknown }).output = schema;
  return procedure;
}

export const availabilityRouter = router({
  get: documentOutput(
    publishableProcedure
      .meta({ openapi: { method: 'GET', path: '/availability', tags: ['catalog'], protect: true, summary: 'Open slots of a service between two dates (at most 14 days)' } })
      .input(availabilityInput)
      .query(({ ctx, input }) => depsOf(ctx).engine.getAvailability({ tenantId: ctx.tenantId, ...input })),
    availabilitySchema,
  ),
  compact: documentOutput(
    publishableProcedure
      .meta({
        openapi: { method: 'GET', path: '/availability/compact', tags: ['catalog'], protect: true, summary: 'The same slots, each resource id sent once (for tenants with many resources)' },
      })
      .input(availabilityInput)
      .query(async ({ ctx, input }) => toCompactAvailability(await depsOf(ctx).engine.getAvailability({ tenantId: ctx.tenantId, ...input }))),
    compactAvailabilitySchema,
  ),
});
