import { randomBytes } from 'node:crypto';
import { createBookingEngine, createTenant, updateTenantSettings, withTenant, type BookingEngine } from '@gomomo/core';
import { createTestDatabase, ManualClock, type TestDatabase } from '@gomomo/core/testing';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIcsSubscription, renderIcsSubscription, revokeIcsSubscription } from './subscriptions.js';

let db: TestDatabase;
let engine: BookingEngine;
const now = new Date('2026-12-01T12:00:00.000Z');
const client = { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+15551230001' };

beforeAll(async () => {
  db = await createTestDatabase();
  engine = createBookingEngine({ pool: db.pool, clock: new ManualClock(now.toISOString()) });
});
afterAll(async () => {
  await db?.drop();
});

async function clinicWithBooking(start: string): Promise<{ tenantId: string; resourceId: string; appointmentId: string; reference: string }> {
  const slug = `feed-${randomBytes(4).toString('hex')}`;
  const tenant = await createTenant(db.pool, {
    name: `Clinic ${slug}`,
    slug,
    timeZone: 'America/New_York',
    lookaheadDays: 60,
    minNoticeMinutes: 0,
    resources: [{ name: 'Chair' }],
    services: [{ name: 'Cleaning', durationMinutes: 30 }],
    hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '08:00', closes: '18:00' })),
  });
  const { rows } = await db.pool.query<{ resourceId: string; serviceId: string }>('SELECT r.id AS "resourceId", s.id AS "serviceId" FROM resources r JOIN services s ON s.tenant_id = r.tenant_id WHERE r.tenant_id = $1', [tenant.id]);
  const { resourceId, serviceId } = rows[0]!;
  const hold = await engine.hold({ tenantId: tenant.id, serviceId, start, resourceId, sessionId: `chat-${slug}` });
  const booking = await engine.confirm({ tenantId: tenant.id, holdId: hold.id, sessionId: `chat-${slug}`, client });
  return { tenantId: tenant.id, resourceId, appointmentId: booking.id, reference: booking.reference };
}

function eventsOf(ics: string): ICAL.Event[] {
  return new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
}

const render = (token: string) => renderIcsSubscription(db.pool, { token, now });

describe('the ICS subscription feed of a resource', () => {
  it('lists its bookings in a file ical.js reads: UTC times, a UID stable per appointment, the first name only', async () => {
    const c = await clinicWithBooking('2026-12-03T10:00:00-05:00');
    const { token } = await createIcsSubscription(db.pool, c);
    expect(token).toMatch(/^ics_[A-Za-z0-9_-]{43}$/);
    const feed = (await render(token))!;
    const [event, ...rest] = eventsOf(feed.ics);
    expect(rest).toEqual([]);
    expect(event!.uid).toBe(`${c.appointmentId}@gomomo`);
    expect(event!.startDate.toString()).toBe('2026-12-03T15:00:00Z');
    expect(event!.endDate.toString()).toBe('2026-12-03T15:30:00Z');
    expect(event!.summary).toBe(`Cleaning: Ada (${c.reference})`);
    expect(feed.ics).not.toMatch(/Lovelace|ada@example\.com|5551230001/);
    expect(new ICAL.Component(ICAL.parse(feed.ics)).getFirstPropertyValue('x-wr-timezone')).toBe('America/New_York');
  });

  it('keeps its ETag while nothing changes, and drops a cancelled appointment', async () => {
    const c = await clinicWithBooking('2026-12-04T11:00:00-05:00');
    const { token } = await createIcsSubscription(db.pool, c);
    const first = (await render(token))!;
    expect((await render(token))!.etag).toBe(first.etag);
    await engine.cancel({ tenantId: c.tenantId, reference: c.reference, verify: { staff: true } });
    const after = (await render(token))!;
    expect(after.etag).not.toBe(first.etag);
    expect(eventsOf(after.ics)).toEqual([]);
  });

  it('adds contact details only when the tenant opted in', async () => {
    const c = await clinicWithBooking('2026-12-05T09:00:00-05:00');
    await withTenant(db.pool, c.tenantId, (client) => updateTenantSettings(client, c.tenantId, { settings: { calendarContactDetails: true } }));
    const { token } = await createIcsSubscription(db.pool, c);
    expect(eventsOf((await render(token))!.ics)[0]!.description).toContain('ada@example.com');
  });

  it('a revoked token answers nothing, like an unknown one; re-creating replaces the old URL', async () => {
    const c = await clinicWithBooking('2026-12-07T09:00:00-05:00');
    const { token: first } = await createIcsSubscription(db.pool, c);
    const { token: second } = await createIcsSubscription(db.pool, c);
    expect(await render(first)).toBeNull();
    expect(await render(second)).not.toBeNull();
    expect(await revokeIcsSubscription(db.pool, c)).toBe(true);
    expect(await render(second)).toBeNull();
    expect(await render(`ics_${randomBytes(32).toString('base64url')}`)).toBeNull();
    expect(await render('not-a-token')).toBeNull();
    expect(await revokeIcsSubscription(db.pool, c)).toBe(false);
  });

  it("one tenant's token never lists another tenant's bookings", async () => {
    const a = await clinicWithBooking('2026-12-08T09:00:00-05:00');
    const b = await clinicWithBooking('2026-12-08T09:00:00-05:00');
    const { token } = await createIcsSubscription(db.pool, a);
    await createIcsSubscription(db.pool, b);
    const feed = (await render(token))!.ics;
    expect(eventsOf(feed).map((e) => e.uid)).toEqual([`${a.appointmentId}@gomomo`]);
    expect(feed).not.toContain(b.reference);
    // And a resource of another tenant cannot be given a feed by this one.
    await expect(createIcsSubscription(db.pool, { tenantId: a.tenantId, resourceId: b.resourceId })).rejects.toMatchObject({ code: 'VALIDATION', field: 'resourceId' });
  });
});
