import { DateTime, IANAZone } from 'luxon';

// Zone arithmetic for slot building, memoised per process. Asking a zone for its offset goes
// through Intl and was 11% of an availability request (issue 15); the same few days and opening
// times are asked for on every query, so each answer is computed once by luxon and then reused.
// Every cache is bounded (cleared when full) so a long-lived process cannot grow without end.

const dayMs = 86_400_000;
const maxEntries = 100_000;

/** A local calendar day in a zone. */
export interface LocalDay {
  zone: string;
  /** Days since 1970-01-01 in local time; consecutive days differ by one. */
  index: number;
  /** "2026-12-01". */
  date: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /** The instant the day starts (luxon's `startOf('day')`: a midnight inside a DST gap moves forward). */
  start: number;
  /** `atLocalTime`'s answers for this day, by "HH:mm". */
  times: Map<string, number>;
}

const zones = new Map<string, IANAZone>();
/** Per zone and UTC day: the offset in minutes when it holds the whole day, null on a transition day. */
const dayOffsets = new Map<string, number | null>();
const localDays = new Map<string, LocalDay>();
const formatted = new Map<string, Map<number, string>>();

function remember<K, V>(map: Map<K, V>, key: K, value: V): V {
  if (map.size >= maxEntries) map.clear();
  map.set(key, value);
  return value;
}

function zoneOf(zone: string): IANAZone {
  return zones.get(zone) ?? remember(zones, zone, IANAZone.create(zone));
}

/** The zone's UTC offset in minutes at an instant (as luxon computes it). */
export function offsetAt(zone: string, epochMs: number): number {
  if (zone === 'UTC') return 0;
  const utcDay = Math.floor(epochMs / dayMs);
  const key = `${zone}|${utcDay}`;
  let offset = dayOffsets.get(key);
  if (offset === undefined) {
    const iana = zoneOf(zone);
    const first = iana.offset(utcDay * dayMs);
    offset = remember(dayOffsets, key, first === iana.offset((utcDay + 1) * dayMs - 1) ? first : null);
  }
  return offset ?? zoneOf(zone).offset(epochMs);
}

/** The local day with this index (days since 1970-01-01 in local time). */
export function localDayAt(zone: string, index: number): LocalDay {
  const key = `${zone}|${index}`;
  const cached = localDays.get(key);
  if (cached) return cached;
  const date = new Date(index * dayMs).toISOString().slice(0, 10);
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  return remember(localDays, key, { zone, index, date, weekday: start.weekday, start: start.toMillis(), times: new Map() });
}

/** The local day an instant falls on. */
export function localDayOf(zone: string, epochMs: number): LocalDay {
  return localDayAt(zone, Math.floor((epochMs + offsetAt(zone, epochMs) * 60_000) / dayMs));
}

/**
 * The instant of a wall-clock time ("HH:mm") on a local day; a time inside a spring-forward gap
 * moves forward to the first one that exists (luxon's rule).
 */
export function atLocalTime(day: LocalDay, time: string): number {
  let instant = day.times.get(time);
  if (instant === undefined) {
    const [hour, minuteOfHour] = time.split(':').map(Number) as [number, number];
    instant = remember(day.times, time, DateTime.fromMillis(day.start, { zone: day.zone }).set({ hour, minute: minuteOfHour, second: 0, millisecond: 0 }).toMillis());
  }
  return instant;
}

/** ISO 8601 with the zone's offset at that instant, e.g. "2026-12-01T09:00:00.000-05:00" (luxon's `toISO()`). */
export function formatInZone(epochMs: number, zone: string): string {
  let byInstant = formatted.get(zone);
  if (!byInstant) byInstant = remember(formatted, zone, new Map<number, string>());
  const cached = byInstant.get(epochMs);
  if (cached !== undefined) return cached;
  return remember(byInstant, epochMs, isoInZone(epochMs, zone));
}

/**
 * `formatInZone` without the memo, for one-off instants (a booking's start, an error message): the
 * offset comes from the per-day cache, so Intl is not asked again for a day it answered.
 */
export function isoInZone(epochMs: number, zone: string): string {
  return zone === 'UTC' ? DateTime.fromMillis(epochMs, { zone }).toISO()! : withOffset(epochMs, offsetAt(zone, epochMs));
}

function withOffset(epochMs: number, offsetMinutes: number): string {
  const local = new Date(epochMs + offsetMinutes * 60_000).toISOString().slice(0, 23);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
