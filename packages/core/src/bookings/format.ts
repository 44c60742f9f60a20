import { DateTime } from 'luxon';

/** ISO 8601 with the tenant's offset at that instant, e.g. "2026-12-01T10:00:00.000-05:00". */
export function toZonedIso(date: Date, zone: string): string {
  return DateTime.fromJSDate(date, { zone }).toISO()!;
}

/** A compact UTC instant for error messages, "2026-12-01T15:00Z", the same whoever reads it. */
export function toShortUtc(date: Date): string {
  return DateTime.fromJSDate(date, { zone: 'utc' }).toFormat("yyyy-MM-dd'T'HH:mm'Z'");
}
