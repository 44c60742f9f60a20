import { DateTime } from 'luxon';
import type { Queryable } from '../db/pool.js';
import { BookingError } from '../errors.js';
import type { Service, Tenant } from '../tenants/types.js';
import { computeSlots, formatInstant, lookaheadEnd, openingIntervals } from './compute-slots.js';
import { loadSchedule } from './load-schedule.js';

export interface BookableCheck {
  tenant: Tenant;
  service: Service;
  start: Date;
  resourceId?: string | undefined;
  now: Date;
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
  const when = formatInstant(start, tenant.timeZone);
  if (start < now + tenant.minNoticeMinutes * 60_000) {
    const notice = tenant.minNoticeMinutes > 0 ? ` or less than ${tenant.minNoticeMinutes} minutes from now` : '';
    throw new BookingError('SLOT_UNAVAILABLE', `${when} is in the past${notice}`, { field: 'start' });
  }
  const day = DateTime.fromMillis(start, { zone: tenant.timeZone }).startOf('day');
  const schedule = await loadSchedule(client, {
    tenant,
    service,
    resourceId: check.resourceId,
    range: { start: day.toMillis(), end: day.plus({ days: 1 }).toMillis() },
    now: check.now,
    withoutBusy: true,
  });
  if (start >= lookaheadEnd(schedule, now)) {
    throw new BookingError('SLOT_UNAVAILABLE', `${when} is more than ${tenant.lookaheadDays} days ahead`, { field: 'start' });
  }
  const [slot] = computeSlots(schedule, { from: start, to: start + 1, now });
  if (slot) return slot.resourceIds;

  const intervals = schedule.resources.flatMap((resource) => openingIntervals(schedule, resource, day));
  const end = start + service.durationMinutes * 60_000;
  if (intervals.some((i) => start >= i.start && start < i.end)) {
    const fits = intervals.some((i) => start >= i.start && end <= i.end);
    const reason = fits ? `does not start on the ${tenant.slotIntervalMinutes}-minute grid` : `leaves too little time before closing for "${service.name}"`;
    throw new BookingError('SLOT_UNAVAILABLE', `${when} ${reason}`, { field: 'start' });
  }
  throw new BookingError('SLOT_UNAVAILABLE', `${when} is outside opening hours`, { field: 'start' });
}
