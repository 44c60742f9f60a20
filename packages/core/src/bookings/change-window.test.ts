import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, failureOf } from '../../test/fixtures.js';
import { createBookingEngine, type BookingEngine } from '../engine/engine.js';
import { listEvents } from '../events/events.js';
import { createTestDatabase, ManualClock, type TestDatabase } from '../testing/index.js';
import { createTenant, readServices } from '../tenants/tenants.js';
import { withTenant } from '../db/transaction.js';
import { updateService } from '../tenants/update-service.js';
import type { Service, Tenant } from '../tenants/types.js';
import { decideChangeWindow } from './change-window.js';

const ny = (local: string) => DateTime.fromISO(local, { zone: 'America/New_York' }).toJSDate();

describe('decideChangeWindow', () => {
  const start = new Date('2026-12-02T15:00:00Z');
  it.each([
    // [now, deadline hours, override, expected]
    ['2026-12-01T14:59:59Z', 24, false, 'allowed'],
    ['2026-12-01T15:00:00Z', 24, false, 'allowed'], // exactly N hours before: still allowed
    ['2026-12-01T15:00:01Z', 24, false, 'CHANGE_DEADLINE_PASSED'],
    ['2026-12-02T14:59:00Z', 24, false, 'CHANGE_DEADLINE_PASSED'],
    ['2026-12-02T14:59:00Z', 24, true, 'overridden'],
    ['2026-12-02T14:59:00Z', 0, false, 'allowed'],
    ['2026-12-02T15:00:00Z', 0, false, 'APPOINTMENT_STARTED'],
    ['2026-12-02T15:00:00Z', 24, true, 'APPOINTMENT_STARTED'],
    ['2026-12-03T00:00:00Z', 2, true, 'APPOINTMENT_STARTED'],
  ] as const)('at %s with a %i-hour deadline (override %s): %s', (now, deadlineHours, overrideDeadline, expected) => {
    const decision = decideChangeWindow({ reference: 'GM-ABCDE', start, deadlineHours, now: new Date(now), overrideDeadline });
    const outcome = decision.allowed ? (decision.deadlineOverridden ? 'overridden' : 'allowed') : decision.code;
    expect(outcome).toBe(expected);
  });

  it('says the rule, the start and the deadline in the refusal', () => {
    const decision = decideChangeWindow({ reference: 'GM-ABCDE', start, deadlineHours: 24, now: new Date('2026-12-02T09:00:00Z') });
    expect(decision).toEqual({
      allowed: false,
      code: 'CHANGE_DEADLINE_PASSED',
      reason: 'Appointment GM-ABCDE starts at 2026-12-02T15:00Z; this service cannot be cancelled or moved within 24 hours of its start (the deadline was 2026-12-01T15:00Z)',
      deadline: '2026-12-01T15:00:00.000Z',
      deadlineHours: 24,
    });
  });

  // "N hours before the start" is absolute time. Across the spring-forward night (New York, 14 March
  // 2027, 02:00 → 03:00) 24 hours before noon is 11:00 the day before on the wall clock, not noon;
  // across the fall-back night (7 November 2027) it is 13:00.
  it.each([
    ['spring forward', '2027-03-14T12:00', '2027-03-13T11:00'],
    ['fall back', '2027-11-07T12:00', '2027-11-06T13:00'],
  ])('computes the deadline on absolute time across a DST change (%s)', (_change, startLocal, deadlineLocal) => {
    const decision = (now: Date) => decideChangeWindow({ reference: 'GM-ABCDE', start: ny(startLocal), deadlineHours: 24, now });
    const deadline = ny(deadlineLocal);
    expect(decision(deadline).allowed).toBe(true);
    expect(decision(new Date(deadline.getTime() + 1))).toMatchObject({ allowed: false, code: 'CHANGE_DEADLINE_PASSED', deadline: deadline.toISOString() });
    expect(deadline.getTime()).toBe(ny(startLocal).getTime() - 24 * 3_600_000);
  });
});

describe('change deadline per service', () => {
  let db: TestDatabase;
  let clock: ManualClock;
  let engine: BookingEngine;
  let tenant: Tenant;
  let strict: Service;
  let relaxed: Service;

  beforeAll(async () => {
    db = await createTestDatabase();
    clock = new ManualClock('2027-03-10T12:00:00Z');
    engine = createBookingEngine({ pool: db.pool, clock });
    tenant = await createTenant(db.pool, {
      name: 'Deadline clinic',
      slug: 'deadline-clinic',
      timeZone: 'America/New_York',
      minNoticeMinutes: 0,
      services: [
        { name: 'Strict', durationMinutes: 30, changeDeadlineHours: 24 },
        { name: 'Relaxed', durationMinutes: 30 },
      ],
      hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '23:59' })),
    });
    const services = await withTenant(db.pool, tenant.id, (c) => readServices(c, tenant.id));
    strict = services.find((s) => s.name === 'Strict')!;
    relaxed = services.find((s) => s.name === 'Relaxed')!;
  });
  afterAll(async () => {
    await db.drop();
  });

  async function book(service: Service, local: string): Promise<string> {
    clock.set('2027-03-10T12:00:00Z');
    const hold = await engine.hold({ tenantId: tenant.id, serviceId: service.id, start: ny(local).toISOString(), sessionId: 's' });
    return (await engine.confirm({ tenantId: tenant.id, holdId: hold.id, sessionId: 's', client })).reference;
  }

  it('stores the setting from onboarding and reads it back on the service', () => {
    expect(strict.changeDeadlineHours).toBe(24);
    expect(relaxed.changeDeadlineHours).toBe(0);
  });

  it('refuses a customer cancel and move within the deadline (across the DST night), and checkChange agrees', async () => {
    const reference = await book(strict, '2027-03-14T12:00');
    clock.set(new Date(ny('2027-03-13T11:00').getTime() + 60_000));
    const verify = { email: client.email };
    const cancel = await failureOf(engine.cancel({ tenantId: tenant.id, reference, verify }));
    expect(cancel).toMatchObject({ code: 'CHANGE_DEADLINE_PASSED', field: 'reference' });
    expect(cancel.message).toContain('within 24 hours of its start (the deadline was 2027-03-13T16:00Z)');
    expect(await failureOf(engine.reschedule({ tenantId: tenant.id, reference, verify, newStart: ny('2027-03-15T12:00').toISOString() }))).toMatchObject({ code: 'CHANGE_DEADLINE_PASSED' });
    await expect(engine.checkChange({ tenantId: tenant.id, reference, verify })).resolves.toMatchObject({ allowed: false, code: 'CHANGE_DEADLINE_PASSED' });
    clock.set(ny('2027-03-13T11:00'));
    await expect(engine.cancel({ tenantId: tenant.id, reference, verify })).resolves.toMatchObject({ status: 'cancelled' });
  });

  it('refuses a customer who asks to override, naming the field', async () => {
    const reference = await book(strict, '2027-03-14T13:00');
    const error = await failureOf(engine.cancel({ tenantId: tenant.id, reference, verify: { email: client.email }, overrideDeadline: true }));
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'overrideDeadline' });
  });

  it('lets staff override the deadline explicitly, and records the override on the event', async () => {
    const reference = await book(strict, '2027-03-14T14:00');
    clock.set(ny('2027-03-14T10:00'));
    expect(await failureOf(engine.cancel({ tenantId: tenant.id, reference, verify: { staff: true } }))).toMatchObject({ code: 'CHANGE_DEADLINE_PASSED' });
    const moved = await engine.reschedule({ tenantId: tenant.id, reference, verify: { staff: true }, newStart: ny('2027-03-14T16:00').toISOString(), overrideDeadline: true });
    expect(moved.start).toBe('2027-03-14T16:00:00.000-04:00');
    await engine.cancel({ tenantId: tenant.id, reference, verify: { staff: true }, overrideDeadline: true, reason: 'doctor ill' });
    const events = (await listEvents(db.pool, { tenantId: tenant.id })).filter((e) => e.payload.reference === reference);
    expect(events.find((e) => e.type === 'booking.rescheduled')!.payload).toMatchObject({ deadlineOverridden: { deadlineHours: 24 } });
    expect(events.find((e) => e.type === 'booking.cancelled')!.payload).toMatchObject({ by: 'staff', deadlineOverridden: { deadlineHours: 24 } });
  });

  it('leaves a service without a deadline changeable until its start', async () => {
    const reference = await book(relaxed, '2027-03-14T12:00');
    clock.set(ny('2027-03-14T11:59'));
    await expect(engine.cancel({ tenantId: tenant.id, reference, verify: { phone: client.phone } })).resolves.toMatchObject({ status: 'cancelled' });
  });

  it('updates the deadline of an existing service and validates it, naming the field', async () => {
    await expect(updateService(db.pool, { tenantId: tenant.id, serviceId: relaxed.id, changeDeadlineHours: 48 })).resolves.toMatchObject({ id: relaxed.id, changeDeadlineHours: 48 });
    await expect(updateService(db.pool, { tenantId: tenant.id, serviceId: relaxed.id })).resolves.toMatchObject({ changeDeadlineHours: 48 });
    for (const bad of [-1, 721, 1.5, '24']) {
      expect(await failureOf(updateService(db.pool, { tenantId: tenant.id, serviceId: relaxed.id, changeDeadlineHours: bad as number }))).toMatchObject({ code: 'VALIDATION', field: 'changeDeadlineHours' });
    }
    expect(await failureOf(updateService(db.pool, { tenantId: tenant.id, serviceId: '00000000-0000-4000-8000-000000000000', changeDeadlineHours: 1 }))).toMatchObject({ code: 'NOT_FOUND', field: 'serviceId' });
    expect(await failureOf(createTenant(db.pool, { name: 'X', slug: 'bad-deadline', timeZone: 'UTC', services: [{ name: 'S', durationMinutes: 30, changeDeadlineHours: -2 }], hours: [] }))).toMatchObject({
      code: 'VALIDATION',
      field: 'services.0.changeDeadlineHours',
    });
  });
});
