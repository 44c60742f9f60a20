import { withTenant, type Pool } from '@gomomo/core';
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
 * whoever holds the phone may see its bookings, nobody else. Core has no list-by-contact API, so
 * this is the one place the agent reads `appointments` itself — under Row-Level Security.
 */
export async function findUpcomingByPhone(pool: Pool, input: { tenantId: string; timeZone: string; phone: string; now: Date }): Promise<UpcomingBooking[]> {
  const rows = await withTenant(
    pool,
    input.tenantId,
    async (client) =>
      (
        await client.query<{ reference: string; service_name: string; starts_at: Date }>(
          `SELECT a.reference, s.name AS service_name, a.starts_at
             FROM appointments a JOIN services s ON s.tenant_id = a.tenant_id AND s.id = a.service_id
            WHERE a.tenant_id = $1 AND a.client_phone = $2 AND a.status = 'booked' AND a.starts_at > $3
            ORDER BY a.starts_at LIMIT ${maxListed}`,
          [input.tenantId, input.phone, input.now],
        )
      ).rows,
    { isolation: 'read committed' },
  );
  return rows.map((row) => {
    const start = DateTime.fromJSDate(row.starts_at, { zone: input.timeZone }).toISO()!;
    return { reference: row.reference, serviceName: row.service_name, start, label: formatSlotLabel(start, input.timeZone) };
  });
}
