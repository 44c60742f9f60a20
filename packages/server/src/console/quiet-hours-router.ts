import { quietHoursSchema, readQuietHours } from '@gomomo/channels';
import { readTenant, updateTenantSettings, withTenant } from '@gomomo/core';
import { depsOf } from '../trpc/context.js';
import { router } from '../trpc/init.js';
import { ownerProcedure, staffProcedure } from './auth.js';
import { auditStaffChange } from './staff-store.js';

/**
 * The tenant's quiet hours: the local window in which reminders, follow-ups and waitlist offers
 * may go out by SMS (channels' outbox holds them otherwise; confirmations go at once). Stored where
 * the sender reads them, `settings.sms.quietHours`, checked by channels' own schema.
 */
export const consoleQuietHoursRouter = router({
  get: staffProcedure.query(async ({ ctx }) => {
    const tenant = await depsOf(ctx).engine.getTenant(ctx.tenantId);
    return readQuietHours(tenant.settings);
  }),
  set: ownerProcedure.input(quietHoursSchema).mutation(({ ctx, input }) =>
    // Serializable (the default): the read-modify-write of `settings` must not lose a concurrent change.
    withTenant(depsOf(ctx).pool, ctx.tenantId, async (client) => {
      const { settings } = await readTenant(client, ctx.tenantId);
      const sms = typeof settings['sms'] === 'object' && settings['sms'] !== null ? (settings['sms'] as Record<string, unknown>) : {};
      await updateTenantSettings(client, ctx.tenantId, { settings: { ...settings, sms: { ...sms, quietHours: input } } });
      await auditStaffChange(client, { tenantId: ctx.tenantId, actorStaffId: ctx.staffId, action: 'settings.quiet_hours', details: { ...input }, now: depsOf(ctx).clock.now() });
      return input;
    }),
  ),
});
