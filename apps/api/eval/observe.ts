import type { Pool } from '@gomomo/core';

/** What the database says about one business at one moment. */
export interface Snapshot {
  appointments: Array<{ id: string; reference: string; status: string; start: string; sessionId: string | null; name: string; email: string | null; staff: string }>;
  waitlist: Array<{ id: string; sessionId: string | null }>;
}

export async function snapshot(pool: Pool, tenantId: string): Promise<Snapshot> {
  const appointments = await pool.query<Snapshot['appointments'][number]>(
    `SELECT a.id, a.reference, a.status, to_char(a.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS start, a.session_id AS "sessionId",
            a.client_name AS name, a.client_email AS email, r.name AS staff
       FROM appointments a JOIN resources r ON r.tenant_id = a.tenant_id AND r.id = a.resource_id
      WHERE a.tenant_id = $1 ORDER BY a.created_at, a.id`,
    [tenantId],
  );
  const waitlist = await pool.query<Snapshot['waitlist'][number]>('SELECT id, session_id AS "sessionId" FROM waitlist_entries WHERE tenant_id = $1', [tenantId]);
  return { appointments: appointments.rows, waitlist: waitlist.rows };
}

/** What one turn changed, attributed to its conversation where concurrent turns could mix. */
export interface Change {
  created: string[];
  cancelled: string[];
  moved: string[];
  waitlisted: number;
}

export function diff(before: Snapshot, after: Snapshot, sessionId: string | undefined): Change {
  const old = new Map(before.appointments.map((a) => [a.id, a]));
  const created = after.appointments.filter((a) => !old.has(a.id) && a.status === 'booked' && (sessionId === undefined || a.sessionId === sessionId)).map((a) => a.reference);
  const cancelled = after.appointments.filter((a) => old.get(a.id)?.status === 'booked' && a.status === 'cancelled').map((a) => a.reference);
  const moved = after.appointments.filter((a) => old.has(a.id) && old.get(a.id)!.start !== a.start).map((a) => a.reference);
  const waitlisted = after.waitlist.length - before.waitlist.length;
  return { created, cancelled, moved, waitlisted };
}

// What a reply claims happened. Each claim must be backed by a change in the database this turn.
const claims: Array<{ pattern: RegExp; isBacked: (change: Change) => boolean }> = [
  { pattern: /\b(you'?re|you are|you have been|you've been) (all )?(booked|confirmed)\b|\bI'?ve booked\b|\bbooking is confirmed\b|\b(appointment|booking) is (now )?(booked|confirmed)\b/i, isBacked: (c) => c.created.length > 0 },
  { pattern: /\bhas been cancell?ed\b|\bI'?ve cancell?ed\b|\b(appointment|booking) is (now )?cancell?ed\b/i, isBacked: (c) => c.cancelled.length > 0 },
  { pattern: /\bhas been (moved|rescheduled)\b|\bI'?ve (moved|rescheduled)\b/i, isBacked: (c) => c.moved.length > 0 },
  { pattern: /\byou'?re (now )?on the waitlist\b|\bI'?ve (added|put) you (on|to) the waitlist\b/i, isBacked: (c) => c.waitlisted > 0 },
];

/**
 * Counts a reply's claims that the database does not back: an outcome that did not happen this
 * turn, or a reference that is not one of this business's bookings (echoing the customer's own
 * words is not a claim).
 */
export function countFalseClaims(options: { reply: string; change: Change; after: Snapshot; customerText: string }): number {
  const { reply, change, after, customerText } = options;
  let count = claims.filter((claim) => claim.pattern.test(reply) && !claim.isBacked(change)).length;
  const own = new Set(after.appointments.map((a) => a.reference));
  for (const reference of reply.match(/\bGM-[0-9A-Z]{5}\b/g) ?? []) {
    if (reference === 'GM-7K3Q9') continue; // the example format the receptionist shows
    if (!own.has(reference) && !customerText.toUpperCase().includes(reference.slice(3))) count += 1;
  }
  return count;
}

/** Pairs of active appointments on one resource whose times overlap, across every business. */
export async function countDoubleBookings(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ count: string }>(
    `SELECT count(*) FROM appointments a JOIN appointments b
        ON a.tenant_id = b.tenant_id AND a.resource_id = b.resource_id AND a.id < b.id
       AND a.status = 'booked' AND b.status = 'booked'
       AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)`,
  );
  return Number(rows[0]!.count);
}
