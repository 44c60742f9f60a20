import { DateTime } from 'luxon';
import { z } from 'zod';
import { withTenant } from '../db/transaction.js';
import type { EngineContext } from '../engine/context.js';
import { BookingError } from '../errors.js';
import { createCatalogCache, type Catalog } from '../tenants/catalog-cache.js';
import type { Service } from '../tenants/types.js';
import type { BusyIndex } from './busy-index.js';
import { mergeBusyMaps } from '../external-busy/merge.js';
import { readExternalBusy } from '../external-busy/store.js';
import { createHoursCache, readTenantHours, type TenantSchedule } from './hours-cache.js';
import { isYearInRange, parseInput, uuidSchema } from '../validation/parse.js';
import { computeSlots, lookaheadEnd, type Schedule } from './compute-slots.js';
import { localDayAt, localDayOf } from './zone-calendar.js';
import { buildSchedule, candidateResources, loadSchedule } from './load-schedule.js';
import type { Availability, AvailabilityQuery } from './types.js';

/** The widest window one query may ask for; the tenant's lookahead usually cuts it shorter. */
export const maxQueryDays = 62;

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

/** True for a "YYYY-MM-DD" that is a real calendar date (not 2026-02-30). */
function isCalendarDate(value: string): boolean {
  const millis = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(millis) && new Date(millis).toISOString().startsWith(value);
}

// Bounds are checked on every query: a plain date, the usual case, without luxon, whose four
// parses per query showed in the profile at 50 concurrent customers (issue 15).
const isValidBound = (value: string) => (dateOnly.test(value) ? isCalendarDate(value) : DateTime.fromISO(value).isValid);
const yearOfBound = (value: string) => (dateOnly.test(value) ? (isCalendarDate(value) ? Number(value.slice(0, 4)) : Number.NaN) : DateTime.fromISO(value, { zone: 'UTC' }).year);

// Years outside 1900-9999 are refused: luxon accepts ±275,760 years, and a day added to its last
// one is NaN, which used to travel on to Postgres as an invalid timestamp (a 500).
const boundSchema = z
  .string()
  .max(40)
  .refine(isValidBound, { message: 'must be a date like 2026-12-01 or an ISO 8601 instant' })
  .refine((value) => isYearInRange(yearOfBound(value)), { message: 'must be a date between the years 1900 and 9999' });

const querySchema = z.object({
  tenantId: uuidSchema,
  serviceId: uuidSchema,
  from: boundSchema,
  to: boundSchema,
  resourceId: uuidSchema.optional(),
});

/**
 * Turns a query bound into an instant. A date means a whole local day in the tenant's zone, so
 * `to: "2026-12-03"` includes the 3rd; an instant is taken as given (and `to` is exclusive).
 */
export function resolveBound(value: string, zone: string, edge: 'from' | 'to'): number {
  // A date is a local day: its start (or the next day's) comes from the memoised zone calendar.
  if (dateOnly.test(value) && isCalendarDate(value)) {
    const index = Math.round(Date.parse(`${value}T00:00:00Z`) / 86_400_000);
    return checkedMillis(localDayAt(zone, edge === 'from' ? index : index + 1).start, edge);
  }
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

interface ParsedQuery {
  tenantId: string;
  serviceId: string;
  from: string;
  to: string;
  resourceId?: string | undefined;
}

/** The service asked for and the window in epoch ms, checked against the tenant's zone and the widest query. */
function resolveQuery(catalog: Catalog, input: ParsedQuery): { service: Service; from: number; to: number; reach: number } {
  const { tenant, services } = catalog;
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
  return { service, from, to, reach };
}

/** How far ahead connected calendars' busy blocks are kept in memory with the hours (400 days). */
const externalBusyReachMs = 400 * 86_400_000;

/** The external busy blocks of these resources that overlap the range. */
function externalWithin(external: Map<string, { start: number; end: number }[]> | undefined, resourceIds: string[], range: { start: number; end: number }): Map<string, { start: number; end: number }[]> {
  const within = new Map<string, { start: number; end: number }[]>();
  if (!external || external.size === 0) return within;
  for (const id of resourceIds) {
    const blocks = external.get(id)?.filter((b) => b.start < range.end && b.end > range.start);
    if (blocks && blocks.length > 0) within.set(id, blocks);
  }
  return within;
}

/** Open slots of a service over a date range, in the tenant's zone, per resource or "any". */
export async function getAvailability(ctx: EngineContext, query: AvailabilityQuery): Promise<Availability> {
  const input = parseInput(querySchema, query);
  if (ctx.busyIndex) return availabilityFromMemory(ctx, ctx.busyIndex, input);
  return withTenant(
    ctx.pool,
    input.tenantId,
    async (client) => {
      const catalog = await (ctx.catalog ?? createCatalogCache(0)).read(client, input.tenantId);
      const { service, from, to, reach } = resolveQuery(catalog, input);
      const now = ctx.clock.now();
      const range = { start: from - reach, end: to + reach };
      const schedule = await loadSchedule(client, { tenant: catalog.tenant, service, resourceId: input.resourceId, range, now });
      return { timeZone: catalog.tenant.timeZone, serviceId: service.id, slots: computeSlots(schedule, { from, to, now: now.getTime() }) };
    },
    { isolation: 'repeatable read' },
  );
}

/** The tenant's catalog, hours and connected calendars' busy blocks, in one short transaction. */
export function loadTenantSchedule(ctx: EngineContext, input: { tenantId: string; now: Date }): Promise<TenantSchedule> {
  const { tenantId, now } = input;
  const catalogCache = ctx.catalog ?? createCatalogCache(0);
  return withTenant(
    ctx.pool,
    tenantId,
    async (client) => {
      const read = await catalogCache.read(client, tenantId);
      const hours = await readTenantHours(client, { tenantId, timeZone: read.tenant.timeZone, now });
      // Connected calendars' busy blocks change by sync jobs, not domain events, so they are not in
      // the index: they are read with the hours (one indexed query) and share their freshness.
      const resourceIds = [...new Set(read.services.flatMap((s) => s.resourceIds))];
      const externalBusy = await readExternalBusy(client, { tenantId, resourceIds, range: { start: now.getTime() - 86_400_000, end: now.getTime() + externalBusyReachMs } });
      return { catalog: read, hours, externalBusy };
    },
    { isolation: 'read committed' },
  );
}

/**
 * Availability with busy time from the index (issue 15). When the tenant's catalog and hours are
 * cached too, the answer comes from memory with no database round trip and no transaction at all;
 * otherwise one short transaction reads them. The hold still decides in Postgres.
 *
 * The same question asked again gets the same answer object for as long as nothing it depends on
 * has changed — the index version (every booking, hold, release, cancel), the schedule (settings,
 * services, hours, overrides, connected calendars) and time (`answerExpiry`) — so the server can
 * send the bytes it serialised for it before.
 */
async function availabilityFromMemory(ctx: EngineContext, index: BusyIndex, input: ParsedQuery): Promise<Availability> {
  const now = ctx.clock.now();
  const schedule = await (ctx.hours ?? createHoursCache(0)).read(input.tenantId, () => loadTenantSchedule(ctx, { tenantId: input.tenantId, now }));
  // The version is read before the busy time: an event applied meanwhile makes the entry unusable, never wrongly fresh.
  const version = index.versionOf(input.tenantId);
  const stamp = version === undefined ? undefined : { version, schedule };
  const key = `${input.tenantId}|${input.serviceId}|${input.resourceId ?? ''}|${input.from}|${input.to}`;
  const reused = stamp ? ctx.answers?.get(key, stamp, now.getTime()) : undefined;
  if (reused) return reused;
  const { catalog, hours, externalBusy } = schedule;
  const { tenant } = catalog;
  const { service, from, to, reach } = resolveQuery(catalog, input);
  const resourceIds = candidateResources(service, input.resourceId);
  const range = { start: from - reach, end: to + reach };
  const busy = mergeBusyMaps(await index.read({ tenantId: tenant.id, resourceIds, range, now }), externalWithin(externalBusy, resourceIds, range));
  const built = buildSchedule({ tenant, service, resourceIds, hours: hours.hours, overrides: hours.overrides, busy });
  const answer = { timeZone: tenant.timeZone, serviceId: service.id, slots: computeSlots(built, { from, to, now: now.getTime() }) };
  if (stamp && ctx.answers) {
    const nextLapse = index.nextLapse({ tenantId: tenant.id, resourceIds, range, now });
    ctx.answers.set(key, { stamp, expiresAt: answerExpiry({ schedule: built, answer, to, now: now.getTime(), nextLapse }), answer });
  }
  return answer;
}

/**
 * The first instant (engine clock, epoch ms) at which time alone may change `answer`; it is exact
 * before it. With busy time and schedule unchanged, the passing of time changes availability in
 * three ways only: slots drop from the front as they come within the minimum notice (the first
 * one offered is the first to go), the lookahead reaches one more day at each local midnight (when
 * it cuts the window short), and a hold counted as busy lapses (`nextLapse`).
 */
function answerExpiry(input: { schedule: Schedule; answer: Availability; to: number; now: number; nextLapse: number }): number {
  const { schedule, answer, to, now, nextLapse } = input;
  const first = answer.slots[0];
  // A slot is offered while start >= now + notice, so the first one stays exact through start - notice.
  const firstTooSoon = first ? Date.parse(first.start) - schedule.minNoticeMinutes * 60_000 + 1 : Infinity;
  const zone = schedule.timeZone;
  const lookaheadGrows = lookaheadEnd(schedule, now) < to ? localDayAt(zone, localDayOf(zone, now).index + 1).start : Infinity;
  return Math.min(firstTooSoon, lookaheadGrows, nextLapse);
}
