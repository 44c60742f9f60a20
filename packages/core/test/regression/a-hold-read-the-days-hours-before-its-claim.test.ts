// Issue 15: every hold read the day's hours and overrides from Postgres (`gomomo_bookable_hours`)
// before its claim, a round trip of its own, although availability keeps them in memory. Now a hold
// is judged by the hours in memory and its claim checks their schedule version (migration 0106):
// one statement. Whatever staff changed since, the hold says only what the hours in Postgres say:
// a change moves the version, the claim writes nothing, and the hold is judged again by the hours
// read from Postgres; a refusal by the hours in memory is asked of Postgres too.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBusyIndex } from '../../src/availability/busy-index.js';
import { withTenant } from '../../src/db/transaction.js';
import { createBookingEngine, type BookingEngine } from '../../src/engine/engine.js';
import { replaceDateOverrides, replaceResourceDateOverrides, replaceWeeklyHours } from '../../src/tenants/schedule.js';
import { createTestDatabase, ManualClock, recordStatements, type TestDatabase } from '../../src/testing/index.js';
import { at, countRows, createBookingTenant, failureOf, testNow, type BookingTenant } from '../fixtures.js';

let db: TestDatabase;
let engine: BookingEngine;
let t: BookingTenant;
let session = 0;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

beforeEach(async () => {
  // A tenant of its own per test, and an engine whose memory holds its hours for as long as the
  // test runs (availability loads them), as the API's does for a second at a time.
  t = await createBookingTenant(db.pool, `hours-in-memory-${++session}`);
  engine = createBookingEngine({ pool: db.pool, clock: new ManualClock(testNow), catalogCacheMs: 600_000, busyIndex: createBusyIndex({ pool: db.pool }) });
  await engine.getAvailability({ tenantId: t.tenant.id, serviceId: t.consult.id, from: '2026-12-02', to: '2026-12-03' });
});

const hold = (start: string, extra: Record<string, unknown> = {}) =>
  engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: at(start), sessionId: `s-${session}`, ...extra });

const asStaff = <T>(work: (client: Parameters<Parameters<typeof withTenant>[2]>[0]) => Promise<T>) => withTenant(db.pool, t.tenant.id, work);

describe('a hold judged by the hours in memory', () => {
  it('is one statement, its claim, with the hours in memory', async () => {
    const { result, statements, names } = await recordStatements(db.pool, () => hold('2026-12-02 10:00'));
    expect(result).toMatchObject({ resourceId: t.chen.id, start: '2026-12-02T10:00:00.000-05:00', status: 'active' });
    expect(statements).toHaveLength(1);
    expect(names).toEqual(['gomomo_hold_claim_v3_fn']);
  });

  it.each([
    ['a date override closes the day', () => asStaff((c) => replaceDateOverrides(c, { tenantId: t.tenant.id, fromDate: '2026-12-01', overrides: [{ date: '2026-12-02', reason: 'Staff training' }] }))],
    ['the weekly hours end at noon', () => asStaff((c) => replaceWeeklyHours(c, { tenantId: t.tenant.id, resourceId: null, hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '12:00' })) }))],
    ['the weekly hours are removed', () => asStaff((c) => replaceWeeklyHours(c, { tenantId: t.tenant.id, resourceId: null, hours: [] }))],
  ])('is refused when %s after the hours were read, and writes nothing', async (_, change) => {
    await change();
    const claimsBefore = await countRows(db.pool, 'claims', `tenant_id = '${t.tenant.id}'`);
    const { result: error, statements, names } = await recordStatements(db.pool, () => failureOf(hold('2026-12-02 15:00')));
    expect(error).toMatchObject({ code: 'SLOT_UNAVAILABLE', field: 'start' });
    expect(error.message).toMatch(/outside opening hours/);
    // The claim saw the version move and stopped; the hours were then read from Postgres.
    // (Then the ROLLBACK that a connection gets back after any failed hold.)
    expect(names.slice(0, 2)).toEqual(['gomomo_hold_claim_v3_fn', 'gomomo_bookable_hours']);
    expect(statements.slice(2)).toEqual(['ROLLBACK']);
    expect(await countRows(db.pool, 'claims', `tenant_id = '${t.tenant.id}'`)).toBe(claimsBefore);
  });

  it('is taken when staff open a day after the hours in memory said it was closed', async () => {
    await asStaff((c) => replaceDateOverrides(c, { tenantId: t.tenant.id, fromDate: '2026-12-01', overrides: [{ date: '2026-12-02', reason: 'Closed' }] }));
    // Availability loads the closed day into memory, then staff open it again.
    engine = createBookingEngine({ pool: db.pool, clock: new ManualClock(testNow), catalogCacheMs: 600_000, busyIndex: createBusyIndex({ pool: db.pool }) });
    const closed = await engine.getAvailability({ tenantId: t.tenant.id, serviceId: t.consult.id, from: '2026-12-02', to: '2026-12-02' });
    expect(closed.slots).toEqual([]);
    await asStaff((c) => replaceDateOverrides(c, { tenantId: t.tenant.id, fromDate: '2026-12-01', overrides: [] }));
    await expect(hold('2026-12-02 15:00')).resolves.toMatchObject({ start: '2026-12-02T15:00:00.000-05:00', status: 'active' });
  });

  it("goes to the other resource when one resource's day is closed after the hours were read", async () => {
    await asStaff((c) => replaceResourceDateOverrides(c, { tenantId: t.tenant.id, resourceId: t.chen.id, fromDate: '2026-12-01', overrides: [{ date: '2026-12-02', reason: 'Away' }] }));
    const error = await failureOf(hold('2026-12-02 16:00', { resourceId: t.chen.id }));
    expect(error).toMatchObject({ code: 'SLOT_UNAVAILABLE', field: 'start' });
    await expect(hold('2026-12-02 16:00')).resolves.toMatchObject({ resourceId: t.rivera.id });
  });

  it('moves the version once per changing statement, and not at all for a statement that changes nothing', async () => {
    const version = async () => (await db.pool.query<{ v: string }>('SELECT schedule_version::text AS v FROM tenants WHERE id = $1', [t.tenant.id])).rows[0]!.v;
    const before = Number(await version());
    await asStaff((c) => c.query("UPDATE business_hours SET closes_at = '22:00' WHERE tenant_id = $1", [t.tenant.id]));
    expect(Number(await version())).toBe(before + 1);
    await asStaff((c) => c.query("DELETE FROM date_overrides WHERE tenant_id = $1 AND on_date = '2030-01-01'", [t.tenant.id]));
    expect(Number(await version())).toBe(before + 1);
  });

  it('still lets a tenant with hours and overrides be deleted', async () => {
    await asStaff((c) => replaceDateOverrides(c, { tenantId: t.tenant.id, fromDate: '2026-12-01', overrides: [{ date: '2026-12-24', reason: 'Holiday' }] }));
    await db.pool.query('DELETE FROM tenants WHERE id = $1', [t.tenant.id]);
    expect(await countRows(db.pool, 'business_hours', `tenant_id = '${t.tenant.id}'`)).toBe(0);
    expect(await countRows(db.pool, 'tenants', `id = '${t.tenant.id}'`)).toBe(0);
  });
});
