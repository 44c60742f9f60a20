// The memoised zone arithmetic must answer exactly as luxon does, including on transition days,
// in zones whose DST shift is half an hour (Lord Howe) and where the change happens at midnight
// (Santiago), so a local day can start at 01:00.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { toZonedIso } from '../bookings/format.js';
import { atLocalTime, formatInZone, isoInZone, localDayOf } from './zone-calendar.js';

const zones = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kolkata', 'UTC'];
const hour = 3_600_000;
/** Every 113 minutes through 2026, so every transition day is crossed at odd times. */
const instants = Array.from({ length: Math.floor((365 * 24 * 60) / 113) }, (_, i) => Date.parse('2026-01-01T00:00:00Z') + i * 113 * 60_000);

describe('zone calendar', () => {
  it.each(zones)('formats every instant of 2026 in %s as luxon does', (zone) => {
    for (const ms of instants) expect(formatInZone(ms, zone)).toBe(DateTime.fromMillis(ms, { zone }).toISO());
  });

  it.each(zones)("formats one-off instants in %s, milliseconds and all, as luxon does (a hold's start, an error's time)", (zone) => {
    for (const ms of instants) {
      const odd = ms + 12_345;
      expect(isoInZone(odd, zone)).toBe(DateTime.fromMillis(odd, { zone }).toISO());
      expect(toZonedIso(new Date(odd), zone)).toBe(DateTime.fromJSDate(new Date(odd), { zone }).toISO());
    }
  });

  it.each(zones)("puts every instant of 2026 in %s on luxon's local day, starting when luxon says", (zone) => {
    for (const ms of instants.filter((_, i) => i % 3 === 0)) {
      const day = localDayOf(zone, ms);
      const expected = DateTime.fromMillis(ms, { zone }).startOf('day');
      expect([day.date, day.weekday, day.start]).toEqual([expected.toISODate(), expected.weekday, expected.toMillis()]);
    }
  });

  it.each(zones)('turns wall-clock times into the instants luxon gives in %s, gaps moving forward', (zone) => {
    for (let ms = Date.parse('2026-01-01T12:00:00Z'); ms < Date.parse('2027-01-01T00:00:00Z'); ms += 24 * hour) {
      const day = localDayOf(zone, ms);
      for (const time of ['00:00', '00:30', '02:00', '02:30', '09:00', '23:59']) {
        const [h, m] = time.split(':').map(Number) as [number, number];
        expect(atLocalTime(day, time)).toBe(DateTime.fromISO(day.date, { zone }).set({ hour: h, minute: m }).toMillis());
      }
    }
  });
});
