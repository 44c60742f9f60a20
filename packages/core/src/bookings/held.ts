import { BookingError } from '../errors.js';
import { toZonedIso } from './format.js';
import { holdColumns, type HoldRow, type Queryable } from './rows.js';

export interface HeldRow extends HoldRow {
  timeZone: string;
  serviceName: string;
  resourceName: string;
}

export interface LiveHoldQuery {
  tenantId: string;
  holdId: string;
  sessionId: string;
  now: Date;
}

/**
 * Reads and row-locks a hold of the tenant for a change by its session, and checks it is still
 * live at `now`. The row lock orders a confirm or release against a concurrent expiry of the same
 * hold: the later one waits, then sees the new status. A named (prepared) statement: parsing and
 * planning the four-table join cost more than running it.
 */
export async function readLiveHold(client: Queryable, query: LiveHoldQuery): Promise<HeldRow> {
  const { rows } = await client.query<HeldRow>({
    name: 'gomomo_read_live_hold',
    text: `SELECT ${holdColumns}, t.time_zone AS "timeZone", s.name AS "serviceName", r.name AS "resourceName"
             FROM holds h
             JOIN tenants t ON t.id = h.tenant_id
             JOIN services s ON s.id = h.service_id
             JOIN resources r ON r.id = h.resource_id
            WHERE h.tenant_id = $1 AND h.id = $2
              FOR UPDATE OF h`,
    values: [query.tenantId, query.holdId],
  });
  return assertLiveHold(rows[0], query);
}

/**
 * The hold (as read under its row lock), or the error saying why it cannot be changed: `NOT_FOUND`,
 * `HOLD_NOT_ACTIVE` (another session's, or already confirmed/released), `HOLD_EXPIRED`.
 */
export function assertLiveHold<T extends HeldRow>(hold: T | undefined, query: LiveHoldQuery): T {
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
