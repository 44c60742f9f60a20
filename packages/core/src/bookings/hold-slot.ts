import { findBookableResources } from '../availability/bookable.js';
import { withTenant } from '../db/transaction.js';
import type { EngineContext } from '../engine/context.js';
import { BookingError } from '../errors.js';
import { createCatalogCache } from '../tenants/catalog-cache.js';
import { parseInput } from '../validation/parse.js';
import { claimHold } from './hold-claim.js';
import type { Queryable } from './rows.js';
import { holdInputSchema, type HoldData } from './schemas.js';
import type { Hold, HoldInput } from './types.js';

/**
 * Claims a slot for a session for the hold TTL (the tenant's, or `ttlSeconds`). `SLOT_UNAVAILABLE`
 * when the time is not bookable or every candidate resource is taken.
 *
 * Runs at READ COMMITTED: the per-resource lock is taken before the claims are read, so each
 * statement after it sees the previous holder's commit (see `hold-claim.ts`); a deadlock between
 * "any resource" holds and reschedules (40P01) still re-runs the transaction, a bounded number of times.
 */
export async function holdSlot(ctx: EngineContext, input: HoldInput): Promise<Hold> {
  const data = parseInput(holdInputSchema, input);
  return withTenant(ctx.pool, data.tenantId, (client) => holdInTransaction(client, { ctx, data }), { isolation: 'read committed' });
}

/** The body of `holdSlot`, inside a transaction the caller opened (tests vary its isolation). */
export async function holdInTransaction(client: Queryable, { ctx, data }: { ctx: EngineContext; data: HoldData }): Promise<Hold> {
  // Settings and services may come from the catalog cache (a host sets about a second): a service
  // edited within that window can be held with its previous length once, never double-booked,
  // because the claim below is checked against the EXCLUDE constraint under the resource's lock.
  const { tenant, services } = await (ctx.catalog ?? createCatalogCache(0)).read(client, data.tenantId);
  const service = services.find((s) => s.id === data.serviceId);
  if (!service) throw new BookingError('NOT_FOUND', `Service ${data.serviceId} does not exist`, { field: 'serviceId' });
  const now = ctx.clock.now();
  const candidates = await findBookableResources(client, { tenant, service, start: data.start, resourceId: data.resourceId, now });
  const expiresAt = new Date(now.getTime() + (data.ttlSeconds ?? tenant.holdTtlSeconds) * 1000);
  const won = await claimHold(client, { tenant, service, candidates, start: data.start, now, sessionId: data.sessionId, expiresAt });
  return {
    id: won.holdId,
    tenantId: tenant.id,
    serviceId: service.id,
    resourceId: won.resourceId,
    sessionId: data.sessionId,
    start: won.local.start,
    end: won.local.end,
    expiresAt: won.local.expiresAt,
    status: 'active',
  };
}
