import type { Queryable } from '../db/pool.js';
import { BookingError } from '../errors.js';
import type { Service, Tenant } from '../tenants/types.js';
import { computeSlots, lookaheadEnd, openingIntervals, type DateOverride, type Interval, type Schedule } from './compute-slots.js';
import { buildSchedule, candidateResources, type RawHours } from './load-schedule.js';
import type { TenantHours } from './hours-cache.js';
import { isoInZone, localDayAt, localDayOf } from './zone-calendar.js';

export interface BookableCheck {
  tenant: Tenant;
  service: Service;
  start: Date;
  resourceId?: string | undefined;
  now: Date;
  /**
   * The tenant's hours and overrides as availability keeps them in memory; without them the day's
   * are read from Postgres. Only a caller that has the claim check their `version` may pass them.
   */
  hours?: TenantHours | undefined;
}

/**
 * The day's hours and overrides for the candidate resources, without busy time (the claim checks
 * that under its lock): one statement, `gomomo_bookable_hours` (migration 0013), which enters the
 * tenant itself, so it needs no transaction around it — a hold sends it alone — and joins a
 * caller's tenant transaction unchanged.
 */
async function loadBookableDay(client: Queryable, day: { tenant: Tenant; service: Service; resourceId: string | undefined; range: { start: number; end: number } }): Promise<Schedule> {
  const { tenant, service } = day;
  const resourceIds = candidateResources(service, day.resourceId);
  const { rows } = await client.query<{ hours: RawHours[] | null; overrides: DateOverride[] | null }>({
    name: 'gomomo_bookable_hours',
    text: 'SELECT hours, overrides FROM gomomo_bookable_hours($1, $2, $3, $4, $5)',
    values: [tenant.id, resourceIds, new Date(day.range.start), new Date(day.range.end), tenant.timeZone],
  });
  const busy = new Map<string, Interval[]>(resourceIds.map((id) => [id, []]));
  return buildSchedule({ tenant, service, resourceIds, hours: rows[0]!.hours ?? [], overrides: rows[0]!.overrides ?? [], busy });
}

/**
 * Which resources could take an appointment of `service` at `start`, judged by hours, overrides,
 * the slot grid, minimum notice and lookahead — but not by existing claims (the booking
 * transaction checks those under its lock). Returns ids in preference order, or throws
 * `SLOT_UNAVAILABLE` saying why the time is not bookable.
 */
export async function findBookableResources(client: Queryable, check: BookableCheck): Promise<string[]> {
  const { tenant, service } = check;
  const start = check.start.getTime();
  const now = check.now.getTime();
  // Only an error names the time, so it is formatted only then.
  const when = () => isoInZone(start, tenant.timeZone);
  if (start < now + tenant.minNoticeMinutes * 60_000) {
    const notice = tenant.minNoticeMinutes > 0 ? ` or less than ${tenant.minNoticeMinutes} minutes from now` : '';
    throw new BookingError('SLOT_UNAVAILABLE', `${when()} is in the past${notice}`, { field: 'start' });
  }
  const day = localDayOf(tenant.timeZone, start);
  const schedule = check.hours
    ? buildSchedule({ tenant, service, resourceIds: candidateResources(service, check.resourceId), hours: check.hours.hours, overrides: check.hours.overrides, busy: new Map() })
    : await loadBookableDay(client, { tenant, service, resourceId: check.resourceId, range: { start: day.start, end: localDayAt(tenant.timeZone, day.index + 1).start } });
  if (start >= lookaheadEnd(schedule, now)) {
    throw new BookingError('SLOT_UNAVAILABLE', `${when()} is more than ${tenant.lookaheadDays} days ahead`, { field: 'start' });
  }
  const [slot] = computeSlots(schedule, { from: start, to: start + 1, now });
  if (slot) return slot.resourceIds;

  const intervals = schedule.resources.flatMap((resource) => openingIntervals(schedule, resource, day));
  const end = start + service.durationMinutes * 60_000;
  if (intervals.some((i) => start >= i.start && start < i.end)) {
    const fits = intervals.some((i) => start >= i.start && end <= i.end);
    const reason = fits ? `does not start on the ${tenant.slotIntervalMinutes}-minute grid` : `leaves too little time before closing for "${service.name}"`;
    throw new BookingError('SLOT_UNAVAILABLE', `${when()} ${reason}`, { field: 'start' });
  }
  throw new BookingError('SLOT_UNAVAILABLE', `${when()} is outside opening hours`, { field: 'start' });
}
