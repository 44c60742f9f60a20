import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ManualClock, type TestDatabase } from '../testing/index.js';
import { createBookingEngine, type BookingEngine } from '../engine/engine.js';
import { listEvents } from '../events/events.js';
import { at, countRows, createBookingTenant, testNow, type BookingTenant } from '../../test/fixtures.js';

let db: TestDatabase;
let engine: BookingEngine;
let clock: ManualClock;
let a: BookingTenant;
let b: BookingTenant;

beforeAll(async () => {
  db = await createTestDatabase();
  clock = new ManualClock(testNow);
  engine = createBookingEngine({ pool: db.pool, clock });
  a = await createBookingTenant(db.pool, 'sweep-a');
  b = await createBookingTenant(db.pool, 'sweep-b');
});
afterAll(async () => {
  await db.drop();
});

describe('expireHolds', () => {
  it('releases lapsed holds of every tenant, one hold.expired each in its own tenant, and leaves live ones alone', async () => {
    const shortA = await engine.hold({ tenantId: a.tenant.id, serviceId: a.consult.id, start: at('2026-12-02 10:00'), sessionId: 'a-1', ttlSeconds: 60 });
    const shortB = await engine.hold({ tenantId: b.tenant.id, serviceId: b.consult.id, start: at('2026-12-02 10:00'), sessionId: 'b-1', ttlSeconds: 60 });
    const long = await engine.hold({ tenantId: a.tenant.id, serviceId: a.consult.id, start: at('2026-12-02 11:00'), sessionId: 'a-2', ttlSeconds: 600 });
    const confirmedHold = await engine.hold({ tenantId: a.tenant.id, serviceId: a.consult.id, start: at('2026-12-02 12:00'), sessionId: 'a-3', ttlSeconds: 60 });
    await engine.confirm({ tenantId: a.tenant.id, holdId: confirmedHold.id, sessionId: 'a-3', client: { name: 'C', email: 'c@example.com' } });

    expect(await engine.expireHolds()).toBe(0);
    clock.advance(60_000);
    expect(await engine.expireHolds()).toBe(2);
    expect(await engine.expireHolds()).toBe(0);

    const { rows } = await db.pool.query<{ id: string; status: string; isActive: boolean }>(
      'SELECT h.id, h.status, c.is_active AS "isActive" FROM holds h JOIN claims c ON c.id = h.claim_id ORDER BY h.created_at, h.id',
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(shortA.id)).toMatchObject({ status: 'expired', isActive: false });
    expect(byId.get(shortB.id)).toMatchObject({ status: 'expired', isActive: false });
    expect(byId.get(long.id)).toMatchObject({ status: 'active', isActive: true });
    expect(byId.get(confirmedHold.id)).toMatchObject({ status: 'confirmed', isActive: true });

    const eventsA = await listEvents(db.pool, { tenantId: a.tenant.id, sessionId: 'a-1' });
    const eventsB = await listEvents(db.pool, { tenantId: b.tenant.id, sessionId: 'b-1' });
    expect(eventsA.map((e) => e.type)).toEqual(['hold.created', 'hold.expired']);
    expect(eventsB.map((e) => e.type)).toEqual(['hold.created', 'hold.expired']);
    expect(eventsB[1]).toMatchObject({ subjectId: shortB.id, payload: { holdId: shortB.id, start: shortB.start, resourceId: b.chen.id }, occurredAt: '2026-12-01T12:01:00.000Z' });
    expect(await countRows(db.pool, 'domain_events', `type = 'hold.expired'`)).toBe(2);
  });
});
