import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from '../db/pool.js';
import { createBookingEngine } from '../engine/engine.js';
import { isBookingError } from '../errors.js';
import { createTenant, listResources, listServices } from '../tenants/tenants.js';
import type { TenantInput } from '../tenants/schemas.js';
import { createTestDatabase, ManualClock, type TestDatabase } from '../testing/index.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const everyDay = (opens: string, closes: string) => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens, closes }));
let counter = 0;

/** A tenant with one service and the given hours; returns ids and a query helper. */
async function setUp(input: Partial<TenantInput> & { now: string }) {
  const { now, ...rest } = input;
  const tenant = await createTenant(db.pool, {
    name: 'Test',
    slug: `t-${++counter}`,
    timeZone: 'America/New_York',
    minNoticeMinutes: 0,
    slotIntervalMinutes: 30,
    services: [{ name: 'Visit', durationMinutes: 60 }],
    hours: everyDay('09:00', '12:00'),
    ...rest,
  });
  const clock = new ManualClock(now);
  const engine = createBookingEngine({ pool: db.pool, clock });
  const services = await listServices(db.pool, tenant.id);
  const resources = await listResources(db.pool, tenant.id);
  const slots = async (from: string, to: string, extra: { resourceId?: string; service?: string } = {}) => {
    const serviceId = services.find((s) => s.name === (extra.service ?? 'Visit'))!.id;
    const result = await engine.getAvailability({ tenantId: tenant.id, serviceId, from, to, resourceId: extra.resourceId });
    return result.slots;
  };
  return { tenant, clock, engine, services, resources, slots };
}

/** Inserts a claim directly (as the owner), as an appointment or hold would have. */
async function claim(pool: Pool, opts: { tenantId: string; resourceId: string; start: string; end: string; holdExpiresAt?: string; serviceId?: string }) {
  const { rows } = await pool.query<{ id: string }>(
    'INSERT INTO claims (tenant_id, resource_id, during) VALUES ($1, $2, tstzrange($3, $4)) RETURNING id',
    [opts.tenantId, opts.resourceId, opts.start, opts.end],
  );
  if (opts.holdExpiresAt) {
    await pool.query(
      `INSERT INTO holds (tenant_id, claim_id, service_id, resource_id, session_id, starts_at, ends_at, expires_at)
       VALUES ($1, $2, $3, $4, 's', $5, $6, $7)`,
      [opts.tenantId, rows[0]!.id, opts.serviceId, opts.resourceId, opts.start, opts.end, opts.holdExpiresAt],
    );
  }
}

const times = (slots: { start: string }[]) => slots.map((s) => s.start);

describe('getAvailability', () => {
  it('returns slots in the tenant zone with ISO offsets, for whole local days', async () => {
    const { slots } = await setUp({ now: '2026-12-01T12:00:00Z' });
    expect(times(await slots('2026-12-07', '2026-12-07'))).toEqual([
      '2026-12-07T09:00:00.000-05:00',
      '2026-12-07T09:30:00.000-05:00',
      '2026-12-07T10:00:00.000-05:00',
      '2026-12-07T10:30:00.000-05:00',
      '2026-12-07T11:00:00.000-05:00',
    ]);
  });

  it('keeps buffers clear of existing appointments on both sides', async () => {
    const { slots, tenant, resources } = await setUp({
      now: '2026-12-01T12:00:00Z',
      slotIntervalMinutes: 15,
      services: [{ name: 'Visit', durationMinutes: 30, bufferBeforeMinutes: 10, bufferAfterMinutes: 5 }],
    });
    await claim(db.pool, { tenantId: tenant.id, resourceId: resources[0]!.id, start: '2026-12-07T10:00:00-05:00', end: '2026-12-07T10:30:00-05:00' });
    const starts = times(await slots('2026-12-07', '2026-12-07')).map((s) => s.slice(11, 16));
    // [s − 10, s + 35) must miss [10:00, 10:30): s ≤ 09:25 or s ≥ 10:40.
    expect(starts.slice(0, 4)).toEqual(['09:00', '09:15', '10:45', '11:00']);
  });

  it('honours closed days and special hours from date overrides', async () => {
    const { slots } = await setUp({
      now: '2026-12-20T12:00:00Z',
      overrides: [
        { date: '2026-12-24', opens: '10:00', closes: '11:00', reason: 'Christmas Eve' },
        { date: '2026-12-25', reason: 'Christmas' },
      ],
    });
    expect(times(await slots('2026-12-24', '2026-12-25'))).toEqual(['2026-12-24T10:00:00.000-05:00']);
  });

  it('starts at the first grid slot after the minimum notice', async () => {
    const { slots } = await setUp({ now: '2026-12-07T14:07:00Z', minNoticeMinutes: 60 });
    // 09:07 local + 60 min notice → 10:07; the next grid start is 10:30.
    expect(times(await slots('2026-12-07', '2026-12-07'))[0]).toBe('2026-12-07T10:30:00.000-05:00');
  });

  it('offers nothing beyond the lookahead, however wide the query', async () => {
    const { slots } = await setUp({ now: '2026-12-01T12:00:00Z', lookaheadDays: 3 });
    const days = new Set(times(await slots('2026-12-01', '2026-12-20')).map((s) => s.slice(0, 10)));
    expect([...days]).toEqual(['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04']);
  });

  it('lists per-resource availability and restricts to one resource on request', async () => {
    const { slots, tenant, resources } = await setUp({
      now: '2026-12-01T12:00:00Z',
      resources: [{ name: 'Ana' }, { name: 'Ben', hours: [{ weekday: 1, opens: '11:00', closes: '12:00' }] }],
      services: [{ name: 'Visit', durationMinutes: 60 }, { name: 'Ana only', durationMinutes: 60, resources: ['Ana'] }],
    });
    const [ana, ben] = resources;
    await claim(db.pool, { tenantId: tenant.id, resourceId: ana!.id, start: '2026-12-07T11:00:00-05:00', end: '2026-12-07T12:00:00-05:00' });
    const any = await slots('2026-12-07', '2026-12-07');
    expect(any.map((s) => [s.start.slice(11, 16), s.resourceIds])).toEqual([
      ['09:00', [ana!.id]],
      ['09:30', [ana!.id]],
      ['10:00', [ana!.id]],
      ['11:00', [ben!.id]],
    ]);
    expect(times(await slots('2026-12-07', '2026-12-07', { resourceId: ben!.id })).map((s) => s.slice(11, 16))).toEqual(['11:00']);
    expect(times(await slots('2026-12-07', '2026-12-07', { service: 'Ana only' })).map((s) => s.slice(11, 16))).toEqual(['09:00', '09:30', '10:00']);
    const error = await slots('2026-12-07', '2026-12-07', { service: 'Ana only', resourceId: ben!.id }).catch((e: unknown) => e);
    expect(isBookingError(error, 'NOT_FOUND')).toBe(true);
  });

  it('lets an expired hold free its slot while a live hold keeps it', async () => {
    const { slots, tenant, resources, services } = await setUp({ now: '2026-12-07T13:00:00Z' });
    const base = { tenantId: tenant.id, resourceId: resources[0]!.id, serviceId: services[0]!.id };
    await claim(db.pool, { ...base, start: '2026-12-07T10:00:00-05:00', end: '2026-12-07T11:00:00-05:00', holdExpiresAt: '2026-12-07T12:59:00Z' });
    await claim(db.pool, { ...base, start: '2026-12-07T11:00:00-05:00', end: '2026-12-07T12:00:00-05:00', holdExpiresAt: '2026-12-07T13:05:00Z' });
    expect(times(await slots('2026-12-07', '2026-12-07')).map((s) => s.slice(11, 16))).toEqual(['09:00', '09:30', '10:00']);
  });

  describe('on daylight-saving days', () => {
    // 60-minute visits every 30 minutes; the expected starts are local time plus offset.
    it.each([
      // New York springs forward at 02:00 on 2027-03-14: 01:00–04:00 local is only two real hours.
      ['America/New_York', '2027-03-14', '01:00', ['01:00-05:00', '01:30-05:00', '03:00-04:00']],
      // …and falls back at 02:00 on 2026-11-01: the hour from 01:00 happens twice, so four real hours.
      ['America/New_York', '2026-11-01', '01:00', ['01:00-04:00', '01:30-04:00', '01:00-05:00', '01:30-05:00', '02:00-05:00', '02:30-05:00', '03:00-05:00']],
      // London springs forward at 01:00 on 2027-03-28: 00:00–04:00 local is three real hours.
      ['Europe/London', '2027-03-28', '00:00', ['00:00+00:00', '00:30+00:00', '02:00+01:00', '02:30+01:00', '03:00+01:00']],
      // …and falls back at 02:00 on 2026-10-25.
      ['Europe/London', '2026-10-25', '01:00', ['01:00+01:00', '01:30+01:00', '01:00+00:00', '01:30+00:00', '02:00+00:00', '02:30+00:00', '03:00+00:00']],
    ])('%s on %s offers exactly the real hours', async (timeZone, date, opens, expected) => {
      const now = new Date(Date.parse(`${date}T12:00:00Z`) - 3 * 86_400_000).toISOString();
      const { slots } = await setUp({ now, timeZone, hours: everyDay(opens, '04:00') });
      const found = (await slots(date, date)).map((s) => `${s.start.slice(11, 16)}${s.start.slice(23)}`);
      expect(found).toEqual(expected);
    });
  });

  it('answers a query about an Asia/Kolkata tenant made in another zone in Kolkata time', async () => {
    const { slots } = await setUp({ now: '2026-12-01T00:00:00Z', timeZone: 'Asia/Kolkata', hours: everyDay('09:00', '10:30') });
    // Midnight in Los Angeles on the 7th is 13:30 in Kolkata on the 7th: only the 8th's slots remain.
    const result = await slots('2026-12-07T00:00:00-08:00', '2026-12-08T12:00:00-08:00');
    expect(times(result)).toEqual(['2026-12-08T09:00:00.000+05:30', '2026-12-08T09:30:00.000+05:30']);
    expect(new Date(result[0]!.start).toISOString()).toBe('2026-12-08T03:30:00.000Z');
  });

  it.each([
    ['serviceId', { serviceId: 'not-a-uuid' }],
    ['to', { from: '2026-12-08', to: '2026-12-07' }],
    ['from', { from: 'next tuesday' }],
    ['from', { from: '2026-02-30' }],
    ['from', { from: '2026-13-01' }],
    ['from', { from: '1899-12-31' }],
    ['to', { to: '2026-12-32' }],
    ['to', { from: '2026-12-01', to: '2027-06-01' }],
  ])('rejects a bad %s with VALIDATION', async (field, patch) => {
    const { engine, tenant, services } = await setUp({ now: '2026-12-01T12:00:00Z' });
    const error = await engine.getAvailability({ tenantId: tenant.id, serviceId: services[0]!.id, from: '2026-12-07', to: '2026-12-07', ...patch }).catch((e: unknown) => e);
    expect(isBookingError(error, 'VALIDATION')).toBe(true);
    expect((error as { field: string }).field).toBe(field);
  });

  it('reports an unknown service as NOT_FOUND', async () => {
    const { engine, tenant } = await setUp({ now: '2026-12-01T12:00:00Z' });
    const error = await engine.getAvailability({ tenantId: tenant.id, serviceId: '00000000-0000-4000-8000-000000000000', from: '2026-12-07', to: '2026-12-07' }).catch((e: unknown) => e);
    expect(isBookingError(error, 'NOT_FOUND')).toBe(true);
  });
});

describe('getAvailability with a catalog cache', () => {
  it('reads service changes at once by default, and reuses them within the TTL when the host opts in', async () => {
    const { tenant, services, clock } = await setUp({ now: '2026-12-01T12:00:00Z' });
    const query = { tenantId: tenant.id, serviceId: services[0]!.id, from: '2026-12-07', to: '2026-12-07' };
    const fresh = createBookingEngine({ pool: db.pool, clock });
    const cached = createBookingEngine({ pool: db.pool, clock, catalogCacheMs: 60_000 });
    expect((await cached.getAvailability(query)).slots).toHaveLength(5);
    await db.pool.query('UPDATE services SET duration_minutes = 120 WHERE id = $1', [services[0]!.id]);
    expect((await fresh.getAvailability(query)).slots).toHaveLength(3);
    expect((await cached.getAvailability(query)).slots).toHaveLength(5);
  });
});
