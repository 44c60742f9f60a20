import { DateTime } from 'luxon';
import { atLocalTime, formatInZone, localDayAt, localDayOf, type LocalDay } from './zone-calendar.js';
import type { Slot } from './types.js';

/** Wall-clock opening hours: ISO weekday (1 = Monday) and "HH:mm" times in the tenant's zone. */
export interface WeeklyHours {
  weekday: number;
  opens: string;
  closes: string;
}

/** A date with different hours for the whole tenant (resourceId null) or one resource; null times = closed. */
export interface DateOverride {
  date: string;
  resourceId: string | null;
  opens: string | null;
  closes: string | null;
}

/** A half-open interval [start, end) in epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

export interface ScheduleResource {
  id: string;
  /** The resource's own weekly hours; empty means it follows the tenant's. */
  hours: WeeklyHours[];
}

/** Everything availability depends on, already read from the database. */
export interface Schedule {
  timeZone: string;
  slotIntervalMinutes: number;
  minNoticeMinutes: number;
  lookaheadDays: number;
  service: { durationMinutes: number; bufferBeforeMinutes: number; bufferAfterMinutes: number };
  /** Candidate resources in preference order. */
  resources: ScheduleResource[];
  tenantHours: WeeklyHours[];
  overrides: DateOverride[];
  /** Active claims (appointments and live holds, buffers included) per resource, sorted by start. */
  busy: Map<string, Interval[]>;
}

export interface SlotWindow {
  /** Only slots starting at or after this instant… */
  from: number;
  /** …and before this one. */
  to: number;
  now: number;
}

const minute = 60_000;

/**
 * The bookable instants of a local date for one resource, as opening intervals in epoch ms.
 * Precedence: the resource's own override for the date, then the tenant's override, then the
 * resource's weekly hours, then the tenant's weekly hours. Local times are turned into instants
 * in the tenant's zone, so DST days are as long or short as they really are; a time that does not
 * exist (inside a spring-forward gap) moves forward to the first one that does.
 */
export function openingIntervals(schedule: Schedule, resource: ScheduleResource, day: DateTime | LocalDay): Interval[] {
  const local = day instanceof DateTime ? localDayOf(schedule.timeZone, day.toMillis()) : day;
  const own = schedule.overrides.filter((o) => o.date === local.date && o.resourceId === resource.id);
  const overrides = own.length > 0 ? own : schedule.overrides.filter((o) => o.date === local.date && o.resourceId === null);
  let ranges: { opens: string; closes: string }[];
  if (overrides.length > 0) {
    ranges = overrides.flatMap((o) => (o.opens && o.closes ? [{ opens: o.opens, closes: o.closes }] : []));
  } else {
    const weekly = resource.hours.length > 0 ? resource.hours : schedule.tenantHours;
    ranges = weekly.filter((h) => h.weekday === local.weekday);
  }
  const intervals: Interval[] = [];
  for (const range of ranges) {
    const interval = { start: atLocalTime(local, range.opens), end: atLocalTime(local, range.closes) };
    if (interval.end > interval.start) intervals.push(interval);
  }
  return intervals.length > 1 ? intervals.sort((x, y) => x.start - y.start) : intervals;
}

/** True when [start, end) overlaps any interval of the sorted list (binary search). */
export function overlapsAny(sorted: Interval[], start: number, end: number): boolean {
  let low = 0;
  let high = sorted.length;
  // First interval whose end is after `start`; intervals before it cannot overlap.
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]!.end <= start) low = mid + 1;
    else high = mid;
  }
  for (let i = low; i < sorted.length && sorted[i]!.start < end; i++) {
    if (sorted[i]!.end > start) return true;
  }
  return false;
}

/** The latest start the tenant accepts: through the end of the local day `lookaheadDays` from today. */
export function lookaheadEnd(schedule: Schedule, now: number): number {
  const today = localDayOf(schedule.timeZone, now);
  return localDayAt(schedule.timeZone, today.index + schedule.lookaheadDays + 1).start;
}

/**
 * Open slots of one service in a window: for each local day and candidate resource, step through
 * each opening interval on the slot grid (anchored at the opening time), keep starts whose
 * appointment fits before closing, respects minimum notice and lookahead, and whose buffered range
 * overlaps no busy claim. A slot lists every resource free for it. Pure: no I/O, no clock.
 * Zone arithmetic and formatting come from per-process memos (zone-calendar.ts), so the cost grows
 * with the slots returned.
 */
export function computeSlots(schedule: Schedule, window: SlotWindow): Slot[] {
  const { durationMinutes, bufferBeforeMinutes, bufferAfterMinutes } = schedule.service;
  const step = schedule.slotIntervalMinutes * minute;
  const duration = durationMinutes * minute;
  const before = bufferBeforeMinutes * minute;
  const after = bufferAfterMinutes * minute;
  const earliest = Math.max(window.from, window.now + schedule.minNoticeMinutes * minute);
  const latest = Math.min(window.to, lookaheadEnd(schedule, window.now));
  if (earliest >= latest) return [];

  const zone = schedule.timeZone;
  const firstDay = localDayOf(zone, earliest);
  const lastDay = localDayOf(zone, latest - 1).index;
  // Keyed by whole minutes since the first day began: small integers hash faster than epoch ms.
  const base = firstDay.start;
  const byStart = new Map<number, string[]>();
  for (let index = firstDay.index; index <= lastDay; index++) {
    const day = localDayAt(zone, index);
    for (const resource of schedule.resources) {
      const busy = schedule.busy.get(resource.id) ?? [];
      for (const interval of openingIntervals(schedule, resource, day)) {
        for (let start = interval.start; start + duration <= interval.end; start += step) {
          if (start < earliest) continue;
          if (start >= latest) break;
          if (overlapsAny(busy, start - before, start + duration + after)) continue;
          const key = (start - base) / minute;
          const free = byStart.get(key);
          if (free) free.push(resource.id);
          else byStart.set(key, [resource.id]);
        }
      }
    }
  }

  const keys = [...byStart.keys()].sort((x, y) => x - y);
  const slots: Slot[] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const start = base + keys[i]! * minute;
    slots[i] = { start: formatInZone(start, zone), end: formatInZone(start + duration, zone), resourceIds: byStart.get(keys[i]!)! };
  }
  return slots;
}

/**
 * ISO 8601 with the zone's offset for many instants in one zone, exactly as luxon's `toISO()`:
 * offsets are asked per UTC day (per instant only on a day whose offset changes) and answers are
 * memoised (`formatInZone`; one-off instants: `isoInZone`).
 */
export function createInstantFormatter(zone: string): (epochMs: number) => string {
  return (epochMs) => formatInZone(epochMs, zone);
}
