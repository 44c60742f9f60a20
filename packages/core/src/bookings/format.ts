import { DateTime } from 'luxon';
import { isoInZone } from '../availability/zone-calendar.js';

/**
 * ISO 8601 with the tenant's offset at that instant, e.g. "2026-12-01T10:00:00.000-05:00" (luxon's
 * `toISO()`, with the offset from the zone calendar's per-day cache: issue 15, luxon asked Intl on
 * every hold).
 */
export function toZonedIso(date: Date, zone: string): string {
  return isoInZone(date.getTime(), zone);
}

/** A compact UTC instant for error messages, "2026-12-01T15:00Z", the same whoever reads it. */
export function toShortUtc(date: Date): string {
  return DateTime.fromJSDate(date, { zone: 'utc' }).toFormat("yyyy-MM-dd'T'HH:mm'Z'");
}
