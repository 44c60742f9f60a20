import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { isBookingError } from '../errors.js';
import { withTransaction } from '../db/transaction.js';
import { createTenant, getTenant, insertTenant, listResources, listServices } from './tenants.js';
import { demoTenantInput, seedDemo } from './demo.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const minimal = {
  name: 'Cut & Co',
  slug: 'cut-and-co',
  timeZone: 'Europe/London',
  services: [{ name: 'Haircut', durationMinutes: 45 }],
  hours: [{ weekday: 2, opens: '10:00', closes: '18:00' }],
};

async function countRows(table: string): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]!.n;
}

describe('createTenant', () => {
  it('creates one default resource when none are configured, usable by every service', async () => {
    const tenant = await createTenant(db.pool, minimal);
    const resources = await listResources(db.pool, tenant.id);
    expect(resources.map((r) => r.name)).toEqual(['Default']);
    const [haircut] = await listServices(db.pool, tenant.id);
    expect(haircut).toMatchObject({ name: 'Haircut', durationMinutes: 45, bufferBeforeMinutes: 0, resourceIds: [resources[0]!.id] });
  });

  it('seeds the demo clinic once, however often it is called', async () => {
    const [first, concurrent] = await Promise.all([seedDemo(db.pool), seedDemo(db.pool)]);
    const second = await seedDemo(db.pool);
    expect(concurrent.id).toBe(first.id);
    expect(second.id).toBe(first.id);
    expect(await getTenant(db.pool, first.id)).toMatchObject({ name: 'Demo Clinic', timeZone: 'America/New_York', lookaheadDays: 14 });
    const services = await listServices(db.pool, first.id);
    expect(services).toHaveLength(3);
    expect((await listResources(db.pool, first.id)).length).toBe(2);
    expect(services.find((s) => s.name === 'Extended session')!.resourceIds).toHaveLength(1);
  });

  it.each([
    ['timeZone', { ...minimal, slug: 'bad-tz', timeZone: 'Mars/Olympus' }, /timeZone: must be an IANA time zone/],
    ['services.0.durationMinutes', { ...minimal, slug: 'bad-dur', services: [{ name: 'X', durationMinutes: 0 }] }, /services\.0\.durationMinutes/],
    ['services.0.durationMinutes', { ...minimal, slug: 'neg-dur', services: [{ name: 'X', durationMinutes: -30 }] }, /services\.0\.durationMinutes/],
    ['services.0.priceCents', { ...minimal, slug: 'huge-price', services: [{ name: 'X', durationMinutes: 30, priceCents: 1e12, currency: 'USD' }] }, /services\.0\.priceCents: must be at most/],
    ['hours.0.closes', { ...minimal, slug: 'bad-hours', hours: [{ weekday: 1, opens: '17:00', closes: '09:00' }] }, /hours\.0\.closes: closes must be after opens/],
    ['name', { ...minimal, slug: 'long-name', name: 'x'.repeat(201) }, /name: must be at most 200 characters/],
    ['services.0.resources.0', { ...minimal, slug: 'bad-res', services: [{ name: 'X', durationMinutes: 30, resources: ['Nobody'] }] }, /no resource is named "Nobody"/],
    ['services.1.name', { ...minimal, slug: 'dup-svc', services: [{ name: 'X', durationMinutes: 30 }, { name: 'X', durationMinutes: 45 }] }, /"X" is used twice/],
  ])('rejects a bad %s with VALIDATION naming the field, writing nothing', async (field, input, message) => {
    const before = await countRows('tenants');
    const error = await createTenant(db.pool, input).catch((e: unknown) => e);
    expect(isBookingError(error, 'VALIDATION')).toBe(true);
    expect((error as { field: string }).field).toBe(field);
    expect((error as Error).message).toMatch(message);
    expect(await countRows('tenants')).toBe(before);
  });

  it('writes inside a transaction the caller owns, so a later failure there leaves nothing behind', async () => {
    const before = await countRows('tenants');
    const error = await withTransaction(db.pool, async (client) => {
      await insertTenant(client, { ...minimal, slug: 'rolled-back' });
      throw new Error('the caller failed after the tenant was written');
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/caller failed/);
    expect(await countRows('tenants')).toBe(before);
  });

  it('reports a taken slug as CONFLICT and leaves no half-created tenant', async () => {
    const before = await countRows('services');
    const error = await createTenant(db.pool, { ...demoTenantInput }).catch((e: unknown) => e);
    expect(isBookingError(error, 'CONFLICT')).toBe(true);
    expect(await countRows('services')).toBe(before);
  });
});
