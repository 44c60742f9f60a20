import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ManualClock, type TestDatabase } from '../testing/index.js';
import { createBookingEngine, type BookingEngine } from '../engine/engine.js';
import { at, client, createBookingTenant, testNow, type BookingTenant } from '../../test/fixtures.js';
import { findBookingOfHold } from './booking-of-hold.js';

let db: TestDatabase;
let engine: BookingEngine;
let t: BookingTenant;

beforeAll(async () => {
  db = await createTestDatabase();
  engine = createBookingEngine({ pool: db.pool, clock: new ManualClock(testNow) });
  t = await createBookingTenant(db.pool, 'hold-booking-clinic');
});
afterAll(async () => db.drop());

describe('findBookingOfHold', () => {
  it('finds the booking a session confirmed its hold into, for that session only', async () => {
    const hold = await engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: at('2026-12-03 09:00'), sessionId: 'chat-a' });
    expect(await findBookingOfHold(db.pool, { tenantId: t.tenant.id, holdId: hold.id, sessionId: 'chat-a' })).toBeNull();
    const booking = await engine.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'chat-a', client });
    expect(await findBookingOfHold(db.pool, { tenantId: t.tenant.id, holdId: hold.id, sessionId: 'chat-a' })).toMatchObject({ reference: booking.reference, status: 'booked', start: booking.start });
    expect(await findBookingOfHold(db.pool, { tenantId: t.tenant.id, holdId: hold.id, sessionId: 'chat-b' })).toBeNull();
  });

  it('names the field of a malformed hold id', async () => {
    await expect(findBookingOfHold(db.pool, { tenantId: t.tenant.id, holdId: 'nope', sessionId: 'chat-a' })).rejects.toMatchObject({ code: 'VALIDATION', field: 'holdId' });
  });
});
