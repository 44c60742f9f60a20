import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/transaction.js';
import { isBookingError } from '../errors.js';
import { createTenant, listServices, readTenant } from '../tenants/tenants.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { findBookableResources } from './bookable.js';

let db: TestDatabase;
let tenantId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  const tenant = await createTenant(db.pool, {
    name: 'Grid',
    slug: 'grid',
    timeZone: 'America/New_York',
    minNoticeMinutes: 60,
    lookaheadDays: 14,
    slotIntervalMinutes: 15,
    resources: [{ name: 'A' }, { name: 'B' }],
    services: [{ name: 'Visit', durationMinutes: 30 }],
    hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '17:00' })),
  });
  tenantId = tenant.id;
});
afterAll(async () => {
  await db.drop();
});

const now = new Date('2026-12-07T14:00:00Z'); // Monday 09:00 in New York

async function check(start: string) {
  return withTenant(db.pool, tenantId, async (client) => {
    const tenant = await readTenant(client, tenantId);
    const [service] = await listServices(db.pool, tenantId);
    return findBookableResources(client, { tenant, service: service!, start: new Date(start), now });
  });
}

describe('findBookableResources', () => {
  it('returns every resource that can take an aligned start within hours', async () => {
    expect(await check('2026-12-08T10:15:00-05:00')).toHaveLength(2);
  });

  it.each([
    ['2026-12-07T09:30:00-05:00', /is in the past or less than 60 minutes from now/],
    ['2026-12-22T10:00:00-05:00', /is more than 14 days ahead/],
    ['2026-12-08T18:00:00-05:00', /is outside opening hours/],
    ['2026-12-12T10:00:00-05:00', /is outside opening hours/],
    ['2026-12-08T10:10:00-05:00', /does not start on the 15-minute grid/],
    ['2026-12-08T16:45:00-05:00', /leaves too little time before closing/],
  ])('refuses %s: %s', async (start, reason) => {
    const error = await check(start).catch((e: unknown) => e);
    expect(isBookingError(error, 'SLOT_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(reason);
  });
});
