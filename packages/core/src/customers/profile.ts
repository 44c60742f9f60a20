// A returning customer as the receptionist sees them (issue 20 item 2): read from the tenant's own
// appointments made with one proven contact, so it is never out of step with the bookings and holds
// nothing the bookings do not. Callers pass only a contact the conversation proved (the SMS sender,
// or a contact proven by a one-time code): the profile names the person.
import type { Queryable } from '../db/pool.js';

/** One booking of the customer. */
export interface CustomerBooking {
  reference: string;
  serviceId: string;
  serviceName: string;
  resourceId: string;
  resourceName: string;
  start: Date;
  status: 'booked' | 'cancelled';
}

/** What the business knows of a customer by one contact. */
export interface CustomerProfile {
  /** As they wrote it on their latest booking. */
  name: string;
  email: string | null;
  phone: string | null;
  past: CustomerBooking[];
  upcoming: CustomerBooking[];
  /** The staff member they booked most often (ties: the latest). */
  preferredResource: { id: string; name: string } | null;
  /** The booking "the same as last time" repeats: the latest past one, else the latest made. */
  last: CustomerBooking | null;
}

/** The customer booked with this email or phone at this tenant, or null for a stranger. */
export async function readCustomerProfile(client: Queryable, input: { tenantId: string; email?: string | undefined; phone?: string | undefined; now: Date }): Promise<CustomerProfile | null> {
  if (!input.email && !input.phone) return null;
  const { rows } = await client.query<CustomerBooking & { clientName: string; email: string | null; phone: string | null; createdAt: Date }>(
    `SELECT a.reference, a.service_id AS "serviceId", s.name AS "serviceName", a.resource_id AS "resourceId", r.name AS "resourceName",
            a.starts_at AS start, a.status, a.client_name AS "clientName", a.client_email AS email, a.client_phone AS phone, a.created_at AS "createdAt"
       FROM appointments a
       JOIN services s ON s.tenant_id = a.tenant_id AND s.id = a.service_id
       JOIN resources r ON r.tenant_id = a.tenant_id AND r.id = a.resource_id
      WHERE a.tenant_id = $1 AND ((a.client_email IS NOT NULL AND lower(a.client_email) = lower($2)) OR (a.client_phone IS NOT NULL AND a.client_phone = $3))
      ORDER BY a.created_at DESC LIMIT 50`,
    [input.tenantId, input.email ?? null, input.phone ?? null],
  );
  if (rows.length === 0) return null;
  const latest = rows[0]!;
  const toBooking = ({ reference, serviceId, serviceName, resourceId, resourceName, start, status }: (typeof rows)[number]): CustomerBooking => ({ reference, serviceId, serviceName, resourceId, resourceName, start, status });
  const kept = rows.filter((r) => r.status === 'booked');
  const past = kept.filter((r) => r.start.getTime() <= input.now.getTime()).sort((a, b) => b.start.getTime() - a.start.getTime()).map(toBooking);
  const upcoming = kept.filter((r) => r.start.getTime() > input.now.getTime()).sort((a, b) => a.start.getTime() - b.start.getTime()).map(toBooking);
  const counts = new Map<string, { id: string; name: string; count: number }>();
  for (const r of kept) counts.set(r.resourceId, { id: r.resourceId, name: r.resourceName, count: (counts.get(r.resourceId)?.count ?? 0) + 1 });
  const preferred = [...counts.values()].sort((a, b) => b.count - a.count)[0];
  return {
    name: latest.clientName,
    email: rows.find((r) => r.email)?.email ?? null,
    phone: rows.find((r) => r.phone)?.phone ?? null,
    past,
    upcoming,
    preferredResource: preferred ? { id: preferred.id, name: preferred.name } : null,
    last: past[0] ?? (kept[0] ? toBooking(kept[0]) : null),
  };
}
