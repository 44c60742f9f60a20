// A staff member's day off from the console (per-resource closed days): an owner saves it on the
// Staff & rooms page; that resource's slots disappear for the day while a colleague's stay, a hold
// for it is refused, field errors name the field, and another business cannot touch it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, trpcData, trpcError, type Harness, type TestTenant } from '../harness.js';
import { asStaff, createOwner, ownerPassword, signIn, type ConsoleSession } from './support.js';

let h: Harness;
let clinic: TestTenant;
let other: TestTenant;
let owner: ConsoleSession;
let otherOwner: ConsoleSession;
let colleagueId: string;

beforeAll(async () => {
  h = await createHarness();
  clinic = await h.onboard('day-off-console', 'https://clinic.example');
  other = await h.onboard('day-off-other', 'https://other.example');
  await createOwner(h, clinic, 'owner@dayoff.example');
  await createOwner(h, other, 'owner@other.example');
  owner = await signIn(h, { tenant: 'day-off-console', email: 'owner@dayoff.example', password: ownerPassword });
  otherOwner = await signIn(h, { tenant: 'day-off-other', email: 'owner@other.example', password: ownerPassword });
  const catalog = trpcData<{ resources: { id: string }[] }>(await asStaff(h, owner, 'console.catalog.list'));
  colleagueId = catalog.resources.find((r) => r.id !== clinic.resourceId)!.id;
});
afterAll(() => h.close());

const slotsOf = async (resourceId: string, date: string) => trpcData<{ start: string }[]>(await asStaff(h, owner, 'console.bookings.slots', { serviceId: clinic.serviceId, date, resourceId }));

describe("a staff member's day off from the console", () => {
  it("is not offered and cannot be held, while the colleague's day stays open; audited with the owner", async () => {
    expect(await slotsOf(clinic.resourceId, '2026-12-03')).not.toEqual([]);
    const saved = trpcData(await asStaff(h, owner, 'console.catalog.saveResourceOverrides', { resourceId: clinic.resourceId, overrides: [{ date: '2026-12-03', reason: 'day off' }] }));
    expect(saved).toEqual([{ date: '2026-12-03', opens: null, closes: null, reason: 'day off' }]);
    expect(trpcData(await asStaff(h, owner, 'console.catalog.resourceOverrides', { resourceId: clinic.resourceId }))).toEqual(saved);
    expect(await slotsOf(clinic.resourceId, '2026-12-03')).toEqual([]);
    expect(await slotsOf(colleagueId, '2026-12-03')).not.toEqual([]);
    const hold = await h.call('bookings.hold', { serviceId: clinic.serviceId, start: '2026-12-03T15:00:00Z', resourceId: clinic.resourceId, sessionId: 'day-off-session' }, { key: clinic.secretKey });
    expect(hold.statusCode).toBe(409);
    const { rows } = await h.db.pool.query<{ details: Record<string, unknown> }>(`SELECT details FROM audit_log WHERE tenant_id = $1 AND action = 'settings.resource_overrides'`, [clinic.id]);
    expect(rows.map((r) => r.details.staffId)).toEqual([owner.staffId]);

    trpcData(await asStaff(h, owner, 'console.catalog.saveResourceOverrides', { resourceId: clinic.resourceId, overrides: [] }));
    expect(await slotsOf(clinic.resourceId, '2026-12-03')).not.toEqual([]);
  });

  it('answers a bad day with a 400 naming the field', async () => {
    const response = await asStaff(h, owner, 'console.catalog.saveResourceOverrides', { resourceId: clinic.resourceId, overrides: [{ date: '2026-12-04', opens: '12:00', closes: '09:00' }] });
    expect(response.statusCode).toBe(400);
    expect(trpcError(response).fields?.[0]?.field).toBe('overrides.0.closes');
  });

  it("never changes or shows another business's resource", async () => {
    trpcData(await asStaff(h, owner, 'console.catalog.saveResourceOverrides', { resourceId: clinic.resourceId, overrides: [{ date: '2026-12-07', reason: 'private' }] }));
    expect((await asStaff(h, otherOwner, 'console.catalog.saveResourceOverrides', { resourceId: clinic.resourceId, overrides: [] })).statusCode).toBe(404);
    expect(trpcData(await asStaff(h, otherOwner, 'console.catalog.resourceOverrides', { resourceId: clinic.resourceId }))).toEqual([]);
    expect(trpcData<unknown[]>(await asStaff(h, owner, 'console.catalog.resourceOverrides', { resourceId: clinic.resourceId }))).toHaveLength(1);
  });
});
