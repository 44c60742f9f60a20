import { z } from 'zod';
import { secretProcedure } from '../trpc/auth.js';
import { router } from '../trpc/init.js';
import { instantInputSchema, sessionIdSchema, withoutTenant } from './schemas.js';
import { depsOf } from '../trpc/context.js';

export const waitlistRouter = router({
  list: secretProcedure
    .input(z.object({ serviceId: z.uuid({ message: 'must be a UUID' }).optional(), status: z.enum(['waiting', 'offered', 'booked', 'removed']).optional() }))
    .query(async ({ ctx, input }) => (await depsOf(ctx).engine.listWaitlist({ tenantId: ctx.tenantId, ...input })).map(withoutTenant)),
  join: secretProcedure
    .input(
      z.object({
        serviceId: z.uuid({ message: 'must be a UUID' }),
        resourceId: z.uuid().optional(),
        windowStart: instantInputSchema,
        windowEnd: instantInputSchema,
        client: z.object({ name: z.string().max(200), email: z.string().max(254).optional(), phone: z.string().max(32).optional() }),
        sessionId: sessionIdSchema.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => withoutTenant(await depsOf(ctx).engine.joinWaitlist({ tenantId: ctx.tenantId, ...input }))),
});
