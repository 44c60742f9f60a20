import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ManualClock, type TestDatabase } from '../testing/index.js';
import { createBookingEngine, type BookingEngine } from '../engine/engine.js';
import { at, createBookingTenant, testNow, type BookingTenant } from '../../test/fixtures.js';
import { readAppointmentStates } from './appointment-state.js';

let db: TestDatabase;
let engine: BookingEngine;
let t: BookingTenant;

beforeAll(async () => {
  db = await createTestDatabase();
  engine = createBookingEngine({ pool: db.pool, clock: new ManualClock(testNow) });
  t = await createBookingTenant(db.pool, 'state');
});
afterAll(async () => {
  await db.drop();
});

describe('readAppointmentStates', () => {
  it('moves the change sequence on every move (back to an earlier start too) and on cancel, not on other edits', async () => {
    const hold = await engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: at('2026-12-02 10:00'), sessionId: 'st-1' });
    const booked = await engine.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'st-1', client: { name: 'Al', email: 'al@example.com' } });
    const seqOf = async () => (await readAppointmentStates(db.pool, [{ tenantId: t.tenant.id, appointmentId: booked.id }])).get(booked.id)!;
    expect(await seqOf()).toMatchObject({ status: 'booked', changeSeq: 1 });
    const verify = { email: 'al@example.com' };
    for (const start of ['2026-12-02 11:00', '2026-12-02 10:00', '2026-12-02 11:00']) {
      await engine.reschedule({ tenantId: t.tenant.id, reference: booked.reference, verify, newStart: at(start) });
    }
    expect(await seqOf()).toMatchObject({ changeSeq: 4, startsAt: new Date(at('2026-12-02 11:00')) });
    await db.pool.query(`UPDATE appointments SET notes = 'window seat' WHERE id = $1`, [booked.id]);
    expect((await seqOf()).changeSeq).toBe(4);
    await engine.cancel({ tenantId: t.tenant.id, reference: booked.reference, verify });
    expect(await seqOf()).toMatchObject({ status: 'cancelled', changeSeq: 5 });
  });

  it('leaves out appointments that do not exist or belong to another tenant', async () => {
    const other = await createBookingTenant(db.pool, 'state-other');
    const hold = await engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: at('2026-12-02 14:00'), sessionId: 'st-2' });
    const booked = await engine.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'st-2', client: { name: 'Bo', email: 'bo@example.com' } });
    const states = await readAppointmentStates(db.pool, [
      { tenantId: other.tenant.id, appointmentId: booked.id },
      { tenantId: t.tenant.id, appointmentId: '00000000-0000-4000-8000-000000000009' },
    ]);
    expect(states.size).toBe(0);
  });
});
