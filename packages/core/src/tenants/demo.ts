import type { Pool } from '../db/pool.js';
import { isBookingError } from '../errors.js';
import { createTenant, findTenantBySlug } from './tenants.js';
import type { TenantInput } from './schemas.js';
import type { Tenant } from './types.js';

const weekdays = [1, 2, 3, 4, 5];

/** The demo business every fresh install gets: a clinic in New York, open weekdays 09:00–17:00. */
export const demoTenantInput: TenantInput = {
  name: 'Demo Clinic',
  slug: 'demo-clinic',
  timeZone: 'America/New_York',
  lookaheadDays: 14,
  minNoticeMinutes: 60,
  slotIntervalMinutes: 15,
  resources: [
    { name: 'Dr. Rivera', kind: 'staff' },
    { name: 'Dr. Chen', kind: 'staff' },
  ],
  services: [
    { name: 'Consultation', description: 'A 30-minute first visit.', durationMinutes: 30, bufferAfterMinutes: 5, priceCents: 8000, currency: 'USD' },
    { name: 'Follow-up', description: 'A short check-in after a previous visit.', durationMinutes: 15, priceCents: 4000, currency: 'USD' },
    { name: 'Extended session', description: 'A 60-minute appointment for longer treatments.', durationMinutes: 60, bufferBeforeMinutes: 5, bufferAfterMinutes: 10, priceCents: 15000, currency: 'USD', resources: ['Dr. Rivera'] },
  ],
  hours: weekdays.map((weekday) => ({ weekday, opens: '09:00', closes: '17:00' })),
};

/** Creates the demo tenant unless it exists; safe to call at every start, from several instances at once. */
export async function seedDemo(pool: Pool): Promise<Tenant> {
  const existing = await findTenantBySlug(pool, 'demo-clinic');
  if (existing) return existing;
  try {
    return await createTenant(pool, demoTenantInput);
  } catch (error) {
    // Another instance seeded it between our read and our insert.
    if (isBookingError(error, 'CONFLICT')) return (await findTenantBySlug(pool, 'demo-clinic'))!;
    throw error;
  }
}
