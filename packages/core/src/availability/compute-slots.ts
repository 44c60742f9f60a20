import { DateTime, IANAZone } from 'luxon';
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
 * by luxon in the tenant's zone, so DST days are as long or short as they really are; a time that
 * does not exist (inside a spring-forward gap) moves forward to the first one that does.
 */
export function openingIntervals(schedule: Schedule, resource: ScheduleResource, day: DateTime): Interval[] {
  const date = day.toISODate()!;
  const own = schedule.overrides.filter((o) => o.date === date && o.resourceId === resource.id);
  const tenantWide = schedule.overrides.filter((o) => o.date === date && o.resourceId === null);
  const overrides = own.length > 0 ? own : tenantWide;
  let ranges: { opens: string; closes: string }[];
  if (overrides.length > 0) {
    ranges = overrides.flatMap((o) => (o.opens && o.closes ? [{ opens: o.opens, closes: o.closes }] : []));
  } else {
    const weekly = resource.hours.length > 0 ? resource.hours : schedule.tenantHours;
    ranges = weekly.filter((h) => h.weekday === day.weekday);
  }
  return ranges
    .map((range) => ({ start: atLocalTime(day, range.opens), end: atLocalTime(day, range.closes) }))
    .filter((interval) => interval.end > interval.start)
    .sort((a, b) => a.start - b.start);
}

// Local date + time → instant is pure zone arithmetic, asked for the same few opening times on
// every query; memoising it takes luxon off the hot path. Bounded so it cannot grow without limit.
const localTimeCache = new Map<string, number>();

function atLocalTime(day: DateTime, time: string): number {
  const key = `${day.zoneName}|${day.toISODate()}|${time}`;
  let instant = localTimeCache.get(key);
  if (instant === undefined) {
    const [hour, minuteOfHour] = time.split(':').map(Number) as [number, number];
    instant = day.set({ hour, minute: minuteOfHour, second: 0, millisecond: 0 }).toMillis();
    if (localTimeCache.size >= 50_000) localTimeCache.clear();
    localTimeCache.set(key, instant);
  }
  return instant;
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
  return DateTime.fromMillis(now, { zone: schedule.timeZone }).startOf('day').plus({ days: schedule.lookaheadDays + 1 }).toMillis();
}

/**
 * Open slots of one service in a window: for each local day and candidate resource, step through
 * each opening interval on the slot grid (anchored at the opening time), keep starts whose
 * appointment fits before closing, respects minimum notice and lookahead, and whose buffered range
 * overlaps no busy claim. A slot lists every resource free for it. Pure: no I/O, no clock.
 */
export function computeSlots(schedule: Schedule, window: SlotWindow): Slot[] {
  const { durationMinutes, bufferBeforeMinutes, bufferAfterMinutes } = schedule.service;
  const step = schedule.slotIntervalMinutes * minute;
  const earliest = Math.max(window.from, window.now + schedule.minNoticeMinutes * minute);
  const latest = Math.min(window.to, lookaheadEnd(schedule, window.now));
  const byStart = new Map<number, string[]>();
  if (earliest >= latest) return [];

  const zone = schedule.timeZone;
  const lastDay = DateTime.fromMillis(latest - 1, { zone }).startOf('day');
  for (let day = DateTime.fromMillis(earliest, { zone }).startOf('day'); day <= lastDay; day = day.plus({ days: 1 })) {
    for (const resource of schedule.resources) {
      const busy = schedule.busy.get(resource.id) ?? [];
      for (const interval of openingIntervals(schedule, resource, day)) {
        for (let start = interval.start; start + durationMinutes * minute <= interval.end; start += step) {
          if (start < earliest) continue;
          if (start >= latest) break;
          const end = start + durationMinutes * minute;
          if (overlapsAny(busy, start - bufferBeforeMinutes * minute, end + bufferAfterMinutes * minute)) continue;
          const free = byStart.get(start);
          if (free) free.push(resource.id);
          else byStart.set(start, [resource.id]);
        }
      }
    }
  }

  const format = createInstantFormatter(zone);
  return [...byStart.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, resourceIds]) => ({ start: format(start), end: format(start + durationMinutes * minute), resourceIds }));
}

/** ISO 8601 with the zone's offset at that instant, e.g. "2026-12-01T09:00:00.000-05:00". */
export function formatInstant(epochMs: number, zone: string): string {
  return DateTime.fromMillis(epochMs, { zone }).toISO()!;
}

const day = 86_400_000;

/**
 * A faster `formatInstant` for many instants in one zone, with identical output. Asking the zone
 * for its offset is the expensive part, so it is asked twice per UTC day; only a day whose offset
 * changes (a DST transition) is asked per instant.
 */
export function createInstantFormatter(zone: string): (epochMs: number) => string {
  if (zone === 'UTC') return (epochMs) => formatInstant(epochMs, zone);
  const ianaZone = IANAZone.create(zone);
  const dayOffsets = new Map<number, number | null>();
  return (epochMs) => {
    const dayIndex = Math.floor(epochMs / day);
    let offset = dayOffsets.get(dayIndex);
    if (offset === undefined) {
      const first = ianaZone.offset(dayIndex * day);
      offset = first === ianaZone.offset((dayIndex + 1) * day - 1) ? first : null;
      dayOffsets.set(dayIndex, offset);
    }
    return withOffset(epochMs, offset ?? ianaZone.offset(epochMs));
  };
}

function withOffset(epochMs: number, offsetMinutes: number): string {
  const local = new Date(epochMs + offsetMinutes * 60_000).toISOString().slice(0, 23);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
