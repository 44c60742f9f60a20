// The in-memory busy index behind availability: fed by the real domain-event notifications over a
// LISTEN connection, it must offer exactly what Postgres would after every kind of change; when it
// misses notifications it may offer a taken slot, which the hold then refuses (never a double
// booking), and a reset or its age bound brings it back.
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, ManualClock, type TestDatabase } from '../testing/index.js';
import { createBookingEngine, type BookingEngine } from '../engine/engine.js';
import { createPool } from '../db/pool.js';
import { claimsSource, createBusyIndex, type BusyIndex, type BusySource } from './busy-index.js';
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
/** Notifications that arrived while `isListening` was off, as if lost. */
const dropped = new Set<number>();

beforeAll(async () => {
  db = await createTestDatabase();
  clock = new ManualClock(testNow);
  index = createBusyIndex({ pool: db.pool, maxAgeMs: 60_000, monotonicNow: () => monotonic, gapGraceMs: 0 });
  fromMemory = createBookingEngine({ pool: db.pool, clock, busyIndex: index });
  fromPostgres = createBookingEngine({ pool: db.pool, clock });
  listener = new pg.Client({ connectionString: db.url });
  await listener.connect();
  listener.on('notification', (message) => {
    // One notification per transaction: `tenant:id[;tenant:id…][;outbox]` (migration 0008).
    for (const part of (message.payload ?? '').split(';')) {
      const [tenantId, id] = part.split(':');
      if (!tenantId || !id) continue;
      if (!isListening) {
        dropped.add(Number(id));
        continue;
      }
      void index.notify(tenantId, Number(id)).then(() => applied.add(Number(id)));
    }
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

  it('regression: a notification lost while listening shows as a gap in event ids, and the tenant reloads in full', async () => {
    await expectSameAsPostgres();
    isListening = false; // this one notification is lost; the connection itself never dropped
    await fromPostgres.hold({ tenantId: t.tenant.id, serviceId: t.chenOnly.id, start: at('2026-12-02 13:00'), sessionId: 'lost' });
    const { rows: lost } = await db.pool.query<{ id: number }>('SELECT max(id)::int AS id FROM domain_events');
    for (let i = 0; i < 300 && !dropped.has(lost[0]!.id); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    isListening = true;
    expect(await starts(fromMemory)).not.toEqual(await starts(fromPostgres));
    // Any later event, of any tenant, reveals the skipped id; looked up, it names this tenant.
    const other = await createBookingTenant(db.pool, `busy-other-${Math.random().toString(36).slice(2, 8)}`);
    await fromPostgres.hold({ tenantId: other.tenant.id, serviceId: other.consult.id, start: at('2026-12-02 13:00'), sessionId: 'other' });
    const { rows } = await db.pool.query<{ id: number }>('SELECT max(id)::int AS id FROM domain_events');
    for (let i = 0; i < 300 && !applied.has(rows[0]!.id); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(applied.has(rows[0]!.id)).toBe(true);
    expect(await starts(fromMemory)).toEqual(await starts(fromPostgres));
  });

  it('reloads every tenant when the event hub reconnects', async () => {
    await expectSameAsPostgres();
    expect(index.tenantCount).toBeGreaterThan(0);
    isListening = false;
    await fromPostgres.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: at('2026-12-02 15:00'), sessionId: 'down' });
    index.reset();
    isListening = true;
    expect(index.tenantCount).toBe(0);
    expect(await starts(fromMemory)).toEqual(await starts(fromPostgres));
  });

  it('takes busy time from every source it is given, overlapping or not, and re-reads a source for the events it names', async () => {
    // A stand-in for a connected calendar: busy blocks kept in a table of the test's own.
    await db.pool.query('CREATE TABLE IF NOT EXISTS test_external_busy (tenant_id uuid, resource_id uuid, during tstzrange)');
    const external: BusySource = {
      name: 'external',
      async read(pool, query) {
        const { rows } = await pool.query<{ resourceId: string; start: number; end: number }>(
          `SELECT resource_id AS "resourceId", date_part('epoch', lower(during)) * 1000 AS start, date_part('epoch', upper(during)) * 1000 AS "end"
             FROM test_external_busy WHERE tenant_id = $1 AND ($2::uuid IS NULL OR resource_id = $2) AND lower(during) < $4 AND upper(during) > $3
            ORDER BY resource_id, lower(during)`,
          [query.tenantId, query.resourceId ?? null, query.from, query.to],
        );
        return rows.map((row) => ({ ...row, expiresAt: null }));
      },
      touched: (event) => (event.type === 'test.calendar_changed' ? [{ resourceId: String(event.payload.resourceId), from: Date.parse(String(event.payload.start)), to: Date.parse(String(event.payload.end)) }] : []),
    };
    const withCalendar = createBusyIndex({ pool: db.pool, sources: [claimsSource, external], gapGraceMs: 0 });
    const engine = createBookingEngine({ pool: db.pool, clock, busyIndex: withCalendar });
    const chenOnly = async () => (await engine.getAvailability({ ...day(), serviceId: t.chenOnly.id })).slots.map((s) => s.start);
    await fromPostgres.hold({ tenantId: t.tenant.id, serviceId: t.chenOnly.id, start: at('2026-12-02 10:00'), sessionId: 'claim' });
    // Overlapping the hold at 10:00-10:30, and reaching past it.
    await db.pool.query('INSERT INTO test_external_busy VALUES ($1, $2, tstzrange($3, $4))', [t.tenant.id, t.chen.id, at('2026-12-02 10:15'), at('2026-12-02 11:00')]);
    const loaded = await chenOnly();
    expect(loaded).not.toContain('2026-12-02T10:00:00.000-05:00');
    expect(loaded).not.toContain('2026-12-02T10:30:00.000-05:00');
    expect(loaded).toContain('2026-12-02T11:00:00.000-05:00');
    expect(loaded).toContain('2026-12-02T09:30:00.000-05:00');
    // A change the source announces through a domain event of its own type.
    await db.pool.query('INSERT INTO test_external_busy VALUES ($1, $2, tstzrange($3, $4))', [t.tenant.id, t.chen.id, at('2026-12-02 16:00'), at('2026-12-02 17:00')]);
    const { rows } = await db.pool.query<{ id: number }>(
      `INSERT INTO domain_events (tenant_id, type, payload, occurred_at) VALUES ($1, 'test.calendar_changed', $2, now()) RETURNING id::int`,
      [t.tenant.id, { resourceId: t.chen.id, start: at('2026-12-02 16:00'), end: at('2026-12-02 17:00') }],
    );
    await withCalendar.notify(t.tenant.id, rows[0]!.id);
    expect(await chenOnly()).not.toContain('2026-12-02T16:30:00.000-05:00');
    expect(await chenOnly()).toContain('2026-12-02T17:00:00.000-05:00');
  });

  it('answers from memory with no database round trip once the tenant, its hours and its busy time are loaded', async () => {
    const pool = createPool(db.url, { max: 2 });
    const cached = createBookingEngine({ pool, clock, catalogCacheMs: 3_600_000, busyIndex: createBusyIndex({ pool }) });
    const warm = await cached.getAvailability(day());
    await pool.end(); // any query from here on would fail
    expect(await cached.getAvailability(day())).toEqual(warm);
    expect(warm).toEqual(await fromPostgres.getAvailability(day()));
  });

  it('reuses an answer only while the index has applied no event since', async () => {
    const reusing = createBookingEngine({ pool: db.pool, clock, catalogCacheMs: 60_000, busyIndex: index });
    await expectSameAsPostgres();
    const before = await reusing.getAvailability(day());
    expect(await reusing.getAvailability(day())).toBe(before); // the same answer, not rebuilt
    await fromPostgres.hold({ tenantId: t.tenant.id, serviceId: t.chenOnly.id, start: at('2026-12-02 10:00'), sessionId: 'reuse' });
    await settle();
    // Same business instant: only the index version says the answer is out of date.
    expect((await reusing.getAvailability(day())).slots.map((s) => `${s.start} ${s.resourceIds.length}`)).toEqual(await starts(fromPostgres));
    expect(await starts(reusing)).not.toEqual(before.slots.map((s) => `${s.start} ${s.resourceIds.length}`));
  });
});

