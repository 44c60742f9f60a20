import { sqlState } from '../db/transaction.js';
import { BookingError } from '../errors.js';
import { isExternallyBusy } from '../external-busy/store.js';
import type { Service, Tenant } from '../tenants/types.js';
import { toShortUtc } from './format.js';
import { expireLapsedHolds, type LapsedHold } from './lapse.js';
import type { Queryable } from './rows.js';

/**
 * Claiming a slot is where the four layers against overbooking meet (ARCHITECTURE.md):
 * the caller's SERIALIZABLE transaction (layer 3) takes the per-resource advisory lock (layer 2),
 * runs the cross-table guard (layer 4) and inserts the claim that the EXCLUDE constraint checks
 * (layer 1). Each piece is exported so tests can show that each layer holds on its own.
 * Reschedule claims through `claimSlot`; a hold uses the same lock key and guard as fixed named
 * statements at READ COMMITTED, with the lock taken before the claims are read (`hold-claim.ts`).
 */

export interface ClaimRequest {
  tenant: Tenant;
  service: Service;
  /** Resource ids in preference order; the first one free wins. */
  candidates: string[];
  start: Date;
  now: Date;
  /** The appointment being moved: its own (released) time does not block it. */
  movingAppointmentId?: string | undefined;
}

export interface WonClaim {
  claimId: string;
  resourceId: string;
  resourceName: string;
  start: Date;
  end: Date;
}

export interface Blocker extends LapsedHold {
  kind: 'hold' | 'appointment';
  expiresAt: Date | null;
}

/** Range of a claim: the appointment plus the service's buffers, half-open like the column. */
export function claimRange(service: Service, start: Date): { from: Date; to: Date; end: Date } {
  const end = new Date(start.getTime() + service.durationMinutes * 60_000);
  return {
    from: new Date(start.getTime() - service.bufferBeforeMinutes * 60_000),
    to: new Date(end.getTime() + service.bufferAfterMinutes * 60_000),
    end,
  };
}

/**
 * Layer 2: serialises every booking change on one resource of one tenant until the transaction
 * ends. Returns the resource's name (read in the same round trip) for messages.
 *
 * The same statement turns sequential scans off for the rest of the transaction. Under
 * SERIALIZABLE a sequential scan takes a predicate lock on the whole table, so on small tables
 * (where the planner prefers one) bookings of different slots would abort each other with 40001;
 * index scans lock only what they read (PostgreSQL manual, 13.2.3 "Serializable Isolation Level").
 */
export async function lockResource(client: Queryable, tenantId: string, resourceId: string): Promise<string> {
  const { rows } = await client.query<{ name: string | null }>(
    `SELECT set_config('enable_seqscan', 'off', true) AS plan,
            pg_advisory_xact_lock(hashtextextended($1::text || ':' || $2::text, 0))::text AS locked,
            (SELECT name FROM resources WHERE tenant_id = $1::uuid AND id = $2::uuid) AS name`,
    [tenantId, resourceId],
  );
  return rows[0]?.name ?? resourceId;
}

/**
 * Layer 4: live holds and booked appointments on the resource whose buffered range overlaps
 * [from, to), found through their active claims. Lapsed holds are returned too; the caller
 * releases them. The overlap is written with the leakproof comparisons on `starts_at`/`ends_at`
 * (migration 0002) so that, behind Row-Level Security, the GiST index can visit only overlapping
 * rows: under SERIALIZABLE a broader read (say, every claim of the resource) would touch the rows
 * of concurrent bookings of *other* slots and make them abort each other with 40001.
 * A claim with neither a live hold nor a booked appointment is not the guard's business (layer 1).
 */
export async function findBlockers(
  client: Queryable,
  query: { tenant: Tenant; resourceId: string; from: Date; to: Date; movingAppointmentId?: string | undefined },
): Promise<Blocker[]> {
  const { rows } = await client.query<Blocker>(
    `SELECT CASE WHEN h.id IS NOT NULL THEN 'hold' ELSE 'appointment' END AS kind,
            coalesce(h.id, a.id) AS id, h.expires_at AS "expiresAt", c.id AS "claimId", c.tenant_id AS "tenantId",
            c.resource_id AS "resourceId", coalesce(h.service_id, a.service_id) AS "serviceId",
            coalesce(h.session_id, a.session_id) AS "sessionId", coalesce(h.starts_at, a.starts_at) AS "startsAt",
            coalesce(h.ends_at, a.ends_at) AS "endsAt", $5::text AS "timeZone"
       FROM claims c
       LEFT JOIN holds h ON h.claim_id = c.id AND h.status = 'active'
       LEFT JOIN appointments a ON a.claim_id = c.id AND a.status = 'booked' AND a.id IS DISTINCT FROM $6::uuid
      WHERE c.tenant_id = $1 AND c.resource_id = $2 AND c.is_active AND c.starts_at < $4 AND c.ends_at > $3
        AND (h.id IS NOT NULL OR a.id IS NOT NULL)`,
    [query.tenant.id, query.resourceId, query.from, query.to, query.tenant.timeZone, query.movingAppointmentId ?? null],
  );
  return rows;
}

/** Inserts an active claim; layer 1 (the EXCLUDE constraint) refuses an overlap with 23P01. */
export async function insertClaim(client: Queryable, claim: { tenantId: string; resourceId: string; from: Date; to: Date }): Promise<string> {
  const { rows } = await client.query<{ id: string }>(`INSERT INTO claims (tenant_id, resource_id, during) VALUES ($1, $2, tstzrange($3, $4, '[)')) RETURNING id`, [
    claim.tenantId,
    claim.resourceId,
    claim.from,
    claim.to,
  ]);
  return rows[0]!.id;
}

function takenError(start: Date, resourceName: string, cause?: unknown): BookingError {
  return new BookingError('SLOT_UNAVAILABLE', `Slot ${toShortUtc(start)} for resource "${resourceName}" is already taken`, { field: 'start', cause });
}

/**
 * Claims the slot on the first free candidate, or throws `SLOT_UNAVAILABLE` with the reason.
 * With several candidates each insert runs under a savepoint: a 23P01 on one (a winner our
 * snapshot could not see yet) moves on to the next instead of dooming the whole request.
 * A serialization failure is not caught here: the whole transaction re-runs on a fresh snapshot.
 */
export async function claimSlot(client: Queryable, request: ClaimRequest): Promise<WonClaim> {
  const { tenant, service, start, now } = request;
  const { from, to, end } = claimRange(service, start);
  const useSavepoints = request.candidates.length > 1;
  let lastError: BookingError | undefined;
  for (const resourceId of request.candidates) {
    const resourceName = await lockResource(client, tenant.id, resourceId);
    // A connected calendar's busy time (issue 18) refuses the move too, checked under the lock.
    if (await isExternallyBusy(client, { tenantId: tenant.id, resourceId, from, to })) {
      lastError = new BookingError('SLOT_UNAVAILABLE', `Slot ${toShortUtc(start)} for resource "${resourceName}" is busy in its connected calendar`, { field: 'start' });
      continue;
    }
    const blockers = await findBlockers(client, { tenant, resourceId, from, to, movingAppointmentId: request.movingAppointmentId });
    // An EXCLUDE predicate cannot mention now(): lapsed holds are released here, so they never block.
    const lapsed = blockers.filter((b) => b.kind === 'hold' && b.expiresAt !== null && b.expiresAt <= now);
    await expireLapsedHolds(client, lapsed, now);
    if (blockers.length > lapsed.length) {
      lastError = takenError(start, resourceName);
      continue;
    }
    if (useSavepoints) await client.query('SAVEPOINT gomomo_claim');
    try {
      const claimId = await insertClaim(client, { tenantId: tenant.id, resourceId, from, to });
      if (useSavepoints) await client.query('RELEASE SAVEPOINT gomomo_claim');
      return { claimId, resourceId, resourceName, start, end };
    } catch (error) {
      // 23P01 exclusion_violation: another transaction won this resource after our snapshot.
      if (sqlState(error) !== '23P01') throw error;
      if (!useSavepoints) throw takenError(start, resourceName, error);
      await client.query('ROLLBACK TO SAVEPOINT gomomo_claim');
      lastError = takenError(start, resourceName, error);
    }
  }
  if (request.candidates.length === 1 && lastError) throw lastError;
  throw new BookingError('SLOT_UNAVAILABLE', `Slot ${toShortUtc(start)} is taken for every resource that can perform "${service.name}"`, {
    field: 'start',
    cause: lastError,
  });
}
