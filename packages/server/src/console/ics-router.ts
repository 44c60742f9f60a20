import { addIcsImport, createIcsSubscription, listIcsImports, listIcsSubscriptions, refreshIcsImport, removeIcsImport, revokeIcsSubscription } from '@gomomo/channels';
import { BookingError, withTenant } from '@gomomo/core';
import { ServerError } from '../errors/server-error.js';
import { depsOf, type OpaqueDeps, type ServerDeps } from '../trpc/context.js';
import { router } from '../trpc/init.js';
import { ownerProcedure, type StaffContext } from './auth.js';
import { icsSchemas, publicIcsImport } from './ics-schemas.js';
import { auditStaffChange } from './staff-store.js';
import type { IcsConsoleOptions } from './calendar-options.js';

/** ICS feeds in the console (plugin option `ics`); unset: the console offers none. */
function requireIcs(deps: ServerDeps): IcsConsoleOptions {
  if (!deps.ics) throw new ServerError('UNAVAILABLE', 'ICS feeds are not set up on this server (GOMOMO_ENCRYPTION_KEYS is needed)');
  return deps.ics;
}

/** Outside feeds' URLs are stored encrypted: without a key none can be added. */
function hasEncryptionKey(ics: IcsConsoleOptions): boolean {
  return ics.keyring.ids.length > 0;
}

function noSuchFeed(id: string): BookingError {
  return new BookingError('NOT_FOUND', `This business has no ICS feed ${id}`, { field: 'id' });
}

/** Audits an ICS change with the owner's id. The feed's URL and token never reach the log. */
async function auditIcsChange(ctx: StaffContext & { deps: OpaqueDeps }, entry: { action: string; subjectId: string; details: Record<string, unknown> }): Promise<void> {
  const { pool, clock } = depsOf(ctx);
  await withTenant(pool, ctx.tenantId, (client) => auditStaffChange(client, { tenantId: ctx.tenantId, actorStaffId: ctx.staffId, ...entry, now: clock.now() }), { isolation: 'read committed' });
}

/**
 * ICS feeds in the console (issue 18 item 4, from the Calendars page): a resource's subscription
 * feed (its URL shown once, then only since when it is active; revocable) and outside ICS URLs read
 * as busy time (only their host shown back, with the last fetch and the error in words). The same
 * channels functions as the hosted app's `/v1/ics/...` routes, with the same input schemas.
 * Owner-only, audited with the owner's id.
 */
export const consoleIcsRouter = router({
  /**
   * Each resource with its feed (`feedActiveSince`, or null) and its outside feeds; `isAvailable`
   * false when the server has no ICS set up, `canImport` false when it has no encryption key.
   */
  list: ownerProcedure.query(async ({ ctx }) => {
    const deps = depsOf(ctx);
    if (!deps.ics) return { isAvailable: false, canImport: false, resources: [] };
    const [resources, subscriptions, imports] = await Promise.all([deps.engine.listResources(ctx.tenantId), listIcsSubscriptions(deps.pool, ctx.tenantId), listIcsImports(deps.pool, ctx.tenantId)]);
    return {
      isAvailable: true,
      canImport: hasEncryptionKey(deps.ics),
      resources: resources.map((resource) => ({
        id: resource.id,
        name: resource.name,
        feedActiveSince: subscriptions.find((s) => s.resourceId === resource.id)?.createdAt.toISOString() ?? null,
        imports: imports.filter((feed) => feed.resourceId === resource.id).map(publicIcsImport),
      })),
    };
  }),
  /** Creates the resource's feed URL, or replaces it (the old URL stops at once). The URL is in this answer only. */
  createFeed: ownerProcedure.input(icsSchemas.resource).mutation(async ({ ctx, input }) => {
    const deps = depsOf(ctx);
    const ics = requireIcs(deps);
    const { token } = await createIcsSubscription(deps.pool, { tenantId: ctx.tenantId, resourceId: input.resourceId });
    await auditIcsChange(ctx, { action: 'calendar.ics_feed_create', subjectId: input.resourceId, details: { resourceId: input.resourceId } });
    return { resourceId: input.resourceId, url: ics.feedUrlOf(token) };
  }),
  /** Revokes the resource's feed URL: it answers 404 from now on. `not_found` when it had none. */
  revokeFeed: ownerProcedure.input(icsSchemas.resource).mutation(async ({ ctx, input }) => {
    const deps = depsOf(ctx);
    requireIcs(deps);
    if (!(await revokeIcsSubscription(deps.pool, { tenantId: ctx.tenantId, resourceId: input.resourceId }))) return { outcome: 'not_found' as const };
    await auditIcsChange(ctx, { action: 'calendar.ics_feed_revoke', subjectId: input.resourceId, details: { resourceId: input.resourceId } });
    return { outcome: 'revoked' as const };
  }),
  /** Adds an outside ICS URL as the resource's busy time; the worker fetches it (or `refreshImport` now). */
  addImport: ownerProcedure.input(icsSchemas.newImport).mutation(async ({ ctx, input }) => {
    const deps = depsOf(ctx);
    const ics = requireIcs(deps);
    // Refused here rather than as the secrets store's 500: a missing key is the operator's setting, not a fault.
    if (!hasEncryptionKey(ics)) throw new ServerError('UNAVAILABLE', 'url: outside ICS feeds need GOMOMO_ENCRYPTION_KEYS on this server (their addresses are stored encrypted)');
    const feed = await addIcsImport({ pool: deps.pool, keyring: ics.keyring, allowLoopback: ics.allowLoopback }, { tenantId: ctx.tenantId, ...input });
    await auditIcsChange(ctx, { action: 'calendar.ics_import_add', subjectId: feed.id, details: { resourceId: input.resourceId, host: feed.host } });
    return publicIcsImport(feed);
  }),
  /**
   * Fetches an outside feed now instead of at the worker's next round, so an owner sees at once
   * whether the URL works. Answers the feed as it now stands.
   */
  refreshImport: ownerProcedure.input(icsSchemas.importId).mutation(async ({ ctx, input }) => {
    const deps = depsOf(ctx);
    const ics = requireIcs(deps);
    const outcome = await refreshIcsImport({ pool: deps.pool, keyring: ics.keyring, allowLoopback: ics.allowLoopback, keepLastGoodMs: ics.keepLastGoodMs }, { tenantId: ctx.tenantId, importId: input.id, now: deps.clock.now() });
    if (outcome.outcome === 'skipped') throw noSuchFeed(input.id);
    const feed = (await listIcsImports(deps.pool, ctx.tenantId)).find((f) => f.id === input.id);
    if (!feed) throw noSuchFeed(input.id);
    return publicIcsImport(feed);
  }),
  /** Removes an outside feed, its stored URL and its busy time. `not_found` when there was none. */
  removeImport: ownerProcedure.input(icsSchemas.importId).mutation(async ({ ctx, input }) => {
    const deps = depsOf(ctx);
    requireIcs(deps);
    if (!(await removeIcsImport(deps.pool, { tenantId: ctx.tenantId, importId: input.id }))) return { outcome: 'not_found' as const };
    await auditIcsChange(ctx, { action: 'calendar.ics_import_remove', subjectId: input.id, details: {} });
    return { outcome: 'removed' as const };
  }),
});
