// Core's read models for other packages: each returns what its caller used to read with its own SQL,
// and runs in the caller's transaction (they take its client).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/transaction.js';
import { createBookingEngine, type BookingEngine } from '../engine/engine.js';
import { readTenant } from '../tenants/tenants.js';
import { createTestDatabase, ManualClock, type TestDatabase } from '../testing/index.js';
import { at, client, createBookingTenant, testNow, type BookingTenant } from '../../test/fixtures.js';
import { findSessionContact, hasSessionBookedSince, listUpcomingByPhone, readActiveHoldsOfSession, readAppointmentView, readHoldView } from './appointment-views.js';
import { findTenantId, lockWaitlistMatch, readOpeningHours, updateTenantSettings } from './tenant-views.js';
import { countActiveHolds } from '../bookings/count-active-holds.js';

let db: TestDatabase;
let engine: BookingEngine;
let t: BookingTenant;

beforeAll(async () => {
  db = await createTestDatabase();
  engine = createBookingEngine({ pool: db.pool, clock: new ManualClock(testNow) });
  t = await createBookingTenant(db.pool, 'read-models');
});
afterAll(async () => {
  await db.drop();
});

describe('read models', () => {
  it('reads a booked appointment with its service, resource, tenant zone and contact', async () => {
    const hold = await engine.hold({ tenantId: t.tenant.id, serviceId: t.chenOnly.id, start: at('2026-12-03 10:00'), sessionId: 'rm-1' });
    const activeHolds = await withTenant(db.pool, t.tenant.id, (c) => readActiveHoldsOfSession(c, { tenantId: t.tenant.id, sessionId: 'rm-1' }));
    expect(activeHolds).toEqual([{ id: hold.id, expiresAt: new Date(hold.expiresAt) }]);
    const booking = await engine.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'rm-1', client });
    await withTenant(db.pool, t.tenant.id, async (c) => {
      const view = await readAppointmentView(c, { tenantId: t.tenant.id, appointmentId: booking.id });
      expect(view).toMatchObject({
        id: booking.id,
        reference: booking.reference,
        status: 'booked',
        start: new Date(at('2026-12-03 10:00')).toISOString(),
        clientName: client.name,
        clientPhone: client.phone,
        sessionId: 'rm-1',
        serviceName: t.chenOnly.name,
        resourceName: 'Dr. Chen',
        businessName: t.tenant.name,
        timeZone: 'America/New_York',
      });
      expect(await readAppointmentView(c, { tenantId: t.tenant.id, appointmentId: '00000000-0000-4000-8000-000000000000' })).toBeNull();
      expect(await readHoldView(c, { tenantId: t.tenant.id, holdId: hold.id })).toMatchObject({ status: 'confirmed', sessionId: 'rm-1', serviceName: t.chenOnly.name });
      expect(await readActiveHoldsOfSession(c, { tenantId: t.tenant.id, sessionId: 'rm-1' })).toEqual([]);
      expect(await hasSessionBookedSince(c, { tenantId: t.tenant.id, sessionId: 'rm-1', since: new Date(0) })).toBe(true);
      expect(await hasSessionBookedSince(c, { tenantId: t.tenant.id, sessionId: 'rm-other', since: new Date(0) })).toBe(false);
      expect(await findSessionContact(c, { tenantId: t.tenant.id, sessionId: 'rm-1' })).toMatchObject({ name: client.name, phone: client.phone });
      expect(await findSessionContact(c, { tenantId: t.tenant.id, sessionId: 'rm-other' })).toBeNull();
      const upcoming = await listUpcomingByPhone(c, { tenantId: t.tenant.id, phone: client.phone, now: new Date(testNow), limit: 5 });
      expect(upcoming).toEqual([{ reference: booking.reference, serviceName: t.chenOnly.name, start: new Date(at('2026-12-03 10:00')) }]);
      expect(await listUpcomingByPhone(c, { tenantId: t.tenant.id, phone: client.phone, now: new Date('2026-12-04T00:00:00Z'), limit: 5 })).toEqual([]);
    });
  });

  it('locks a matching waitlist entry, skipping the ones named', async () => {
    const entry = await engine.joinWaitlist({ tenantId: t.tenant.id, serviceId: t.consult.id, windowStart: '2026-12-07', windowEnd: '2026-12-08', client: { name: 'Grace', phone: '+15551239999' }, sessionId: 'rm-w' });
    const slot = { tenantId: t.tenant.id, serviceId: t.consult.id, resourceId: null, start: at('2026-12-07 09:00') };
    await withTenant(db.pool, t.tenant.id, async (c) => {
      expect(await lockWaitlistMatch(c, { ...slot, skipEntryIds: [] })).toMatchObject({ id: entry.id, clientName: 'Grace', serviceName: t.consult.name, timeZone: 'America/New_York' });
      expect(await lockWaitlistMatch(c, { ...slot, skipEntryIds: [entry.id] })).toBeNull();
      expect(await lockWaitlistMatch(c, { ...slot, start: at('2026-12-10 09:00'), skipEntryIds: [] })).toBeNull();
    });
  });

  it('reads opening hours, finds a tenant id in any case, and updates settings in the caller’s transaction', async () => {
    await withTenant(db.pool, t.tenant.id, async (c) => {
      const hours = await readOpeningHours(c, t.tenant.id);
      expect(hours.length).toBeGreaterThan(0);
      expect(hours[0]).toEqual({ weekday: expect.any(Number), opens: expect.stringMatching(/^\d\d:\d\d$/), closes: expect.stringMatching(/^\d\d:\d\d$/) });
      expect(await findTenantId(c, t.tenant.id.toUpperCase())).toBe(t.tenant.id);
      expect(await findTenantId(c, 'not-a-tenant')).toBeNull();
    });
    await expect(
      withTenant(db.pool, t.tenant.id, async (c) => {
        await updateTenantSettings(c, t.tenant.id, { name: 'Renamed', settings: { locale: 'es' } });
        expect(await readTenant(c, t.tenant.id)).toMatchObject({ name: 'Renamed', settings: { locale: 'es' }, lookaheadDays: t.tenant.lookaheadDays });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await withTenant(db.pool, t.tenant.id, async (c) => expect((await readTenant(c, t.tenant.id)).name).toBe(t.tenant.name));
  });

  it('counts the holds that still keep their slot: not released, not confirmed, not lapsed', async () => {
    const start = (time: string) => at(`2026-12-04 ${time}`);
    const [kept, released, confirmed] = await Promise.all(
      ['09:00', '10:00', '11:00'].map((time, i) => engine.hold({ tenantId: t.tenant.id, serviceId: t.chenOnly.id, start: start(time), sessionId: `count-${i}` })),
    );
    await engine.releaseHold({ tenantId: t.tenant.id, holdId: released!.id, sessionId: 'count-1' });
    await engine.confirm({ tenantId: t.tenant.id, holdId: confirmed!.id, sessionId: 'count-2', client: { name: 'Count Only', email: 'count-only@example.com' } });
    const ids = [kept!.id, released!.id, confirmed!.id];
    const count = (now: Date, holdIds = ids) => withTenant(db.pool, t.tenant.id, (c) => countActiveHolds(c, { tenantId: t.tenant.id, holdIds, now }));
    expect(await count(new Date(testNow))).toBe(1);
    expect(await count(new Date(new Date(kept!.expiresAt).getTime() + 1))).toBe(0);
    expect(await count(new Date(testNow), [])).toBe(0);
  });
});
