import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ManualClock, type TestDatabase } from '../testing/index.js';
import { createBookingEngine, type BookingEngine } from '../engine/engine.js';
import { listEvents } from '../events/events.js';
import { at, client, countRows, createBookingTenant, failureOf, testNow, type BookingTenant } from '../../test/fixtures.js';
import type { Appointment } from './types.js';

let db: TestDatabase;
let engine: BookingEngine;
let t: BookingTenant;
let other: BookingTenant;

beforeAll(async () => {
  db = await createTestDatabase();
  engine = createBookingEngine({ pool: db.pool, clock: new ManualClock(testNow) });
  t = await createBookingTenant(db.pool, 'manage-clinic');
  other = await createBookingTenant(db.pool, 'other-clinic');
});
afterAll(async () => {
  await db.drop();
});

async function book(local: string, options: { resourceId?: string; tenant?: BookingTenant; sessionId?: string } = {}): Promise<Appointment> {
  const tt = options.tenant ?? t;
  const sessionId = options.sessionId ?? 'chat-m';
  const hold = await engine.hold({ tenantId: tt.tenant.id, serviceId: tt.consult.id, start: at(local), resourceId: options.resourceId ?? tt.chen.id, sessionId });
  return engine.confirm({ tenantId: tt.tenant.id, holdId: hold.id, sessionId, client });
}

const claimOf = async (id: string) => (await db.pool.query('SELECT c.is_active AS "isActive", lower(c.during) AS start FROM appointments a JOIN claims c ON c.id = a.claim_id WHERE a.id = $1', [id])).rows[0];

describe('lookupAppointment', () => {
  it('finds a booking by reference and its email, ignoring case and spacing of both', async () => {
    const booking = await book('2026-12-02 09:00');
    const found = await engine.lookup({ tenantId: t.tenant.id, reference: ` ${booking.reference.toLowerCase()} `, verify: { email: 'ADA@example.COM' } });
    expect(found).toEqual(booking);
  });

  it('finds a booking by its phone', async () => {
    const booking = await book('2026-12-02 09:30');
    await expect(engine.lookup({ tenantId: t.tenant.id, reference: booking.reference, verify: { phone: '+15551230001' } })).resolves.toMatchObject({ id: booking.id });
  });

  it('answers a wrong contact with CONTACT_MISMATCH that reveals nothing of the booking', async () => {
    const booking = await book('2026-12-02 10:00');
    const error = await failureOf(engine.lookup({ tenantId: t.tenant.id, reference: booking.reference, verify: { email: 'mallory@example.com' } }));
    expect(error).toMatchObject({ code: 'CONTACT_MISMATCH', field: 'verify.email' });
    expect(error.message).not.toMatch(/Ada|Example|555|Chen|Consultation|2026/i);
    expect(await failureOf(engine.lookup({ tenantId: t.tenant.id, reference: booking.reference, verify: { phone: '+15559999999' } }))).toMatchObject({ code: 'CONTACT_MISMATCH' });
  });

  it('answers an unknown reference with NOT_FOUND', async () => {
    expect(await failureOf(engine.lookup({ tenantId: t.tenant.id, reference: 'GM-ZZZZZ', verify: { email: 'ada@example.com' } }))).toMatchObject({ code: 'NOT_FOUND', field: 'reference' });
  });

  it("never shows another tenant's booking, even with the right contact", async () => {
    const theirs = await book('2026-12-02 10:00', { tenant: other, resourceId: other.chen.id });
    expect(await failureOf(engine.lookup({ tenantId: t.tenant.id, reference: theirs.reference, verify: { email: client.email } }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failureOf(engine.cancel({ tenantId: t.tenant.id, reference: theirs.reference, verify: { staff: true } }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failureOf(engine.getAppointment({ tenantId: t.tenant.id, reference: theirs.reference }))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it.each([
    ['reference', { reference: 'GM-12' }],
    ['reference', { reference: 'x'.repeat(5000) }],
    ['verify', { verify: {} }],
    ['verify', { verify: { email: 'a@b.co', phone: '+15551230001' } }],
    ['verify.email', { verify: { email: 'nope' } }],
    ['verify.phone', { verify: { phone: '12' } }],
    ['verify.staff', { verify: { staff: false } }],
  ])('rejects a bad %s with VALIDATION', async (field, bad) => {
    const error = await failureOf(engine.lookup({ tenantId: t.tenant.id, reference: 'GM-ABCDE', verify: { email: 'a@b.co' }, ...bad } as never));
    expect(error).toMatchObject({ code: 'VALIDATION', field });
  });
});

describe('rescheduleAppointment', () => {
  it('moves the booking, frees the old time and records booking.rescheduled and slot.opened', async () => {
    const booking = await book('2026-12-04 09:00', { sessionId: 'chat-move' });
    const moved = await engine.reschedule({ tenantId: t.tenant.id, reference: booking.reference, verify: { email: 'ada@example.com' }, newStart: at('2026-12-04 14:00') });
    expect(moved).toMatchObject({ id: booking.id, reference: booking.reference, start: '2026-12-04T14:00:00.000-05:00', resourceId: t.chen.id, status: 'booked' });
    expect(await engine.getAppointment({ tenantId: t.tenant.id, reference: booking.reference })).toEqual(moved);
    // The old time is bookable again on the same resource.
    await expect(engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: at('2026-12-04 09:00'), resourceId: t.chen.id, sessionId: 'x' })).resolves.toBeTruthy();
    const events = await listEvents(db.pool, { tenantId: t.tenant.id });
    const rescheduled = events.find((e) => e.type === 'booking.rescheduled' && e.subjectId === booking.id)!;
    expect(rescheduled.sessionId).toBe('chat-move');
    expect(rescheduled.payload).toMatchObject({ reference: booking.reference, start: moved.start, previous: { start: booking.start, resourceId: t.chen.id } });
    const opened = events.find((e) => e.type === 'slot.opened' && e.payload.appointmentId === booking.id)!;
    expect(opened.payload).toMatchObject({ start: booking.start, end: booking.end, resourceId: t.chen.id, cause: 'rescheduled' });
  });

  it('moves a booking by 15 minutes onto a range overlapping its own', async () => {
    const booking = await book('2026-12-04 10:00');
    const moved = await engine.reschedule({ tenantId: t.tenant.id, reference: booking.reference, verify: { staff: true }, newStart: at('2026-12-04 10:15') });
    expect(moved.start).toBe('2026-12-04T10:15:00.000-05:00');
    expect(moved.resourceId).toBe(t.chen.id);
    expect(await countRows(db.pool, 'claims', `tenant_id = '${t.tenant.id}' AND is_active AND during && tstzrange('${at('2026-12-04 10:00')}', '${at('2026-12-04 10:15')}')`)).toBe(0);
  });

  it('keeps the booking where it was when the new time is taken', async () => {
    const booking = await book('2026-12-04 11:00');
    await book('2026-12-04 12:00');
    const error = await failureOf(engine.reschedule({ tenantId: t.tenant.id, reference: booking.reference, verify: { staff: true }, newStart: at('2026-12-04 12:00'), resourceId: t.chen.id }));
    expect(error).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    expect(error.message).toContain('"Dr. Chen" is already taken');
    expect(await claimOf(booking.id)).toEqual({ isActive: true, start: new Date(at('2026-12-04 11:00')) });
    expect((await engine.getAppointment({ tenantId: t.tenant.id, reference: booking.reference })).start).toBe(booking.start);
  });

  it('moves to another resource when the current one is busy at the new time', async () => {
    const booking = await book('2026-12-04 15:00');
    await book('2026-12-04 16:00');
    const moved = await engine.reschedule({ tenantId: t.tenant.id, reference: booking.reference, verify: { phone: '+15551230001' }, newStart: at('2026-12-04 16:00') });
    expect(moved).toMatchObject({ resourceId: t.rivera.id, resourceName: 'Dr. Rivera' });
  });

  it('refuses a wrong contact with CONTACT_MISMATCH and a cancelled booking with ALREADY_CANCELLED', async () => {
    const booking = await book('2026-12-04 17:00');
    const newStart = at('2026-12-04 18:00');
    expect(await failureOf(engine.reschedule({ tenantId: t.tenant.id, reference: booking.reference, verify: { email: 'eve@example.com' }, newStart }))).toMatchObject({ code: 'CONTACT_MISMATCH' });
    await engine.cancel({ tenantId: t.tenant.id, reference: booking.reference, verify: { staff: true } });
    expect(await failureOf(engine.reschedule({ tenantId: t.tenant.id, reference: booking.reference, verify: { staff: true }, newStart }))).toMatchObject({ code: 'ALREADY_CANCELLED' });
  });

  it('rejects a newStart without an offset with VALIDATION', async () => {
    const error = await failureOf(engine.reschedule({ tenantId: t.tenant.id, reference: 'GM-ABCDE', verify: { staff: true }, newStart: '2026-12-04 18:00' }));
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'newStart' });
  });
});

describe('cancelAppointment', () => {
  it('cancels, frees the claim and records booking.cancelled and slot.opened without contact details', async () => {
    const booking = await book('2026-12-05 09:00', { sessionId: 'chat-cancel' });
    const cancelled = await engine.cancel({ tenantId: t.tenant.id, reference: booking.reference, verify: { email: client.email }, reason: 'feeling better' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledAt: '2026-12-01T07:00:00.000-05:00' });
    expect((await claimOf(booking.id)).isActive).toBe(false);
    const events = await listEvents(db.pool, { tenantId: t.tenant.id });
    const mine = events.filter((e) => e.subjectId === booking.id || e.payload.appointmentId === booking.id).map((e) => e.type);
    expect(mine).toEqual(['booking.created', 'booking.cancelled', 'slot.opened']);
    expect(JSON.stringify(events.filter((e) => e.type === 'booking.cancelled'))).not.toMatch(/\bAda\b|example\.com|5551230001/i);
    await expect(engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: at('2026-12-05 09:00'), resourceId: t.chen.id, sessionId: 'y' })).resolves.toBeTruthy();
  });

  it('answers a second cancel with ALREADY_CANCELLED', async () => {
    const booking = await book('2026-12-05 10:00');
    await engine.cancel({ tenantId: t.tenant.id, reference: booking.reference, verify: { staff: true } });
    expect(await failureOf(engine.cancel({ tenantId: t.tenant.id, reference: booking.reference, verify: { staff: true } }))).toMatchObject({ code: 'ALREADY_CANCELLED' });
  });

  it('refuses a wrong contact with CONTACT_MISMATCH, leaving the booking booked', async () => {
    const booking = await book('2026-12-05 11:00');
    expect(await failureOf(engine.cancel({ tenantId: t.tenant.id, reference: booking.reference, verify: { phone: '+15550000000' } }))).toMatchObject({ code: 'CONTACT_MISMATCH' });
    expect((await engine.getAppointment({ tenantId: t.tenant.id, reference: booking.reference })).status).toBe('booked');
  });

  it('rejects a reason over 500 characters with VALIDATION', async () => {
    const error = await failureOf(engine.cancel({ tenantId: t.tenant.id, reference: 'GM-ABCDE', verify: { staff: true }, reason: 'r'.repeat(501) }));
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'reason' });
  });
});

describe('listAppointments', () => {
  it('pages through bookings in start order with an opaque cursor, filtered by range and status', async () => {
    const tt = await createBookingTenant(db.pool, 'list-clinic');
    const made: Appointment[] = [];
    for (const time of ['10:00', '09:00', '11:00', '09:00', '12:00']) made.push(await book(`2026-12-06 ${time}`, { tenant: tt, resourceId: made.some((m) => m.start.includes('T09:00')) && time === '09:00' ? tt.rivera.id : tt.chen.id }));
    await engine.cancel({ tenantId: tt.tenant.id, reference: made[4]!.reference, verify: { staff: true } });

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await engine.listAppointments({ tenantId: tt.tenant.id, limit: 2, cursor });
      seen.push(...page.appointments.map((a) => a.start.slice(11, 16)));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(seen).toEqual(['09:00', '09:00', '10:00', '11:00', '12:00']);
    expect(pages).toBe(3);

    const booked = await engine.listAppointments({ tenantId: tt.tenant.id, status: 'booked', from: at('2026-12-06 09:30'), to: at('2026-12-06 12:30') });
    expect(booked.appointments.map((a) => a.start.slice(11, 16))).toEqual(['10:00', '11:00']);
    expect(booked.nextCursor).toBeNull();
  });

  it.each([
    ['cursor', { cursor: 'not-a-cursor' }],
    ['limit', { limit: 0 }],
    ['limit', { limit: 1000 }],
    ['to', { from: '2026-12-06T10:00:00Z', to: '2026-12-06T09:00:00Z' }],
    ['status', { status: 'pending' }],
  ])('rejects a bad %s with VALIDATION', async (field, bad) => {
    const error = await failureOf(engine.listAppointments({ tenantId: t.tenant.id, ...bad } as never));
    expect(error).toMatchObject({ code: 'VALIDATION', field });
  });
});
