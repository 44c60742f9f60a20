// Per-resource closed days (a staff member's day off, saved from the console's Staff & rooms page):
// "a staff member's day off is not offered and cannot be held", on each path that reads hours —
// availability from Postgres, availability from memory (the hours cache with the busy index), and
// the hold's own check in Postgres (`gomomo_bookable_hours`, migration 0013).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, createBookingTenant, failureOf, testNow, type BookingTenant } from '../../test/fixtures.js';
import { createBusyIndex } from '../availability/busy-index.js';
import { withTenant } from '../db/transaction.js';
import { createBookingEngine, type BookingEngine } from '../engine/engine.js';
import { readResourceDateOverrides, replaceDateOverrides, replaceResourceDateOverrides } from '../tenants/schedule.js';
import { createTestDatabase, ManualClock, type TestDatabase } from '../testing/index.js';

let db: TestDatabase;
let t: BookingTenant;
const clock = new ManualClock(testNow);
const dayOff = '2026-12-03';
const nextDay = '2026-12-04';

beforeAll(async () => {
  db = await createTestDatabase();
  t = await createBookingTenant(db.pool, 'day-off-clinic');
  await withTenant(db.pool, t.tenant.id, (client) =>
    replaceResourceDateOverrides(client, { tenantId: t.tenant.id, resourceId: t.chen.id, fromDate: '2026-12-01', overrides: [{ date: dayOff, reason: 'day off' }, { date: nextDay, opens: '09:00', closes: '10:00', reason: 'dentist' }] }),
  );
});
afterAll(async () => {
  await db.drop();
});

const paths = ['from Postgres', 'from memory (hours cache and busy index)'] as const;

/** An engine on either availability path, made after the overrides were saved (the memory path trusts its cache for a minute). */
function engineOf(path: (typeof paths)[number]): BookingEngine {
  if (path === 'from Postgres') return createBookingEngine({ pool: db.pool, clock });
  return createBookingEngine({ pool: db.pool, clock, busyIndex: createBusyIndex({ pool: db.pool }), catalogCacheMs: 60_000 });
}

async function offeredTimes(engine: BookingEngine, input: { day: string; resourceId?: string; serviceId?: string }): Promise<string[]> {
  const availability = await engine.getAvailability({ tenantId: t.tenant.id, serviceId: input.serviceId ?? t.consult.id, from: input.day, to: input.day, resourceId: input.resourceId });
  return availability.slots.map((slot) => slot.start.slice(11, 16));
}

describe("regression: a staff member's day off is not offered and cannot be held", () => {
  it.each(paths)('is not offered %s, while the colleague and the next day still are', async (path) => {
    const engine = engineOf(path);
    expect(await offeredTimes(engine, { day: dayOff, resourceId: t.chen.id })).toEqual([]);
    expect(await offeredTimes(engine, { day: dayOff, serviceId: t.chenOnly.id })).toEqual([]);
    expect(await offeredTimes(engine, { day: dayOff, resourceId: t.rivera.id })).toContain('10:00');
    expect(await offeredTimes(engine, { day: nextDay, resourceId: t.chen.id })).toEqual(['09:00', '09:15', '09:30']);
  });

  it('cannot be held: the hold checks the day in Postgres, and a hold for anyone goes to the colleague', async () => {
    const engine = engineOf('from Postgres');
    const refused = await failureOf(engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: at(`${dayOff} 10:00`), resourceId: t.chen.id, sessionId: 'day-off-1' }));
    expect(refused).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    expect(await failureOf(engine.hold({ tenantId: t.tenant.id, serviceId: t.chenOnly.id, start: at(`${dayOff} 10:00`), sessionId: 'day-off-2' }))).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    await expect(engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: at(`${dayOff} 10:00`), sessionId: 'day-off-3' })).resolves.toMatchObject({ resourceId: t.rivera.id });
    await expect(engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: at(`${nextDay} 09:00`), resourceId: t.chen.id, sessionId: 'day-off-4' })).resolves.toMatchObject({ resourceId: t.chen.id });
  });

  it("keeps a resource's days apart from the business's: saving one list leaves the other", async () => {
    await withTenant(db.pool, t.tenant.id, (client) => replaceDateOverrides(client, { tenantId: t.tenant.id, fromDate: '2026-12-01', overrides: [{ date: '2026-12-24', reason: 'holiday' }] }));
    const own = await withTenant(db.pool, t.tenant.id, (client) => readResourceDateOverrides(client, { tenantId: t.tenant.id, resourceId: t.chen.id, fromDate: '2026-12-01' }));
    expect(own.map((o) => [o.date, o.opens, o.closes, o.reason])).toEqual([
      [dayOff, null, null, 'day off'],
      [nextDay, '09:00', '10:00', 'dentist'],
    ]);
    expect(await withTenant(db.pool, t.tenant.id, (client) => readResourceDateOverrides(client, { tenantId: t.tenant.id, resourceId: t.rivera.id, fromDate: '2026-12-01' }))).toEqual([]);
  });

  it('refuses bad days with the field named, and an unknown resource', async () => {
    const save = (resourceId: string, overrides: unknown) => failureOf(withTenant(db.pool, t.tenant.id, (client) => replaceResourceDateOverrides(client, { tenantId: t.tenant.id, resourceId, fromDate: '2026-12-01', overrides })));
    expect(await save(t.chen.id, [{ date: '2026-12-05', opens: '10:00' }])).toMatchObject({ code: 'VALIDATION', field: 'overrides.0.closes' });
    expect(await save(t.chen.id, [{ date: '5 Dec' }])).toMatchObject({ code: 'VALIDATION', field: 'overrides.0.date' });
    expect(await save('00000000-0000-4000-8000-000000000000', [])).toMatchObject({ code: 'NOT_FOUND', field: 'resourceId' });
  });
});
