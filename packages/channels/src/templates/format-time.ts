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
  const parts = instantWithOffset.test(iso) ? longParts(Date.parse(iso), timeZone, locale) : undefined;
  if (parts) {
    const { weekday, month, day, year, hour, minute, zone } = parts;
    return locale === 'es'
      ? `${weekday} ${day} de ${month} de ${year}, ${twoDigits(hour)}:${twoDigits(minute)} ${zone}`
      : `${weekday}, ${month} ${day}, ${year} at ${hour % 12 || 12}:${twoDigits(minute)} ${hour < 12 ? 'AM' : 'PM'} ${zone}`;
  }
  const time = toZoned(iso, timeZone, locale);
  return locale === 'es'
    ? time.toFormat("cccc d 'de' LLLL 'de' yyyy, HH:mm ZZZZ")
    : time.toFormat("cccc, LLLL d, yyyy 'at' h:mm a ZZZZ");
}

// The long form, read straight off Intl with one formatter per zone and locale (issue 15: luxon's
// `ZZZZ` looked the zone up afresh on every call, 150–200 µs an email). Only for an instant with
// its offset written out; a local time is read in the zone by luxon, below. Tests compare the two
// over zones, seasons and both locales.
const instantWithOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const twoDigits = (value: number) => String(value).padStart(2, '0');
const longFormatters = new Map<string, Intl.DateTimeFormat | null>();

function longParts(epochMs: number, timeZone: string, locale: Locale) {
  if (!Number.isFinite(epochMs)) return undefined;
  const key = `${locale} ${timeZone}`;
  let formatter = longFormatters.get(key);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23', timeZoneName: 'short' });
    } catch {
      formatter = null; // not a zone Intl knows: luxon's path says so
    }
    // Bounded: the zones in use are the tenants' own, a few; an unknown zone is remembered as null.
    if (longFormatters.size < 500) longFormatters.set(key, formatter);
  }
  if (!formatter) return undefined;
  const found: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatter.formatToParts(epochMs)) found[part.type] = part.value;
  const { weekday, month, day, year, hour, minute, timeZoneName: zone } = found;
  if (!weekday || !month || !day || !year || !hour || !minute || !zone || !/^\d+$/.test(year)) return undefined;
  return { weekday, month, day: Number(day), year: Number(year), hour: Number(hour) % 24, minute: Number(minute), zone };
}

/** Just the clock time, for "held until 3:15 PM". */
export function formatClock(iso: string, timeZone: string, locale: Locale): string {
  const time = toZoned(iso, timeZone, locale);
  return locale === 'es' ? time.toFormat('HH:mm') : time.toFormat('h:mm a');
}
