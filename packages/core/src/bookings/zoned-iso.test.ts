import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { toZonedIso } from './format.js';

// confirm formats booking.created's local times in SQL (migration 0003); they must read exactly
// as every other time the API returns, which luxon formats (toZonedIso).
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const zones = [
  'UTC',
  'Etc/UTC',
  'Europe/London',
  'America/New_York',
  'America/St_Johns',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
];
const instants = [
  '2026-12-01T15:00:00.000Z',
  '2027-07-04T05:30:00.123Z',
  '2027-03-14T06:59:59.999Z', // one millisecond before New York springs forward
  '2027-03-14T07:00:00.000Z', // New York springs forward
  '2027-11-07T05:30:00.000Z', // inside New York's repeated hour (first pass)
  '2027-11-07T06:30:00.000Z', // inside New York's repeated hour (second pass)
  '2027-04-03T15:00:00.000Z', // Lord Howe's half-hour DST ends
  '2027-10-02T15:30:00.000Z', // Lord Howe's half-hour DST starts
];

describe('gomomo_zoned_iso', () => {
  it.each(zones)('formats instants in %s exactly as toZonedIso does', async (zone) => {
    const { rows } = await db.pool.query<{ iso: string }>('SELECT gomomo_zoned_iso(i, $2) AS iso FROM unnest($1::timestamptz[]) WITH ORDINALITY AS u (i, n) ORDER BY n', [
      instants,
      zone,
    ]);
    expect(rows.map((r) => r.iso)).toEqual(instants.map((i) => toZonedIso(new Date(i), zone)));
  });
});
