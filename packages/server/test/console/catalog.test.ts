// The console's catalog (services, resources, who does what, a resource's own hours), quiet hours
// and the audit log's local-day filter, through the real procedures with owner and staff sessions.
import { appendAudit } from '@gomomo/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, trpcData, trpcError, type Harness, type TestTenant } from '../harness.js';
import { asStaff, createOwner, ownerPassword, signIn, type ConsoleSession } from './support.js';

interface Catalog {
  services: { id: string; name: string; durationMinutes: number; bufferAfterMinutes: number; isActive: boolean; resourceIds: string[]; upcomingBookings: number }[];
  resources: { id: string; name: string; isActive: boolean; hours: { weekday: number; opens: string; closes: string }[] }[];
}

let h: Harness;
let t: TestTenant;
let owner: ConsoleSession;
let staff: ConsoleSession;

beforeAll(async () => {
  h = await createHarness();
  t = await h.onboard('console-catalog', 'https://catalog.example');
  await createOwner(h, t);
  owner = await signIn(h, { tenant: 'console-catalog', email: 'owner@clinic.example', password: ownerPassword });
  trpcData(await asStaff(h, owner, 'console.auth.invite', { email: 'staff@clinic.example', role: 'staff' }));
  const { rows } = await h.db.pool.query<{ body: string }>(`SELECT body FROM notification_outbox WHERE tenant_id = $1 AND template = 'staff_invite'`, [t.id]);
  const token = /#\/accept\/([\w-]+)/.exec(rows[0]!.body)![1]!;
  trpcData(await h.call('console.auth.acceptInvite', { token, name: 'Sam Staff', password: 'staff password' }, { headers: { 'x-gomomo-csrf': '1' } }));
  staff = await signIn(h, { tenant: 'console-catalog', email: 'staff@clinic.example', password: 'staff password' });
});
afterAll(() => h.close());

const catalog = async (session = owner) => trpcData<Catalog>(await asStaff(h, session, 'console.catalog.list'));

describe('console catalog', () => {
  it('creates a service for one resource, audited with the owner, and it is bookable there only', async () => {
    const { resources } = await catalog();
    const drB = resources.find((r) => r.name === 'Dr. B')!;
    const { id } = trpcData<{ id: string }>(await asStaff(h, owner, 'console.catalog.createService', { name: 'Massage', durationMinutes: 60, bufferAfterMinutes: 15, resources: ['Dr. B'] }));
    expect((await catalog()).services.find((s) => s.id === id)).toMatchObject({ durationMinutes: 60, bufferAfterMinutes: 15, isActive: true, resourceIds: [drB.id] });
    const slots = trpcData<{ start: string; resourceIds: string[] }[]>(await asStaff(h, owner, 'console.bookings.slots', { serviceId: id, date: '2026-12-02' }));
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.every((s) => s.resourceIds.join() === drB.id)).toBe(true);
    const { rows } = await h.db.pool.query<{ subject_id: string; details: { staffId: string } }>(`SELECT subject_id, details FROM audit_log WHERE tenant_id = $1 AND action = 'settings.service_create'`, [t.id]);
    expect(rows).toEqual([{ subject_id: id, details: expect.objectContaining({ staffId: owner.staffId, service: 'Massage' }) }]);
  });

  it.each([
    ['durationMinutes', { name: 'Blink', durationMinutes: 2 }, 'must be at least 5 minutes'],
    ['bufferBeforeMinutes', { name: 'Neg', durationMinutes: 30, bufferBeforeMinutes: -1 }, 'must not be negative'],
    ['name', { name: 'Consultation', durationMinutes: 30 }, '"Consultation" is already used'],
  ])('answers a bad %s with a 4xx naming the field', async (field, service, message) => {
    const response = await asStaff(h, owner, 'console.catalog.createService', service);
    expect([400, 409]).toContain(response.statusCode);
    const error = trpcError(response);
    expect(`${error.message} ${JSON.stringify(error.fields ?? [])}`).toContain(field);
    expect(`${error.message} ${JSON.stringify(error.fields ?? [])}`).toContain(message);
  });

  it('maps services to a resource with checkboxes’ semantics, and gives it its own hours for the preview', async () => {
    const { resources, services } = await catalog();
    const drA = resources.find((r) => r.name === 'Dr. A')!;
    const massage = services.find((s) => s.name === 'Massage')!;
    trpcData(await asStaff(h, owner, 'console.catalog.setResourceServices', { resourceId: drA.id, serviceIds: [massage.id] }));
    const after = await catalog();
    expect(after.services.find((s) => s.name === 'Massage')!.resourceIds.sort()).toEqual([drA.id, massage.resourceIds[0]!].sort());
    // Consultation was "any resource": unticking it for Dr. A leaves Dr. B alone doing it.
    expect(after.services.find((s) => s.name === 'Consultation')!.resourceIds).toEqual([massage.resourceIds[0]]);
    trpcData(await asStaff(h, owner, 'console.catalog.editResource', { resourceId: drA.id, hours: [{ weekday: 3, opens: '09:00', closes: '11:00' }] }));
    const slots = trpcData<{ start: string }[]>(await asStaff(h, owner, 'console.bookings.slots', { serviceId: massage.id, date: '2026-12-02', resourceId: drA.id }));
    // Dr. A's own Wednesday (09:00–11:00), not the business's 09:00–17:00: the last hour-long start is 10:00.
    expect(slots.map((s) => s.start.slice(11, 16))).toEqual(['09:00', '09:15', '09:30', '09:45', '10:00']);
    const bad = await asStaff(h, owner, 'console.catalog.editResource', { resourceId: drA.id, hours: [{ weekday: 8, opens: '09:00', closes: '11:00' }] });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(trpcError(bad))).toContain('hours.0.weekday');
  });

  it('deactivates a service with bookings instead of deleting it, and says how many are coming', async () => {
    const massage = (await catalog()).services.find((s) => s.name === 'Massage')!;
    const slots = trpcData<{ start: string }[]>(await asStaff(h, owner, 'console.bookings.slots', { serviceId: massage.id, date: '2026-12-03' }));
    trpcData(await asStaff(h, owner, 'console.bookings.create', { serviceId: massage.id, start: slots[0]!.start, client: { name: 'Ana', email: 'ana@example.com' } }));
    trpcData(await asStaff(h, owner, 'console.catalog.editService', { serviceId: massage.id, isActive: false }));
    const after = (await catalog()).services.find((s) => s.id === massage.id)!;
    expect(after).toMatchObject({ isActive: false, upcomingBookings: 1 });
    const offered = trpcData<{ id: string }[]>(await h.call('services.list', undefined, { key: t.secretKey }));
    expect(offered.map((s) => s.id)).not.toContain(massage.id);
  });

  it('a booking of a service turned off can still be moved and cancelled', async () => {
    const grid = trpcData<{ bookings: { reference: string; serviceName: string; start: string }[] }>(await asStaff(h, owner, 'console.bookings.grid', { from: '2026-12-03', days: 1 }));
    const booking = grid.bookings.find((b) => b.serviceName === 'Massage')!;
    const moved = trpcData<{ start: string; serviceName: string }>(await asStaff(h, owner, 'console.bookings.move', { reference: booking.reference, newStart: '2026-12-03T19:00:00Z' }));
    expect(moved).toMatchObject({ start: '2026-12-03T14:00:00.000-05:00', serviceName: 'Massage' });
    // Still not offered: no new booking can be made for it.
    expect((await asStaff(h, owner, 'console.bookings.slots', { serviceId: (await catalog()).services.find((s) => s.name === 'Massage')!.id, date: '2026-12-07' })).statusCode).toBe(404);
    expect(trpcData<{ status: string }>(await asStaff(h, owner, 'console.bookings.cancel', { reference: booking.reference })).status).toBe('cancelled');
  });

  it('lets staff read the catalog and quiet hours but not change them', async () => {
    expect((await catalog(staff)).services.length).toBeGreaterThan(0);
    expect(trpcData(await asStaff(h, staff, 'console.quietHours.get'))).toEqual({ sendFrom: '08:00', sendUntil: '21:00' });
    expect((await asStaff(h, staff, 'console.catalog.createService', { name: 'Sneaky', durationMinutes: 30 })).statusCode).toBe(403);
    expect((await asStaff(h, staff, 'console.quietHours.set', { sendFrom: '00:00', sendUntil: '23:59' })).statusCode).toBe(403);
  });
});

describe('console quiet hours', () => {
  it('saves the sending window where the SMS sender reads it, keeping the other settings', async () => {
    trpcData(await h.call('tenant.update', { settings: { greeting: 'Hi', sms: { fromName: 'Clinic' } } }, { key: t.secretKey }));
    trpcData(await asStaff(h, owner, 'console.quietHours.set', { sendFrom: '09:30', sendUntil: '20:00' }));
    const { rows } = await h.db.pool.query<{ settings: unknown }>('SELECT settings FROM tenants WHERE id = $1', [t.id]);
    expect(rows[0]!.settings).toEqual({ greeting: 'Hi', sms: { fromName: 'Clinic', quietHours: { sendFrom: '09:30', sendUntil: '20:00' } } });
    expect(trpcData(await asStaff(h, staff, 'console.quietHours.get'))).toEqual({ sendFrom: '09:30', sendUntil: '20:00' });
  });

  it('refuses a bad window with the field named', async () => {
    const response = await asStaff(h, owner, 'console.quietHours.set', { sendFrom: '25:00', sendUntil: '20:00' });
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(trpcError(response))).toContain('sendFrom');
  });

  it('tenant.update refuses quiet hours the SMS sender could not read (400 naming the field)', async () => {
    const response = await h.call('tenant.update', { settings: { sms: { quietHours: { sendFrom: '8am', sendUntil: '21:00' } } } }, { key: t.secretKey });
    expect(response.statusCode).toBe(400);
    expect(trpcError(response).message).toContain('settings.sms.quietHours.sendFrom');
  });
});

describe('console audit date filter', () => {
  it('reads "from" and "to" as the business’s local days, far from UTC (Pacific/Auckland)', async () => {
    await h.db.pool.query(`UPDATE tenants SET time_zone = 'Pacific/Auckland' WHERE id = $1`, [t.id]);
    // 2 December in Auckland (NZDT, UTC+13) runs from 2026-12-01T11:00Z to 2026-12-02T11:00Z.
    const at = (iso: string, action: string) => appendAudit(h.db.pool, { tenantId: t.id, actor: 'staff', channel: 'system', action, outcome: 'succeeded', details: {}, occurredAt: new Date(iso) });
    await at('2026-12-01T10:55:00Z', 'test.before_local_midnight');
    await at('2026-12-01T11:05:00Z', 'test.just_after_local_midnight');
    await at('2026-12-02T10:55:00Z', 'test.late_that_evening');
    await at('2026-12-02T11:05:00Z', 'test.next_local_day');
    const page = trpcData<{ entries: { action: string }[] }>(await asStaff(h, owner, 'console.audit.list', { from: '2026-12-02', to: '2026-12-02' }));
    expect(page.entries.map((e) => e.action).filter((a) => a.startsWith('test.'))).toEqual(['test.late_that_evening', 'test.just_after_local_midnight']);
  });
});

describe('console catalog, turning a resource off', () => {
  it('a booking of a resource turned off still shows in the day grid', async () => {
    const drB = (await catalog()).resources.find((r) => r.name === 'Dr. B')!;
    const consultation = (await catalog()).services.find((s) => s.name === 'Consultation')!;
    const slots = trpcData<{ start: string }[]>(await asStaff(h, owner, 'console.bookings.slots', { serviceId: consultation.id, date: '2026-12-04', resourceId: drB.id }));
    const booked = trpcData<{ reference: string }>(
      await asStaff(h, owner, 'console.bookings.create', { serviceId: consultation.id, start: slots[0]!.start, resourceId: drB.id, client: { name: 'Bo', email: 'bo@example.com' } }),
    );
    trpcData(await asStaff(h, owner, 'console.catalog.editResource', { resourceId: drB.id, isActive: false }));
    expect((await catalog()).resources.find((r) => r.id === drB.id)).toMatchObject({ isActive: false, upcomingBookings: 1 });
    const grid = trpcData<{ resources: { id: string }[]; bookings: { reference: string; resourceId: string }[] }>(await asStaff(h, owner, 'console.bookings.grid', { from: '2026-12-04', days: 1 }));
    expect(grid.bookings.find((b) => b.reference === booked.reference)?.resourceId).toBe(drB.id);
    expect(grid.resources.map((r) => r.id)).toContain(drB.id);
    // Turned back on, it takes bookings again.
    trpcData(await asStaff(h, owner, 'console.catalog.editResource', { resourceId: drB.id, isActive: true }));
  });
});

describe('console catalog, malformed input', () => {
  it('a price beyond Postgres’s integer range is a 400 naming priceCents, not a 500', async () => {
    const response = await asStaff(h, owner, 'console.catalog.createService', { name: 'Gold', durationMinutes: 30, priceCents: 1e12, currency: 'USD' });
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(trpcError(response))).toContain('priceCents');
  });

  it.each([
    ['console.catalog.createService', { name: 'a\u0000b', durationMinutes: 30 }],
    ['console.catalog.createService', { name: 'Text', durationMinutes: '30' }],
    ['console.catalog.editService', { serviceId: 'not-a-uuid' }],
    ['console.catalog.editService', { serviceId: '00000000-0000-4000-8000-000000000000', durationMinutes: 30 }],
    ['console.catalog.createResource', { name: 'Room', kind: 'spaceship' }],
    ['console.catalog.editResource', { resourceId: '00000000-0000-4000-8000-000000000000', hours: 'nine to five' }],
    ['console.catalog.setResourceServices', { resourceId: '00000000-0000-4000-8000-000000000000', serviceIds: ['x'] }],
    ['console.quietHours.set', { sendFrom: '08:00' }],
  ])('answers %s with a 4xx, never a 5xx (%j)', async (path, input) => {
    const response = await asStaff(h, owner, path, input);
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
  });
});
