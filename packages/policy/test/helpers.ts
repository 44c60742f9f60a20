import { createTenant, type Pool, type Tenant } from '@gomomo/core';
import { randomBytes } from 'node:crypto';

/** A small tenant of its own for one test, so tests in a file never share audit chains or rules. */
export async function createTestTenant(pool: Pool, timeZone = 'America/New_York'): Promise<Tenant> {
  const slug = `t-${randomBytes(5).toString('hex')}`;
  return createTenant(pool, {
    name: `Test ${slug}`,
    slug,
    timeZone,
    services: [{ name: 'Consultation', durationMinutes: 30 }],
    hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '17:00' })),
  });
}
