import { listUpcomingByPhone, withTenant, type Pool } from '@gomomo/core';
import { DateTime } from 'luxon';
import { formatSlotLabel } from '../format/time.js';

/** An upcoming booking of the customer, as the offline brain lists it. */
export interface UpcomingBooking {
  reference: string;
  serviceName: string;
  start: string;
  label: string;
}

/** More than this many upcoming bookings on one number is unusual; the list stays SMS-sized. */
const maxListed = 5;

/**
 * The upcoming, still booked appointments made with `phone` at this tenant, soonest first. Only
 * ever called with the channel-verified number (SMS sender), never with a number a customer typed:
 * whoever holds the phone may see its bookings, nobody else. Read through core's
 * `listUpcomingByPhone`, under Row-Level Security.
 */
export async function findUpcomingByPhone(pool: Pool, input: { tenantId: string; timeZone: string; phone: string; now: Date }): Promise<UpcomingBooking[]> {
  const rows = await withTenant(
    pool,
    input.tenantId,
    (client) => listUpcomingByPhone(client, { tenantId: input.tenantId, phone: input.phone, now: input.now, limit: maxListed }),
    { isolation: 'read committed' },
  );
  return rows.map((row) => {
    const start = DateTime.fromJSDate(row.start, { zone: input.timeZone }).toISO()!;
    return { reference: row.reference, serviceName: row.serviceName, start, label: formatSlotLabel(start, input.timeZone) };
  });
}
