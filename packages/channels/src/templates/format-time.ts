import { DateTime } from 'luxon';
import type { Locale } from './types.js';

function toZoned(iso: string, timeZone: string, locale: Locale): DateTime {
  const time = DateTime.fromISO(iso, { zone: timeZone });
  if (!time.isValid) throw new RangeError(`Not a valid time: ${iso} in ${timeZone}`);
  return time.setLocale(locale);
}

/** Short form for SMS: "Tue Dec 1, 3:00 PM" / "mar 1 dic, 15:00", in the tenant's zone. */
export function formatShortTime(iso: string, timeZone: string, locale: Locale): string {
  const time = toZoned(iso, timeZone, locale);
  return locale === 'es' ? time.toFormat('ccc d LLL, HH:mm').replace(/\./g, '') : time.toFormat('ccc LLL d, h:mm a');
}

/** Long form for email, with the zone's abbreviation so nobody misreads the hour. */
export function formatLongTime(iso: string, timeZone: string, locale: Locale): string {
  const time = toZoned(iso, timeZone, locale);
  return locale === 'es'
    ? time.toFormat("cccc d 'de' LLLL 'de' yyyy, HH:mm ZZZZ")
    : time.toFormat("cccc, LLLL d, yyyy 'at' h:mm a ZZZZ");
}

/** Just the clock time, for "held until 3:15 PM". */
export function formatClock(iso: string, timeZone: string, locale: Locale): string {
  const time = toZoned(iso, timeZone, locale);
  return locale === 'es' ? time.toFormat('HH:mm') : time.toFormat('h:mm a');
}
