import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ManualClock, type TestDatabase } from '../testing/index.js';
import { createBookingEngine, type BookingEngine } from '../engine/engine.js';
import { listEvents } from '../events/events.js';
import { at, client, countRows, createBookingTenant, failureOf, testNow, type BookingTenant } from '../../test/fixtures.js';
import { referenceAlphabet } from './reference.js';

let db: TestDatabase;
let engine: BookingEngine;
let clock: ManualClock;
let t: BookingTenant;
let minute = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  clock = new ManualClock(testNow);
  engine = createBookingEngine({ pool: db.pool, clock });
  t = await createBookingTenant(db.pool, 'confirm-clinic');
});
afterAll(async () => {
  await db.drop();
});

/** A fresh hold on its own slot (each test takes the next half hour of 3 December). */
async function freshHold(sessionId = 'chat-1', ttlSeconds?: number) {
  const start = new Date(Date.parse(at('2026-12-03 08:00')) + 30 * 60_000 * minute++).toISOString();
  return engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start, sessionId, ttlSeconds });
}

describe('confirmHold', () => {
  it('turns the hold into a booking on the same claim, with a readable reference', async () => {
    const hold = await freshHold();
    const booking = await engine.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'chat-1', client, notes: 'first visit' });
    expect(booking.reference).toMatch(new RegExp(`^GM-[${referenceAlphabet}]{5}$`));
    expect(booking).toMatchObject({
      status: 'booked',
      start: hold.start,
      end: hold.end,
      resourceName: 'Dr. Chen',
      serviceName: 'Consultation',
      timeZone: 'America/New_York',
      client: { name: 'Ada Lovelace', email: 'Ada@Example.com', phone: '+15551230001' },
      notes: 'first visit',
      sessionId: 'chat-1',
      createdAt: '2026-12-01T07:00:00.000-05:00',
    });
    const { rows } = await db.pool.query(
      `SELECT h.status, a.claim_id = h.claim_id AS "sameClaim", c.is_active AS "isActive"
         FROM appointments a JOIN holds h ON h.id = a.hold_id JOIN claims c ON c.id = a.claim_id WHERE a.id = $1`,
      [booking.id],
    );
    expect(rows[0]).toEqual({ status: 'confirmed', sameClaim: true, isActive: true });
  });

  it('records booking.created for the session, with ids and times but no contact details', async () => {
    const hold = await freshHold('chat-events');
    const booking = await engine.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'chat-events', client });
    const events = await listEvents(db.pool, { tenantId: t.tenant.id, sessionId: 'chat-events' });
    expect(events.map((e) => e.type)).toEqual(['hold.created', 'booking.created']);
    const created = events[1]!;
    expect(created.payload).toEqual({ appointmentId: booking.id, reference: booking.reference, holdId: hold.id, serviceId: t.consult.id, resourceId: t.chen.id, start: booking.start, end: booking.end });
    expect(JSON.stringify(created.payload)).not.toMatch(/\bAda\b|Example|5551230001/i);
  });

  it('accepts a phone number alone', async () => {
    const hold = await freshHold();
    const booking = await engine.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'chat-1', client: { name: 'Bo', phone: '+447700900123' } });
    expect(booking.client).toEqual({ name: 'Bo', email: null, phone: '+447700900123' });
  });

  it('refuses a hold of another session with HOLD_NOT_ACTIVE, leaving it active', async () => {
    const hold = await freshHold('owner');
    const error = await failureOf(engine.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'intruder', client }));
    expect(error).toMatchObject({ code: 'HOLD_NOT_ACTIVE', field: 'sessionId' });
    expect(await countRows(db.pool, 'holds', `id = '${hold.id}' AND status = 'active'`)).toBe(1);
  });

  it('refuses to confirm the same hold twice with HOLD_NOT_ACTIVE', async () => {
    const hold = await freshHold();
    await engine.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'chat-1', client });
    const error = await failureOf(engine.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'chat-1', client }));
    expect(error).toMatchObject({ code: 'HOLD_NOT_ACTIVE' });
    expect(await countRows(db.pool, 'appointments', `hold_id = '${hold.id}'`)).toBe(1);
  });

  it('refuses a released hold with HOLD_NOT_ACTIVE', async () => {
    const hold = await freshHold();
    await engine.releaseHold({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'chat-1' });
    expect(await failureOf(engine.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'chat-1', client }))).toMatchObject({ code: 'HOLD_NOT_ACTIVE' });
  });

  it('refuses a hold past its TTL with HOLD_EXPIRED, even before the sweeper ran', async () => {
    const hold = await freshHold('chat-1', 60);
    clock.advance(60_000);
    try {
      const error = await failureOf(engine.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'chat-1', client }));
      expect(error).toMatchObject({ code: 'HOLD_EXPIRED', field: 'holdId' });
      expect(await countRows(db.pool, 'appointments', `hold_id = '${hold.id}'`)).toBe(0);
    } finally {
      clock.set(testNow);
    }
  });

  it('refuses an unknown hold with NOT_FOUND', async () => {
    const error = await failureOf(engine.confirm({ tenantId: t.tenant.id, holdId: '00000000-0000-4000-8000-000000000001', sessionId: 'chat-1', client }));
    expect(error).toMatchObject({ code: 'NOT_FOUND', field: 'holdId' });
  });

  it.each([
    ['client.email', { name: 'No Contact' }],
    ['client.email', { name: 'Bad Mail', email: 'not-an-email' }],
    ['client.phone', { name: 'Bad Phone', phone: '555-1234' }],
    ['client.name', { name: '   ', email: 'a@b.co' }],
    ['client.name', { name: 'x'.repeat(201), email: 'a@b.co' }],
    ['client.email', { name: 'Long', email: `${'x'.repeat(250)}@b.co` }],
  ])('rejects a bad %s with VALIDATION, writing nothing and keeping the hold', async (field, badClient) => {
    const hold = await freshHold();
    const before = await countRows(db.pool, 'appointments');
    const error = await failureOf(engine.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'chat-1', client: badClient as never }));
    expect(error).toMatchObject({ code: 'VALIDATION', field });
    expect(await countRows(db.pool, 'appointments')).toBe(before);
    expect(await countRows(db.pool, 'holds', `id = '${hold.id}' AND status = 'active'`)).toBe(1);
  });

  it('rejects notes longer than 2000 characters with VALIDATION', async () => {
    const hold = await freshHold();
    const error = await failureOf(engine.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'chat-1', client, notes: 'n'.repeat(2001) }));
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'notes' });
  });
});

describe('releaseHold', () => {
  it('frees the slot at once and records hold.released', async () => {
    const hold = await freshHold('chat-release');
    const released = await engine.releaseHold({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'chat-release' });
    expect(released.status).toBe('released');
    const again = await engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: hold.start, resourceId: t.chen.id, sessionId: 'other' });
    expect(again.resourceId).toBe(t.chen.id);
    const events = await listEvents(db.pool, { tenantId: t.tenant.id, sessionId: 'chat-release' });
    expect(events.map((e) => e.type)).toEqual(['hold.created', 'hold.released']);
  });

  it('refuses another session with HOLD_NOT_ACTIVE and a lapsed hold with HOLD_EXPIRED', async () => {
    const hold = await freshHold('mine', 30);
    expect(await failureOf(engine.releaseHold({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'yours' }))).toMatchObject({ code: 'HOLD_NOT_ACTIVE' });
    clock.advance(31_000);
    try {
      expect(await failureOf(engine.releaseHold({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'mine' }))).toMatchObject({ code: 'HOLD_EXPIRED' });
    } finally {
      clock.set(testNow);
    }
  });
});
