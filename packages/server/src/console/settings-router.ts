import { changeDeadlineHoursSchema, readDateOverrides, readOpeningHours, readTenant, replaceDateOverrides, replaceOpeningHours, updateService, updateTenantSettings, withTenant } from '@gomomo/core';
import { addPhoneNumber, listPhoneNumbers } from '@gomomo/channels';
import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey } from '../keys/keys.js';
import { originSchema, readAllowedOrigins, writeAllowedOrigins } from '../keys/origins.js';
import { tenantUpdateSchema } from '../routers/tenant.js';
import { depsOf } from '../trpc/context.js';
import { router } from '../trpc/init.js';
import { ownerProcedure, staffProcedure } from './auth.js';
import { roleSchema } from './auth-router.js';
import { updateStaff, listStaff } from './staff-members.js';
import { auditStaffChange } from './staff-store.js';
import { localDate } from './zoned-day.js';
import { BookingError } from '@gomomo/core';

/**
 * The business's settings as the console edits them. Reads are for any staff member; every change
 * is owner-only, validated by the same schemas as the API and onboarding (so a field error names
 * the same field), written in one transaction with its audit entry (actor staff, the staff id).
 */
export const consoleSettingsRouter = router({
  get: staffProcedure.query(({ ctx }) => {
    const { pool, engine, clock } = depsOf(ctx);
    return withTenant(
      pool,
      ctx.tenantId,
      async (client) => {
        const tenant = await readTenant(client, ctx.tenantId);
        // One connection runs one query at a time (pg), so the reads on `client` go in turn.
        const hours = await readOpeningHours(client, ctx.tenantId);
        const overrides = await readDateOverrides(client, ctx.tenantId, localDate(clock.now(), tenant.timeZone));
        const allowedOrigins = await readAllowedOrigins(client, ctx.tenantId);
        const [services, resources] = await Promise.all([engine.listServices(ctx.tenantId), engine.listResources(ctx.tenantId)]);
        return {
          name: tenant.name,
          timeZone: tenant.timeZone,
          lookaheadDays: tenant.lookaheadDays,
          minNoticeMinutes: tenant.minNoticeMinutes,
          holdTtlSeconds: tenant.holdTtlSeconds,
          hours,
          overrides,
          allowedOrigins,
          services: services.map((s) => ({ id: s.id, name: s.name, durationMinutes: s.durationMinutes, bufferBeforeMinutes: s.bufferBeforeMinutes, bufferAfterMinutes: s.bufferAfterMinutes, changeDeadlineHours: s.changeDeadlineHours, resourceIds: s.resourceIds })),
          resources: resources.map((r) => ({ id: r.id, name: r.name })),
        };
      },
      { isolation: 'read committed' },
    );
  }),
  /** Weekly opening hours of the business, replaced as a whole. */
  saveHours: ownerProcedure.input(z.object({ hours: z.array(z.unknown()).max(50) })).mutation(({ ctx, input }) =>
    withTenant(
      depsOf(ctx).pool,
      ctx.tenantId,
      async (client) => {
        const hours = await replaceOpeningHours(client, ctx.tenantId, input.hours);
        await auditStaffChange(client, { tenantId: ctx.tenantId, actorStaffId: ctx.staffId, action: 'settings.hours', details: { intervals: hours.length }, now: depsOf(ctx).clock.now() });
        return hours;
      },
      { isolation: 'read committed' },
    ),
  ),
  /** Closed days and special hours from today on, replaced as a whole. */
  saveOverrides: ownerProcedure.input(z.object({ overrides: z.array(z.unknown()).max(500) })).mutation(({ ctx, input }) =>
    withTenant(
      depsOf(ctx).pool,
      ctx.tenantId,
      async (client) => {
        const tenant = await readTenant(client, ctx.tenantId);
        const overrides = await replaceDateOverrides(client, { tenantId: ctx.tenantId, fromDate: localDate(depsOf(ctx).clock.now(), tenant.timeZone), overrides: input.overrides });
        await auditStaffChange(client, { tenantId: ctx.tenantId, actorStaffId: ctx.staffId, action: 'settings.overrides', details: { overrides: overrides.length }, now: depsOf(ctx).clock.now() });
        return overrides;
      },
      { isolation: 'read committed' },
    ),
  ),
  /** Notice, lookahead and hold time: the API's own `tenant.update` schema. */
  saveBooking: ownerProcedure.input(tenantUpdateSchema.pick({ lookaheadDays: true, minNoticeMinutes: true, holdTtlSeconds: true })).mutation(({ ctx, input }) =>
    withTenant(
      depsOf(ctx).pool,
      ctx.tenantId,
      async (client) => {
        await updateTenantSettings(client, ctx.tenantId, input);
        await auditStaffChange(client, { tenantId: ctx.tenantId, actorStaffId: ctx.staffId, action: 'settings.booking', details: { ...input }, now: depsOf(ctx).clock.now() });
        return input;
      },
      { isolation: 'read committed' },
    ),
  ),
  /** A service's change deadline ("no changes within N hours of the start"). */
  saveService: ownerProcedure.input(z.object({ serviceId: z.uuid({ message: 'must be a UUID' }), changeDeadlineHours: changeDeadlineHoursSchema })).mutation(async ({ ctx, input }) => {
    const service = await updateService(depsOf(ctx).pool, { tenantId: ctx.tenantId, ...input });
    await withTenant(depsOf(ctx).pool, ctx.tenantId, (client) =>
      auditStaffChange(client, { tenantId: ctx.tenantId, actorStaffId: ctx.staffId, action: 'settings.service', subjectId: input.serviceId, details: { changeDeadlineHours: input.changeDeadlineHours }, now: depsOf(ctx).clock.now() }),
    { isolation: 'read committed' });
    return { id: service.id, changeDeadlineHours: service.changeDeadlineHours };
  }),
  /** Web origins allowed to use the publishable key (the widget). */
  saveOrigins: ownerProcedure.input(z.object({ allowedOrigins: z.array(originSchema).max(50) })).mutation(({ ctx, input }) =>
    withTenant(
      depsOf(ctx).pool,
      ctx.tenantId,
      async (client) => {
        const origins = await writeAllowedOrigins(client, ctx.tenantId, input.allowedOrigins);
        await auditStaffChange(client, { tenantId: ctx.tenantId, actorStaffId: ctx.staffId, action: 'settings.origins', details: { origins }, now: depsOf(ctx).clock.now() });
        // Publishable keys carry their origins in the key cache; drop it so the change applies now.
        depsOf(ctx).keys.forget(ctx.tenantId);
        return origins;
      },
      { isolation: 'read committed' },
    ),
  ),
  keys: ownerProcedure.query(({ ctx }) => listApiKeys(depsOf(ctx).pool, ctx.tenantId)),
  createKey: ownerProcedure.input(z.object({ kind: z.enum(['secret', 'publishable']), name: z.string().trim().max(100).optional() })).mutation(async ({ ctx, input }) => {
    const created = await createApiKey(depsOf(ctx).pool, { tenantId: ctx.tenantId, ...input, now: depsOf(ctx).clock.now() });
    await withTenant(depsOf(ctx).pool, ctx.tenantId, (client) => auditStaffChange(client, { tenantId: ctx.tenantId, actorStaffId: ctx.staffId, action: 'settings.key_create', subjectId: created.id, details: { kind: created.kind }, now: depsOf(ctx).clock.now() }), { isolation: 'read committed' });
    return created;
  }),
  revokeKey: ownerProcedure.input(z.object({ keyId: z.uuid({ message: 'must be a UUID' }) })).mutation(async ({ ctx, input }) => {
    const revoked = await revokeApiKey(depsOf(ctx).pool, { tenantId: ctx.tenantId, keyId: input.keyId, now: depsOf(ctx).clock.now() });
    if (!revoked) throw new BookingError('NOT_FOUND', `keyId: no key ${input.keyId} here`, { field: 'keyId' });
    depsOf(ctx).keys.forget(ctx.tenantId);
    await withTenant(depsOf(ctx).pool, ctx.tenantId, (client) => auditStaffChange(client, { tenantId: ctx.tenantId, actorStaffId: ctx.staffId, action: 'settings.key_revoke', subjectId: input.keyId, now: depsOf(ctx).clock.now() }), { isolation: 'read committed' });
    return revoked;
  }),
  phoneNumbers: ownerProcedure.query(({ ctx }) => listPhoneNumbers(depsOf(ctx).pool, ctx.tenantId)),
  addPhoneNumber: ownerProcedure.input(z.object({ number: z.string().max(32), label: z.string().max(200).optional() })).mutation(async ({ ctx, input }) => {
    const added = await addPhoneNumber(depsOf(ctx).pool, { tenantId: ctx.tenantId, ...input });
    await withTenant(depsOf(ctx).pool, ctx.tenantId, (client) => auditStaffChange(client, { tenantId: ctx.tenantId, actorStaffId: ctx.staffId, action: 'settings.phone_number', details: { label: input.label ?? '' }, now: depsOf(ctx).clock.now() }), { isolation: 'read committed' });
    return added;
  }),
  staff: ownerProcedure.query(({ ctx }) => listStaff(depsOf(ctx).pool, ctx.tenantId)),
  updateStaff: ownerProcedure
    .input(z.object({ staffId: z.uuid({ message: 'must be a UUID' }), role: roleSchema.optional(), isDisabled: z.union([z.literal(true), z.literal(false)]).optional() }))
    .mutation(({ ctx, input }) => updateStaff(depsOf(ctx).pool, { tenantId: ctx.tenantId, actorStaffId: ctx.staffId, ...input, now: depsOf(ctx).clock.now() })),
});
