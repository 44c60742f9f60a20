// The in-memory busy index behind availability: fed by the real domain-event notifications over a
// LISTEN connection, it must offer exactly what Postgres would after every kind of change; when it
// misses notifications it may offer a taken slot, which the hold then refuses (never a double
// booking), and a reset or its age bound brings it back.
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, ManualClock, type TestDatabase } from '../testing/index.js';
import { createBookingEngine, type BookingEngine } from '../engine/engine.js';
import { createBusyIndex, type BusyIndex } from './busy-index.js';
import { at, createBookingTenant, failureOf, overlappingClaims, testNow, type BookingTenant } from '../../test/fixtures.js';

let db: TestDatabase;
let clock: ManualClock;
let index: BusyIndex;
let monotonic = 0;
let fromMemory: BookingEngine;
let fromPostgres: BookingEngine;
let listener: pg.Client;
let isListening = true;
const applied = new Set<number>();

beforeAll(async () => {
  db = await createTestDatabase();
  clock = new ManualClock(testNow);
  index = createBusyIndex({ pool: db.pool, maxAgeMs: 60_000, monotonicNow: () => monotonic });
  fromMemory = createBookingEngine({ pool: db.pool, clock, busyIndex: index });
  fromPostgres = createBookingEngine({ pool: db.pool, clock });
  listener = new pg.Client({ connectionString: db.url });
  await listener.connect();
  listener.on('notification', (message) => {
    const [tenantId, id] = (message.payload ?? '').split(':');
    if (!isListening || !tenantId || !id) return;
    void index.notify(tenantId, Number(id)).then(() => applied.add(Number(id)));
  });
  await listener.query('LISTEN gomomo_events');
});
afterAll(async () => {
  await listener.end();
  await db.drop();
});

let t: BookingTenant;
beforeEach(async () => {
  t = await createBookingTenant(db.pool, `busy-${Math.random().toString(36).slice(2, 8)}`);
  isListening = true;
  clock.set(testNow);
});

/** Waits until the index has applied every event of the tenant written so far. */
async function settle(): Promise<void> {
  const { rows } = await db.pool.query<{ ids: number[] }>(`SELECT coalesce(array_agg(id::int), '{}') AS ids FROM domain_events WHERE tenant_id = $1`, [t.tenant.id]);
  for (let i = 0; i < 300 && !rows[0]!.ids.every((id) => applied.has(id)); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

const day = () => ({ tenantId: t.tenant.id, serviceId: t.consult.id, from: '2026-12-02', to: '2026-12-02' });
const starts = async (engine: BookingEngine) => (await engine.getAvailability(day())).slots.map((s) => `${s.start} ${s.resourceIds.length}`);

async function expectSameAsPostgres(): Promise<void> {
  await settle();
  expect(await starts(fromMemory)).toEqual(await starts(fromPostgres));
}

describe('the busy index', () => {
  it('offers exactly what Postgres offers after holds, confirms, a move, a cancellation, a release and a lapse', async () => {
    await expectSameAsPostgres(); // loads the tenant
    const hold = await fromMemory.hold({ tenantId: t.tenant.id, serviceId: t.buffered.id, start: at('2026-12-02 10:00'), resourceId: t.chen.id, sessionId: 'a' });
    await expectSameAsPostgres();
    const booked = await fromMemory.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'a', client: { name: 'A', email: 'a@example.com' } });
    await expectSameAsPostgres();
    await fromMemory.reschedule({ tenantId: t.tenant.id, reference: booked.reference, verify: { staff: true }, newStart: at('2026-12-02 14:00'), resourceId: t.rivera.id });
    await expectSameAsPostgres();
    await fromMemory.cancel({ tenantId: t.tenant.id, reference: booked.reference, verify: { staff: true } });
    await expectSameAsPostgres();
    const released = await fromMemory.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: at('2026-12-02 11:00'), sessionId: 'b' });
    await fromMemory.releaseHold({ tenantId: t.tenant.id, holdId: released.id, sessionId: 'b' });
    await expectSameAsPostgres();
    await fromMemory.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: at('2026-12-02 12:00'), sessionId: 'c', ttlSeconds: 60 });
    await expectSameAsPostgres();
    clock.advance(60_000); // the hold lapses with no event at all: the index knows its expiry
    await expectSameAsPostgres();
  });

  it('regression: a stale index offers a slot the hold refuses, and never double-books', async () => {
    await expectSameAsPostgres();
    isListening = false; // notifications lost, as while the LISTEN connection is down
    await fromPostgres.hold({ tenantId: t.tenant.id, serviceId: t.chenOnly.id, start: at('2026-12-02 09:00'), sessionId: 'first' });
    const offered = (await fromMemory.getAvailability({ ...day(), serviceId: t.chenOnly.id })).slots.map((s) => s.start);
    expect(offered).toContain('2026-12-02T09:00:00.000-05:00');
    const refused = await failureOf(fromMemory.hold({ tenantId: t.tenant.id, serviceId: t.chenOnly.id, start: at('2026-12-02 09:00'), sessionId: 'second' }));
    expect(refused).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    expect(await overlappingClaims(db.pool)).toBe(0);
    index.reset(); // what the event hub does after reconnecting
    isListening = true;
    expect((await fromMemory.getAvailability({ ...day(), serviceId: t.chenOnly.id })).slots.map((s) => s.start)).not.toContain('2026-12-02T09:00:00.000-05:00');
  });

  it('reloads a tenant once its age bound has passed, even with no notification', async () => {
    await expectSameAsPostgres();
    isListening = false;
    await fromPostgres.hold({ tenantId: t.tenant.id, serviceId: t.chenOnly.id, start: at('2026-12-02 16:00'), sessionId: 'quiet' });
    expect(await starts(fromMemory)).not.toEqual(await starts(fromPostgres));
    monotonic += 60_000;
    expect(await starts(fromMemory)).toEqual(await starts(fromPostgres));
  });

  it('keeps only tenants it was asked about', async () => {
    index.reset();
    await fromMemory.getAvailability(day());
    expect(index.tenantCount).toBe(1);
  });
});
