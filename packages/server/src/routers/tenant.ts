import { changeDeadlineHoursSchema, readTenant, updateService, updateTenantSettings, withTenant } from '@gomomo/core';
import { z } from 'zod';
import { originSchema, readAllowedOrigins, writeAllowedOrigins } from '../keys/origins.js';
import { secretProcedure } from '../trpc/auth.js';
import { router } from '../trpc/init.js';
import { depsOf } from '../trpc/context.js';
import { faqRouter } from './faq.js';
import { serviceSchema } from './schemas.js';

/** The settings a tenant may change with its own secret key. */
export const tenantUpdateSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  lookaheadDays: z.number().int().min(1).max(365).optional(),
  minNoticeMinutes: z.number().int().min(0).max(43_200).optional(),
  holdTtlSeconds: z.number().int().min(30).max(3600).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  allowedOrigins: z.array(originSchema).max(50).optional(),
});

export const tenantRouter = router({
  get: secretProcedure.query(({ ctx }) =>
    withTenant(
      depsOf(ctx).pool,
      ctx.tenantId,
      async (client) => ({ ...(await readTenant(client, ctx.tenantId)), allowedOrigins: await readAllowedOrigins(client, ctx.tenantId) }),
      { isolation: 'read committed' },
    ),
  ),
  update: secretProcedure.input(tenantUpdateSchema).mutation(({ ctx, input }) =>
    withTenant(depsOf(ctx).pool, ctx.tenantId, async (client) => {
      await updateTenantSettings(client, ctx.tenantId, input);
      if (input.allowedOrigins) await writeAllowedOrigins(client, ctx.tenantId, input.allowedOrigins);
      return { ...(await readTenant(client, ctx.tenantId)), allowedOrigins: await readAllowedOrigins(client, ctx.tenantId) };
    }),
  ),
  /** Changes one service's settings: today its change deadline ("no changes within N hours of the start"). */
  updateService: secretProcedure
    .input(z.object({ serviceId: z.uuid({ message: 'must be a UUID' }), changeDeadlineHours: changeDeadlineHoursSchema.optional() }))
    .output(serviceSchema)
    .mutation(({ ctx, input }) => updateService(depsOf(ctx).pool, { tenantId: ctx.tenantId, ...input })),
  /** The business's own answers the receptionist answers from (routers/faq.ts). */
  faq: faqRouter,
});
