import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/transaction.js';
import { createBookingEngine } from '../engine/engine.js';
import { createTestDatabase, ManualClock, type TestDatabase } from '../testing/index.js';
import { createResource, createService, editResource, editService, readStaffCatalog, setResourceServices } from './catalog-edits.js';
import { createTenant, listServices } from './tenants.js';
import type { Tenant } from './types.js';

let db: TestDatabase;
let tenant: Tenant;
const now = new Date('2026-12-01T13:00:00Z');

beforeAll(async () => {
  db = await createTestDatabase();
  tenant = await createTenant(db.pool, {
    name: 'Cut & Co',
    slug: 'cut-edits',
    timeZone: 'America/New_York',
    minNoticeMinutes: 0,
    resources: [{ name: 'Ana' }, { name: 'Ben' }],
    services: [{ name: 'Haircut', durationMinutes: 45, priceCents: 3000, currency: 'USD' }],
    hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '17:00' })),
  });
});
afterAll(() => db.drop());

function inTenant<T>(work: (client: Parameters<Parameters<typeof withTenant>[2]>[0]) => Promise<T>): Promise<T> {
  return withTenant(db.pool, tenant.id, work);
}
const catalog = () => inTenant((client) => readStaffCatalog(client, { tenantId: tenant.id, now }));
const failureOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);
const idOf = async (kind: 'services' | 'resources', name: string) => (await catalog())[kind].find((x) => x.name === name)!.id;

describe('catalog edits', () => {
  it('creates a service with onboarding’s defaults, for the resources it names', async () => {
    await inTenant((client) => createService(client, { tenantId: tenant.id, service: { name: 'Beard trim', durationMinutes: 20, resources: ['Ben'] } }));
    const trim = (await catalog()).services.find((s) => s.name === 'Beard trim')!;
    expect(trim).toMatchObject({ bufferBeforeMinutes: 0, bufferAfterMinutes: 0, changeDeadlineHours: 0, isActive: true, isAnyResource: false, resourceIds: [await idOf('resources', 'Ben')] });
  });

  it.each([
    ['durationMinutes', { name: 'Zero', durationMinutes: 0 }, /durationMinutes: must be at least 5 minutes/],
    ['bufferAfterMinutes', { name: 'Neg', durationMinutes: 30, bufferAfterMinutes: -5 }, /bufferAfterMinutes: must not be negative/],
    ['resources.0', { name: 'Ghost', durationMinutes: 30, resources: ['Nobody'] }, /no active resource is named "Nobody"/],
    ['name', { name: 'Haircut', durationMinutes: 30 }, /name: "Haircut" is already used/],
  ])('refuses a new service with a bad %s, naming the field', async (field, service, message) => {
    const error = await failureOf(inTenant((client) => createService(client, { tenantId: tenant.id, service })));
    expect(error).toMatchObject({ field, message: expect.stringMatching(message) });
  });

  it('edits only the fields given, clears a price with null, and deactivates without deleting', async () => {
    const haircut = await idOf('services', 'Haircut');
    await inTenant((client) => editService(client, { tenantId: tenant.id, serviceId: haircut, changes: { bufferAfterMinutes: 10 } }));
    expect((await catalog()).services.find((s) => s.id === haircut)).toMatchObject({ durationMinutes: 45, bufferAfterMinutes: 10, priceCents: 3000, currency: 'USD' });
    await inTenant((client) => editService(client, { tenantId: tenant.id, serviceId: haircut, changes: { priceCents: null, isActive: false } }));
    expect((await catalog()).services.find((s) => s.id === haircut)).toMatchObject({ priceCents: null, isActive: false });
    expect((await listServices(db.pool, tenant.id)).map((s) => s.name)).not.toContain('Haircut');
    await inTenant((client) => editService(client, { tenantId: tenant.id, serviceId: haircut, changes: { isActive: true } }));
    expect((await listServices(db.pool, tenant.id)).map((s) => s.name)).toContain('Haircut');
  });

  it('refuses an unknown service and a bad change with the field named', async () => {
    const missing = await failureOf(inTenant((client) => editService(client, { tenantId: tenant.id, serviceId: '00000000-0000-4000-8000-000000000000', changes: {} })));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', field: 'serviceId' });
    const bad = await failureOf(inTenant(async (client) => editService(client, { tenantId: tenant.id, serviceId: await idOf('services', 'Haircut'), changes: { durationMinutes: 2000 } })));
    expect(bad).toMatchObject({ code: 'VALIDATION', field: 'durationMinutes' });
  });

  it('keeps "any resource" for untouched services and turns it into a list when one resource drops out', async () => {
    await inTenant((client) => createResource(client, { tenantId: tenant.id, resource: { name: 'Cleo', kind: 'staff' } }));
    const [ana, ben, cleo, haircut] = await Promise.all([idOf('resources', 'Ana'), idOf('resources', 'Ben'), idOf('resources', 'Cleo'), idOf('services', 'Haircut')]);
    expect((await catalog()).services.find((s) => s.id === haircut)).toMatchObject({ isAnyResource: true, resourceIds: [ana, ben, cleo] });
    await inTenant((client) => setResourceServices(client, { tenantId: tenant.id, resourceId: cleo, serviceIds: [] }));
    expect((await catalog()).services.find((s) => s.id === haircut)).toMatchObject({ isAnyResource: false, resourceIds: [ana, ben] });
    // Beard trim was Ben's only; Cleo's empty list left it alone.
    expect((await catalog()).services.find((s) => s.name === 'Beard trim')!.resourceIds).toEqual([ben]);
    await inTenant(async (client) => setResourceServices(client, { tenantId: tenant.id, resourceId: cleo, serviceIds: [await idOf('services', 'Beard trim')] }));
    expect((await catalog()).services.find((s) => s.name === 'Beard trim')!.resourceIds).toEqual([ben, cleo]);
  });

  it('refuses to untick a service’s last resource (no rows would mean "any resource")', async () => {
    const [ben, cleo, trim] = await Promise.all([idOf('resources', 'Ben'), idOf('resources', 'Cleo'), idOf('services', 'Beard trim')]);
    await inTenant((client) => setResourceServices(client, { tenantId: tenant.id, resourceId: cleo, serviceIds: [] }));
    const error = await failureOf(inTenant((client) => setResourceServices(client, { tenantId: tenant.id, resourceId: ben, serviceIds: [] })));
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'serviceIds', message: expect.stringContaining('"Beard trim"') });
    expect((await catalog()).services.find((s) => s.id === trim)!.resourceIds).toEqual([ben]);
  });

  it('gives a resource its own weekly hours, which availability uses instead of the business’s', async () => {
    const [ana, haircut] = await Promise.all([idOf('resources', 'Ana'), idOf('services', 'Haircut')]);
    await inTenant((client) => editResource(client, { tenantId: tenant.id, resourceId: ana, changes: { hours: [{ weekday: 3, opens: '09:00', closes: '10:00' }] } }));
    expect((await catalog()).resources.find((r) => r.id === ana)!.hours).toEqual([{ weekday: 3, opens: '09:00', closes: '10:00' }]);
    const engine = createBookingEngine({ pool: db.pool, clock: new ManualClock(now) });
    // Slots carry the tenant's offset: 09:00 in New York. Only Ana's hour is open, not the business's day.
    const slots = await engine.getAvailability({ tenantId: tenant.id, serviceId: haircut, from: '2026-12-02', to: '2026-12-02', resourceId: ana });
    expect(slots.slots.map((s) => s.start.slice(11, 16))).toEqual(['09:00', '09:15']);
    const bad = await failureOf(inTenant((client) => editResource(client, { tenantId: tenant.id, resourceId: ana, changes: { hours: [{ weekday: 3, opens: '10:00', closes: '09:00' }] } })));
    expect(bad).toMatchObject({ code: 'VALIDATION', field: 'hours.0.closes' });
  });

  it('deactivates a resource: no service counts it, and its name stays taken', async () => {
    const cleo = await idOf('resources', 'Cleo');
    await inTenant((client) => editResource(client, { tenantId: tenant.id, resourceId: cleo, changes: { isActive: false } }));
    const { services, resources } = await catalog();
    expect(resources.find((r) => r.id === cleo)!.isActive).toBe(false);
    expect(services.every((s) => !s.resourceIds.includes(cleo))).toBe(true);
    const duplicate = await failureOf(inTenant((client) => createResource(client, { tenantId: tenant.id, resource: { name: 'Cleo' } })));
    expect(duplicate).toMatchObject({ code: 'CONFLICT', field: 'name' });
  });
});
