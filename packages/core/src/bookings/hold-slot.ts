import { findBookableResources } from '../availability/bookable.js';
import { loadTenantSchedule } from '../availability/get-availability.js';
import type { TenantHours } from '../availability/hours-cache.js';
import { assertTenantId, inTenantTransaction, withoutTransaction } from '../db/transaction.js';
import type { EngineContext } from '../engine/context.js';
import { BookingError, isBookingError } from '../errors.js';
import { createCatalogCache, type Catalog } from '../tenants/catalog-cache.js';
import { parseInput } from '../validation/parse.js';
import { claimHold, ScheduleChangedError, type ClaimRunner, type HoldClaimRequest, type WonHold } from './hold-claim.js';
import type { Queryable } from './rows.js';
import { holdInputSchema, type HoldData } from './schemas.js';
import type { Hold, HoldInput } from './types.js';

/**
 * Claims a slot for a session for the hold TTL (the tenant's, or `ttlSeconds`). `SLOT_UNAVAILABLE`
 * when the time is not bookable or every candidate resource is taken.
 *
 * One connection and, with the catalog and hours in memory, one statement at READ COMMITTED, its
 * own transaction, entering the tenant itself: one claim per candidate (`hold-claim.ts`), which
 * takes the per-resource lock before it reads the claims — so it sees the previous holder's
 * commit — and releases it as it commits, never across a round trip. The candidates are judged by
 * the hours availability keeps in memory, and the claim checks their version first (migration
 * 0106): if staff changed the hours since, or the hours in memory refuse the time, the hold is
 * judged again by the day's hours read from Postgres (a statement of its own, as every hold did
 * before), so neither a yes nor a no rests on hours that are no longer so. A deadlock (40P01)
 * re-runs the whole hold, a bounded number of times.
 */
export async function holdSlot(ctx: EngineContext, input: HoldInput): Promise<Hold> {
  const data = parseInput(holdInputSchema, input);
  assertTenantId(data.tenantId);
  return withoutTransaction(ctx.pool, async (client) => {
    const inTenant = <T>(work: (c: Queryable) => Promise<T>) => inTenantTransaction(client, data.tenantId, work, 'read committed');
    const runner: ClaimRunner = { statement: client, transaction: inTenant };
    const catalog = ctx.catalog?.get(data.tenantId) ?? (await inTenant((c) => (ctx.catalog ?? createCatalogCache(0)).read(c, data.tenantId)));
    const hours = hoursInMemory(ctx, data.tenantId);
    if (hours) {
      const held = await holdByHours(client, { ctx, data, catalog, hours }, runner);
      if (held) return held;
    }
    const request = await prepareHold(client, { ctx, data, catalog });
    return toHold(request, await claimHold(runner, request));
  });
}

/** The tenant's hours as availability keeps them, if in memory and with a version the claim can check. */
function hoursInMemory(ctx: EngineContext, tenantId: string): TenantHours | undefined {
  const schedule = ctx.hours?.peek(tenantId, () => loadTenantSchedule(ctx, { tenantId, now: ctx.clock.now() }));
  return schedule?.hours.version == null ? undefined : schedule.hours;
}

/**
 * The hold judged by hours from memory; undefined when they refuse the time or changed before the
 * claim (nothing was written), so the caller judges it again by the hours in Postgres.
 */
async function holdByHours(client: Queryable, input: { ctx: EngineContext; data: HoldData; catalog: Catalog; hours: TenantHours }, runner: ClaimRunner): Promise<Hold | undefined> {
  let request: HoldClaimRequest;
  try {
    request = await prepareHold(client, input);
  } catch (error) {
    // The hours in memory refuse the time: Postgres is asked before the customer is told no.
    if (isBookingError(error, 'SLOT_UNAVAILABLE')) return undefined;
    throw error;
  }
  try {
    return toHold(request, await claimHold(runner, request));
  } catch (error) {
    if (error instanceof ScheduleChangedError) return undefined;
    throw error;
  }
}

/** The body of `holdSlot`, inside a transaction the caller opened (tests vary its isolation). */
export async function holdInTransaction(client: Queryable, { ctx, data }: { ctx: EngineContext; data: HoldData }): Promise<Hold> {
  const catalog = await (ctx.catalog ?? createCatalogCache(0)).read(client, data.tenantId);
  const request = await prepareHold(client, { ctx, data, catalog });
  return toHold(request, await claimHold({ statement: client, transaction: (work) => work(client) }, request));
}

/**
 * What the claim needs and no lock protects: the service, and the resources free by the day's hours.
 * Settings and services may come from the catalog cache (a host sets about a second): a service
 * edited within that window can be held with its previous length once, never double-booked,
 * because the claim is checked against the EXCLUDE constraint under the resource's lock.
 */
async function prepareHold(client: Queryable, { ctx, data, catalog, hours }: { ctx: EngineContext; data: HoldData; catalog: Catalog; hours?: TenantHours }): Promise<HoldClaimRequest> {
  const { tenant, services } = catalog;
  const service = services.find((s) => s.id === data.serviceId);
  if (!service) throw new BookingError('NOT_FOUND', `Service ${data.serviceId} does not exist`, { field: 'serviceId' });
  const now = ctx.clock.now();
  const candidates = await findBookableResources(client, { tenant, service, start: data.start, resourceId: data.resourceId, now, hours });
  const expiresAt = new Date(now.getTime() + (data.ttlSeconds ?? tenant.holdTtlSeconds) * 1000);
  return { tenant, service, candidates, start: data.start, now, sessionId: data.sessionId, expiresAt, scheduleVersion: hours?.version ?? null };
}

function toHold(request: HoldClaimRequest, won: WonHold): Hold {
  return {
    id: won.holdId,
    tenantId: request.tenant.id,
    serviceId: request.service.id,
    resourceId: won.resourceId,
    sessionId: request.sessionId,
    start: won.local.start,
    end: won.local.end,
    expiresAt: won.local.expiresAt,
    status: 'active',
  };
}
