import { DateTime } from 'luxon';
import { z } from 'zod';
import { withTenant } from '../db/transaction.js';
import type { EngineContext } from '../engine/context.js';
import { BookingError } from '../errors.js';
import { mergeBusyMaps } from '../external-busy/merge.js';
import { readExternalBusy } from '../external-busy/store.js';
import { createCatalogCache } from '../tenants/catalog-cache.js';
import { isYearInRange, parseInput, uuidSchema } from '../validation/parse.js';
import { computeSlots } from './compute-slots.js';
import { loadSchedule } from './load-schedule.js';
import type { Availability, AvailabilityQuery } from './types.js';

/** The widest window one query may ask for; the tenant's lookahead usually cuts it shorter. */
export const maxQueryDays = 62;

// Years outside 1900-9999 are refused: luxon accepts ±275,760 years, and a day added to its last
// one is NaN, which used to travel on to Postgres as an invalid timestamp (a 500).
const boundSchema = z
  .string()
  .max(40)
  .refine((value) => DateTime.fromISO(value).isValid, { message: 'must be a date like 2026-12-01 or an ISO 8601 instant' })
  .refine((value) => isYearInRange(DateTime.fromISO(value, { zone: 'UTC' }).year), { message: 'must be a date between the years 1900 and 9999' });

const querySchema = z.object({
  tenantId: uuidSchema,
  serviceId: uuidSchema,
  from: boundSchema,
  to: boundSchema,
  resourceId: uuidSchema.optional(),
});

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Turns a query bound into an instant. A date means a whole local day in the tenant's zone, so
 * `to: "2026-12-03"` includes the 3rd; an instant is taken as given (and `to` is exclusive).
 */
export function resolveBound(value: string, zone: string, edge: 'from' | 'to'): number {
  if (dateOnly.test(value)) {
    const day = DateTime.fromISO(value, { zone }).startOf('day');
    return checkedMillis((edge === 'from' ? day : day.plus({ days: 1 })).toMillis(), edge);
  }
  return checkedMillis(DateTime.fromISO(value, { zone }).toMillis(), edge);
}

function checkedMillis(millis: number, edge: 'from' | 'to'): number {
  if (!Number.isFinite(millis)) throw new BookingError('VALIDATION', `${edge}: is not a representable date`, { field: edge });
  return millis;
}

/** Open slots of a service over a date range, in the tenant's zone, per resource or "any". */
export async function getAvailability(ctx: EngineContext, query: AvailabilityQuery): Promise<Availability> {
  const input = parseInput(querySchema, query);
  return withTenant(
    ctx.pool,
    input.tenantId,
    async (client) => {
      const { tenant, services } = await (ctx.catalog ?? createCatalogCache(0)).read(client, input.tenantId);
      const service = services.find((s) => s.id === input.serviceId);
      if (!service) throw new BookingError('NOT_FOUND', `Service ${input.serviceId} does not exist`, { field: 'serviceId' });
      const from = resolveBound(input.from, tenant.timeZone, 'from');
      const to = resolveBound(input.to, tenant.timeZone, 'to');
      if (to <= from) throw new BookingError('VALIDATION', `to: must be after from (${input.from} → ${input.to})`, { field: 'to' });
      if (to - from > maxQueryDays * 86_400_000) {
        throw new BookingError('VALIDATION', `to: a query may span at most ${maxQueryDays} days`, { field: 'to' });
      }
      // Busy claims are read with the buffers' reach on both sides of the window.
      const reach = (service.bufferBeforeMinutes + service.bufferAfterMinutes + service.durationMinutes) * 60_000;
      const now = ctx.clock.now();
      const range = { start: from - reach, end: to + reach };
      const schedule = await loadSchedule(client, { tenant, service, resourceId: input.resourceId, range, now, withoutBusy: ctx.busyIndex !== undefined });
      if (ctx.busyIndex) {
        // Hours and overrides still come from the query above (small); busy time from memory.
        // External calendars' blocks change by sync jobs, not domain events, so they are read from
        // their table (one indexed query) and merged in, rather than kept in the index.
        const resourceIds = schedule.resources.map((r) => r.id);
        const [claims, external] = await Promise.all([ctx.busyIndex.read({ tenantId: tenant.id, resourceIds, range, now }), readExternalBusy(client, { tenantId: tenant.id, resourceIds, range })]);
        schedule.busy = mergeBusyMaps(claims, external);
      }
      return { timeZone: tenant.timeZone, serviceId: service.id, slots: computeSlots(schedule, { from, to, now: now.getTime() }) };
    },
    { isolation: 'repeatable read' },
  );
}
