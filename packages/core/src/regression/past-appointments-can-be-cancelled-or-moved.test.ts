// Issue 12: "Past appointments can be cancelled or moved (core has no 'start is still ahead' check)".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, client, createBookingTenant, failureOf, testNow, type BookingTenant } from '../../test/fixtures.js';
import { createBookingEngine, type BookingEngine } from '../engine/engine.js';
import { listEvents } from '../events/events.js';
import { createTestDatabase, ManualClock, type TestDatabase } from '../testing/index.js';

let db: TestDatabase;
let clock: ManualClock;
let engine: BookingEngine;
let t: BookingTenant;

beforeAll(async () => {
  db = await createTestDatabase();
  clock = new ManualClock(testNow);
  engine = createBookingEngine({ pool: db.pool, clock });
  t = await createBookingTenant(db.pool, 'past-clinic');
});
afterAll(async () => {
  await db.drop();
});

async function bookThenPass(local: string, passedBy: number): Promise<string> {
  clock.set(testNow);
  const hold = await engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: at(local), resourceId: t.chen.id, sessionId: 'chat-past' });
  const booking = await engine.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'chat-past', client });
  clock.set(new Date(new Date(at(local)).getTime() + passedBy));
  return booking.reference;
}

describe('regression: past appointments can be cancelled or moved', () => {
  it.each([
    ['at its very start', '2026-12-02 13:00', 0, '2026-12-02T18:00Z'],
    ['during it', '2026-12-02 14:00', 10 * 60_000, '2026-12-02T19:00Z'],
    ['a day after it', '2026-12-02 15:00', 24 * 3_600_000, '2026-12-02T20:00Z'],
  ])('refuses to cancel an appointment %s with APPOINTMENT_STARTED, for customers and staff alike', async (_when, local, passedBy, utc) => {
    const reference = await bookThenPass(local, passedBy);
    for (const verify of [{ email: client.email }, { staff: true as const }]) {
      const error = await failureOf(engine.cancel({ tenantId: t.tenant.id, reference, verify }));
      expect(error).toMatchObject({ code: 'APPOINTMENT_STARTED', field: 'reference' });
      expect(error.message).toBe(`Appointment ${reference} started at ${utc}; it can no longer be cancelled or moved`);
    }
    // Staff cannot override the past either: the deadline override is for the deadline only.
    expect(await failureOf(engine.cancel({ tenantId: t.tenant.id, reference, verify: { staff: true }, overrideDeadline: true }))).toMatchObject({ code: 'APPOINTMENT_STARTED' });
    expect((await engine.getAppointment({ tenantId: t.tenant.id, reference })).status).toBe('booked');
  });

  it('refuses to move an appointment that has started, and records no slot.opened for the past', async () => {
    const reference = await bookThenPass('2026-12-02 16:00', 60_000);
    const error = await failureOf(engine.reschedule({ tenantId: t.tenant.id, reference, verify: { phone: client.phone }, newStart: at('2026-12-04 10:00') }));
    expect(error).toMatchObject({ code: 'APPOINTMENT_STARTED', field: 'reference' });
    const opened = (await listEvents(db.pool, { tenantId: t.tenant.id })).filter((e) => e.type === 'slot.opened' && e.payload.start === at('2026-12-02 16:00'));
    expect(opened).toEqual([]);
    expect((await engine.getAppointment({ tenantId: t.tenant.id, reference })).start).toBe('2026-12-02T16:00:00.000-05:00');
  });

  it('refuses to move a future appointment into the past', async () => {
    const reference = await bookThenPass('2026-12-04 11:00', -2 * 24 * 3_600_000);
    const now = clock.now();
    const error = await failureOf(engine.reschedule({ tenantId: t.tenant.id, reference, verify: { staff: true }, newStart: new Date(now.getTime() - 3_600_000).toISOString() }));
    expect(error).toMatchObject({ code: 'SLOT_UNAVAILABLE', field: 'newStart' });
    expect(error.message).toMatch(/is in the past; booking GM-[0-9A-Z]{5} cannot be moved into the past/);
  });

  it('answers ALREADY_CANCELLED, not APPOINTMENT_STARTED, for a booking cancelled before it began', async () => {
    const reference = await bookThenPass('2026-12-03 15:00', -60_000);
    await engine.cancel({ tenantId: t.tenant.id, reference, verify: { staff: true } });
    clock.set(new Date(new Date(at('2026-12-03 15:00')).getTime() + 60_000));
    expect(await failureOf(engine.cancel({ tenantId: t.tenant.id, reference, verify: { staff: true } }))).toMatchObject({ code: 'ALREADY_CANCELLED' });
    await expect(engine.checkChange({ tenantId: t.tenant.id, reference, verify: { staff: true } })).resolves.toMatchObject({ allowed: true });
  });

  it('still cancels and moves an appointment whose start is ahead', async () => {
    const reference = await bookThenPass('2026-12-05 10:00', -60_000);
    await expect(engine.checkChange({ tenantId: t.tenant.id, reference, verify: { email: client.email } })).resolves.toEqual({ allowed: true, deadlineOverridden: false });
    await expect(engine.cancel({ tenantId: t.tenant.id, reference, verify: { email: client.email } })).resolves.toMatchObject({ status: 'cancelled' });
  });
});
