import { changeDeadlineHoursSchema, readTenant, updateService, withTenant } from '@gomomo/core';
import { z } from 'zod';
import { originSchema, readAllowedOrigins, writeAllowedOrigins } from '../keys/origins.js';
import { secretProcedure } from '../trpc/auth.js';
import { router } from '../trpc/init.js';
import { depsOf } from '../trpc/context.js';
import { serviceSchema } from './schemas.js';

/** The settings a tenant may change with its own secret key. */
const tenantUpdateSchema = z.object({
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
      await client.query(
        `UPDATE tenants SET name = coalesce($2, name), lookahead_days = coalesce($3, lookahead_days), min_notice_minutes = coalesce($4, min_notice_minutes),
                hold_ttl_seconds = coalesce($5, hold_ttl_seconds), settings = coalesce($6, settings)
          WHERE id = $1`,
        [ctx.tenantId, input.name ?? null, input.lookaheadDays ?? null, input.minNoticeMinutes ?? null, input.holdTtlSeconds ?? null, input.settings ?? null],
      );
      if (input.allowedOrigins) await writeAllowedOrigins(client, ctx.tenantId, input.allowedOrigins);
      return { ...(await readTenant(client, ctx.tenantId)), allowedOrigins: await readAllowedOrigins(client, ctx.tenantId) };
    }),
  ),
  /** Changes one service's settings: today its change deadline ("no changes within N hours of the start"). */
  updateService: secretProcedure
    .input(z.object({ serviceId: z.uuid({ message: 'must be a UUID' }), changeDeadlineHours: changeDeadlineHoursSchema.optional() }))
    .output(serviceSchema)
    .mutation(({ ctx, input }) => updateService(depsOf(ctx).pool, { tenantId: ctx.tenantId, ...input })),
});
