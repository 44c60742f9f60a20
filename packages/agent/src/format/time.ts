import { DateTime } from 'luxon';

/** "Tue, Mar 10, 3:30 PM": how a slot reads to a customer, in the tenant's zone. */
export function formatSlotLabel(iso: string, timeZone: string): string {
  return DateTime.fromISO(iso, { setZone: true }).setZone(timeZone).toFormat('ccc, LLL d, h:mm a');
}

/** "Tuesday, March 10": a day in the tenant's zone. */
export function formatDay(isoDate: string, timeZone: string): string {
  return DateTime.fromISO(isoDate, { zone: timeZone }).toFormat('cccc, LLLL d');
}

/** "3:30 PM" from minutes after midnight. */
export function formatMinutes(minutes: number): string {
  return DateTime.fromObject({ hour: Math.floor(minutes / 60) % 24, minute: minutes % 60 }).toFormat('h:mm a');
}

/** Minutes after midnight of an ISO instant in the tenant's zone. */
export function minutesOfDay(iso: string, timeZone: string): number {
  const t = DateTime.fromISO(iso, { setZone: true }).setZone(timeZone);
  return t.hour * 60 + t.minute;
}

/** The calendar day ("2026-03-10") of an ISO instant in the tenant's zone. */
export function dayOf(iso: string, timeZone: string): string {
  return DateTime.fromISO(iso, { setZone: true }).setZone(timeZone).toISODate()!;
}
