// What broke: simultaneous holds for *different* slots of one resource failed with BUSY. Behind
// Row-Level Security the guard's `during && range` could not be an index condition (&& is not
// leakproof), so each booking read every claim of the resource, including those concurrent
// bookings had just written; SERIALIZABLE saw rw-cycles and aborted them until the retries ran
// out. Fixed by migration 0002 (leakproof starts_at/ends_at + GiST) and index-only plans in claims.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ManualClock, type TestDatabase } from '../testing/index.js';
import { createBookingEngine, type BookingEngine } from '../engine/engine.js';
import { at, client, countRows, createBookingTenant, overlappingClaims, testNow, type BookingTenant } from '../../test/fixtures.js';

let db: TestDatabase;
let engine: BookingEngine;
let t: BookingTenant;

beforeAll(async () => {
  db = await createTestDatabase({ max: 40 });
  engine = createBookingEngine({ pool: db.pool, clock: new ManualClock(testNow) });
  t = await createBookingTenant(db.pool, 'regress-slots');
});
afterAll(async () => {
  await db.drop();
});

describe('holds on different slots of one resource', () => {
  it('all succeed when 32 arrive at once, and so do their confirms', async () => {
    const starts = Array.from({ length: 32 }, (_, i) => at(`2026-12-02 ${String(6 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`));
    const holds = await Promise.all(starts.map((start, i) => engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start, resourceId: t.chen.id, sessionId: `s-${i}` })));
    expect(new Set(holds.map((h) => h.start)).size).toBe(32);
    const bookings = await Promise.all(holds.map((h) => engine.confirm({ tenantId: t.tenant.id, holdId: h.id, sessionId: h.sessionId, client })));
    expect(bookings.every((b) => b.status === 'booked')).toBe(true);
    expect(await countRows(db.pool, 'claims', `is_active AND resource_id = '${t.chen.id}'`)).toBe(32);
    expect(await overlappingClaims(db.pool)).toBe(0);
  });
});
