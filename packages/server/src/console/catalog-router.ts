import {
  createResource,
  createService,
  editResource,
  editService,
  readResourceDateOverrides,
  readStaffCatalog,
  readTenant,
  replaceResourceDateOverrides,
  resourceCreateSchema,
  resourceEditSchema,
  serviceCreateSchema,
  serviceEditSchema,
  setResourceServices,
  withTenant,
} from '@gomomo/core';
import type { PoolClient } from '@gomomo/core';
import { z } from 'zod';
import { depsOf, type OpaqueDeps } from '../trpc/context.js';
import { router } from '../trpc/init.js';
import { ownerProcedure, staffProcedure, type StaffContext } from './auth.js';
import { auditStaffChange } from './staff-store.js';
import { localDate } from './zoned-day.js';

const idSchema = z.uuid({ message: 'must be a UUID' });

/** Today's date in the business's zone: dates before it are history and stay as they were. */
async function todayOf(client: PoolClient, ctx: StaffContext & { deps: OpaqueDeps }): Promise<string> {
  const tenant = await readTenant(client, ctx.tenantId);
  return localDate(depsOf(ctx).clock.now(), tenant.timeZone);
}

/**
 * Runs one catalog change and its audit entry (actor staff, the staff id) in one transaction, so
 * the log never shows a change that did not happen, nor misses one that did.
 */
function changeCatalog<T>(ctx: StaffContext & { deps: OpaqueDeps }, change: { action: string; subjectId?: string; details: Record<string, unknown>; write: (client: PoolClient) => Promise<T> }): Promise<T> {
  const { pool, clock } = depsOf(ctx);
  return withTenant(pool, ctx.tenantId, async (client) => {
    const result = await change.write(client);
    // A create returns the new row's id: that is its subject.
    const subjectId = change.subjectId ?? (typeof result === 'string' ? result : undefined);
    await auditStaffChange(client, { tenantId: ctx.tenantId, actorStaffId: ctx.staffId, action: change.action, ...(subjectId ? { subjectId } : {}), details: change.details, now: clock.now() });
    return result;
  });
}

/**
 * Services, resources, which services each resource does, and each resource's own hours. Any
 * staff member may read them; changes are owner-only. Inputs are onboarding's schemas from core
 * (the ones `admin.createTenant` applies), so a field error names the same field everywhere.
 */
export const consoleCatalogRouter = router({
  list: staffProcedure.query(({ ctx }) =>
    withTenant(depsOf(ctx).pool, ctx.tenantId, (client) => readStaffCatalog(client, { tenantId: ctx.tenantId, now: depsOf(ctx).clock.now() }), { isolation: 'read committed' }),
  ),
  createService: ownerProcedure
    .input(serviceCreateSchema)
    .mutation(async ({ ctx, input }) => ({ id: await changeCatalog(ctx, { action: 'settings.service_create', details: { service: input.name }, write: (client) => createService(client, { tenantId: ctx.tenantId, service: input }) }) })),
  /** Edits a service; `isActive: false` stops offering it (never a delete: its bookings keep it). */
  editService: ownerProcedure.input(serviceEditSchema.extend({ serviceId: idSchema })).mutation(async ({ ctx, input }) => {
    const { serviceId, ...changes } = input;
    await changeCatalog(ctx, { action: 'settings.service_edit', subjectId: serviceId, details: { serviceId, ...changes }, write: (client) => editService(client, { tenantId: ctx.tenantId, serviceId, changes }) });
    return { id: serviceId };
  }),
  createResource: ownerProcedure
    .input(resourceCreateSchema)
    .mutation(async ({ ctx, input }) => ({
      id: await changeCatalog(ctx, { action: 'settings.resource_create', details: { resource: input.name, kind: input.kind }, write: (client) => createResource(client, { tenantId: ctx.tenantId, resource: input }) }),
    })),
  /** Edits a resource; `hours` replaces its own weekly hours (`[]`: the business's hours again). */
  editResource: ownerProcedure.input(resourceEditSchema.extend({ resourceId: idSchema })).mutation(async ({ ctx, input }) => {
    const { resourceId, ...changes } = input;
    const details = { resourceId, ...changes, ...(changes.hours ? { hours: changes.hours.length } : {}) };
    await changeCatalog(ctx, { action: 'settings.resource_edit', subjectId: resourceId, details, write: (client) => editResource(client, { tenantId: ctx.tenantId, resourceId, changes }) });
    return { id: resourceId };
  }),
  /** The services one resource can do (the console's checkboxes). */
  setResourceServices: ownerProcedure.input(z.object({ resourceId: idSchema, serviceIds: z.array(idSchema).max(200) })).mutation(async ({ ctx, input }) => {
    await changeCatalog(ctx, { action: 'settings.resource_services', subjectId: input.resourceId, details: { ...input }, write: (client) => setResourceServices(client, { tenantId: ctx.tenantId, ...input }) });
    return { id: input.resourceId };
  }),
  /** One resource's own closed days and special hours from today (in the business's zone) on. */
  resourceOverrides: staffProcedure.input(z.object({ resourceId: idSchema })).query(({ ctx, input }) =>
    withTenant(
      depsOf(ctx).pool,
      ctx.tenantId,
      async (client) => readResourceDateOverrides(client, { tenantId: ctx.tenantId, resourceId: input.resourceId, fromDate: await todayOf(client, ctx) }),
      { isolation: 'read committed' },
    ),
  ),
  /**
   * Replaces one resource's own closed days and special hours from today on (a staff member's day
   * off): on those days they replace the weekly hours and the business's own dates for that resource.
   * Items are the business's date schema (`date`, `opens`/`closes` or neither, `reason`).
   */
  saveResourceOverrides: ownerProcedure.input(z.object({ resourceId: idSchema, overrides: z.array(z.unknown()).max(500) })).mutation(({ ctx, input }) =>
    changeCatalog(ctx, {
      action: 'settings.resource_overrides',
      subjectId: input.resourceId,
      details: { resourceId: input.resourceId, overrides: input.overrides.length },
      write: async (client) => replaceResourceDateOverrides(client, { tenantId: ctx.tenantId, resourceId: input.resourceId, fromDate: await todayOf(client, ctx), overrides: input.overrides }),
    }),
  ),
});
