import { BookingError } from '../errors.js';
import { toZonedIso } from './format.js';
import { holdColumns, type HoldRow, type Queryable } from './rows.js';

export interface HeldRow extends HoldRow {
  timeZone: string;
  serviceName: string;
  resourceName: string;
}

/**
 * Reads and row-locks a hold of the tenant for a change by its session, and checks it is still
 * live at `now`. The row lock orders a confirm or release against a concurrent expiry of the same
 * hold: the later one waits, then (SERIALIZABLE) re-runs and sees the new status.
 */
export async function readLiveHold(client: Queryable, query: { tenantId: string; holdId: string; sessionId: string; now: Date }): Promise<HeldRow> {
  const { rows } = await client.query<HeldRow>(
    `SELECT ${holdColumns}, t.time_zone AS "timeZone", s.name AS "serviceName", r.name AS "resourceName"
       FROM holds h
       JOIN tenants t ON t.id = h.tenant_id
       JOIN services s ON s.id = h.service_id
       JOIN resources r ON r.id = h.resource_id
      WHERE h.tenant_id = $1 AND h.id = $2
        FOR UPDATE OF h`,
    [query.tenantId, query.holdId],
  );
  const hold = rows[0];
  if (!hold) throw new BookingError('NOT_FOUND', `No hold ${query.holdId}`, { field: 'holdId' });
  if (hold.sessionId !== query.sessionId) {
    throw new BookingError('HOLD_NOT_ACTIVE', `Hold ${hold.id} belongs to another conversation`, { field: 'sessionId' });
  }
  if (hold.status === 'confirmed' || hold.status === 'released') {
    throw new BookingError('HOLD_NOT_ACTIVE', `Hold ${hold.id} was already ${hold.status}`, { field: 'holdId' });
  }
  if (hold.status === 'expired' || hold.expiresAt.getTime() <= query.now.getTime()) {
    throw new BookingError('HOLD_EXPIRED', `Hold ${hold.id} expired at ${toZonedIso(hold.expiresAt, hold.timeZone)}; hold the slot again`, { field: 'holdId' });
  }
  return hold;
}
