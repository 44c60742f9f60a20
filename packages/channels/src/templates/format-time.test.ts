import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { formatLongTime } from './format-time.js';
import type { Locale } from './types.js';

// What formatLongTime wrote before it read Intl itself (issue 15): luxon's long form.
function byLuxon(iso: string, timeZone: string, locale: Locale): string {
  const time = DateTime.fromISO(iso, { zone: timeZone }).setLocale(locale);
  return locale === 'es' ? time.toFormat("cccc d 'de' LLLL 'de' yyyy, HH:mm ZZZZ") : time.toFormat("cccc, LLLL d, yyyy 'at' h:mm a ZZZZ");
}

// Zones with summer time on either hemisphere, half- and quarter-hour offsets, a 30-minute DST
// shift (Lord Howe), zones Intl names by GMT offset, and UTC.
const zones = ['America/New_York', 'America/St_Johns', 'America/Sao_Paulo', 'America/Mexico_City', 'Europe/London', 'Europe/Madrid', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Etc/GMT+5', 'UTC'];
const locales: Locale[] = ['en', 'es'];

describe('formatLongTime, read off Intl once per zone (issue 15)', () => {
  it('writes what luxon wrote, over two years of instants in every zone and locale', () => {
    const differences: string[] = [];
    for (const timeZone of zones) {
      for (const locale of locales) {
        // Every 17 h 7 min across 2025–2026, which comes round to every hour of the day, in both
        // seasons of every zone.
        for (let at = Date.UTC(2025, 0, 1); at < Date.UTC(2027, 0, 1); at += (17 * 60 + 7) * 60_000) {
          const iso = new Date(at).toISOString();
          const written = formatLongTime(iso, timeZone, locale);
          if (written !== byLuxon(iso, timeZone, locale)) differences.push(`${timeZone} ${locale} ${iso}: ${written} ≠ ${byLuxon(iso, timeZone, locale)}`);
        }
      }
    }
    expect(differences.slice(0, 5)).toEqual([]);
  });

  it('writes what luxon wrote on each side of a change of offset', () => {
    // The hour before and after each 2026 change in New York, Madrid, Lord Howe (30 minutes) and São Paulo (none).
    const changes: Array<[string, string]> = [
      ['America/New_York', '2026-03-08T07:00:00Z'],
      ['America/New_York', '2026-11-01T06:00:00Z'],
      ['Europe/Madrid', '2026-03-29T01:00:00Z'],
      ['Europe/Madrid', '2026-10-25T01:00:00Z'],
      ['Australia/Lord_Howe', '2026-04-04T15:00:00Z'],
      ['Australia/Lord_Howe', '2026-10-03T15:30:00Z'],
    ];
    for (const [timeZone, change] of changes) {
      for (let minutes = -60; minutes <= 60; minutes += 15) {
        const iso = new Date(Date.parse(change) + minutes * 60_000).toISOString();
        for (const locale of locales) expect(formatLongTime(iso, timeZone, locale)).toBe(byLuxon(iso, timeZone, locale));
      }
    }
  });

  it('reads an instant with its offset written out, and at midnight and noon', () => {
    expect(formatLongTime('2026-12-01T10:00:00-05:00', 'America/New_York', 'en')).toBe('Tuesday, December 1, 2026 at 10:00 AM EST');
    expect(formatLongTime('2026-12-01T05:00:00.000Z', 'America/New_York', 'en')).toBe('Tuesday, December 1, 2026 at 12:00 AM EST');
    expect(formatLongTime('2026-07-01T12:30:00+02:00', 'Europe/Madrid', 'es')).toBe(byLuxon('2026-07-01T12:30:00+02:00', 'Europe/Madrid', 'es'));
    expect(formatLongTime('2026-07-01T10:30:00Z', 'Europe/Madrid', 'en')).toBe('Wednesday, July 1, 2026 at 12:30 PM GMT+2');
  });

  it('reads a time without an offset in the zone, as before', () => {
    expect(formatLongTime('2026-12-01T10:00', 'America/New_York', 'en')).toBe('Tuesday, December 1, 2026 at 10:00 AM EST');
    expect(formatLongTime('2026-12-01T10:00:00', 'Europe/Madrid', 'es')).toBe(byLuxon('2026-12-01T10:00:00', 'Europe/Madrid', 'es'));
  });

  it('refuses a zone or a time that is not one, as before', () => {
    expect(() => formatLongTime('2026-12-01T10:00:00Z', 'Mars/Olympus_Mons', 'en')).toThrow(RangeError);
    expect(() => formatLongTime('2026-13-01T10:00:00Z', 'America/New_York', 'en')).toThrow(RangeError);
    expect(() => formatLongTime('not a time', 'America/New_York', 'en')).toThrow(RangeError);
  });
});
