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

export const availabilityRouter = router({
  get: publishableProcedure
    .meta({ openapi: { method: 'GET', path: '/availability', tags: ['catalog'], protect: true, summary: 'Open slots of a service between two dates (at most 14 days)' } })
    .input(availabilityInput)
    .output(availabilitySchema)
    .query(({ ctx, input }) => depsOf(ctx).engine.getAvailability({ tenantId: ctx.tenantId, ...input })),
  compact: publishableProcedure
    .meta({
      openapi: { method: 'GET', path: '/availability/compact', tags: ['catalog'], protect: true, summary: 'The same slots, each resource id sent once (for tenants with many resources)' },
    })
    .input(availabilityInput)
    .output(compactAvailabilitySchema)
    .query(async ({ ctx, input }) => toCompactAvailability(await depsOf(ctx).engine.getAvailability({ tenantId: ctx.tenantId, ...input }))),
});
