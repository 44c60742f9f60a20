import { randomUUID } from 'node:crypto';
import { sqlState } from '../db/transaction.js';
import { BookingError } from '../errors.js';
import { isExternallyBusy } from '../external-busy/store.js';
import type { Service, Tenant } from '../tenants/types.js';
import { claimRange, findBlockers, type WonClaim } from './claim.js';
import { toShortUtc, toZonedIso } from './format.js';
import { expireLapsedHolds } from './lapse.js';
import type { Queryable } from './rows.js';

/**
 * The hold's claim in a short fixed sequence of named (prepared) statements, at READ COMMITTED:
 *
 * 1. `gomomo_hold_lock` takes the per-resource advisory lock (layer 2) and nothing else. At READ
 *    COMMITTED every statement takes a fresh snapshot (PostgreSQL manual, 13.2.1), so the next
 *    statement, run once the lock is ours, sees everything the previous holder of the lock committed.
 * 2. `gomomo_hold_claim` runs the cross-table guard (layer 4) and, only when nothing blocks, inserts
 *    the claim (layer 1, the EXCLUDE constraint, still refuses an overlap with 23P01), the hold and
 *    its `hold.created` event — one round trip.
 *
 * Under SERIALIZABLE the snapshot was taken before the lock was granted, so a booking queued
 * behind another read stale claims and aborted with 40001 (~1,900 rollbacks per 20 s and HTTP 503
 * BUSY at eight concurrent holds on one resource, issue 15). Every writer of active claims (hold,
 * reschedule) takes the same lock first, so SERIALIZABLE adds no safety here; `layers.test.ts`
 * shows lock and guard holding at READ COMMITTED without the EXCLUDE constraint.
 */

export interface HoldClaimRequest {
  tenant: Tenant;
  service: Service;
  /** Resource ids in preference order; the first one free wins. */
  candidates: string[];
  start: Date;
  now: Date;
  sessionId: string;
  expiresAt: Date;
}

export interface WonHold extends WonClaim {
  holdId: string;
}

interface ClaimOutcome {
  /** Active holds and booked appointments overlapping the range, lapsed holds included. */
  blocked: number;
  /** Of those, the ones that really block at `now`. */
  live: number;
  claimId: string | null;
}

/** The per-resource lock of `lockResource` (same key, so holds and reschedules queue together). */
async function lockForHold(client: Queryable, tenantId: string, resourceId: string): Promise<string> {
  const { rows } = await client.query<{ name: string | null }>({
    name: 'gomomo_hold_lock',
    text: `SELECT pg_advisory_xact_lock(hashtextextended($1::text || ':' || $2::text, 0))::text AS locked,
                  (SELECT name FROM resources WHERE tenant_id = $1::uuid AND id = $2::uuid) AS name`,
    values: [tenantId, resourceId],
  });
  return rows[0]?.name ?? resourceId;
}

/**
 * Guard, claim, hold and event in one statement. `onConflict` turns a 23P01 into "nothing
 * inserted", so an "any resource" hold can move on to its next candidate without a savepoint.
 */
async function guardAndInsert(
  client: Queryable,
  hold: { request: HoldClaimRequest; resourceId: string; holdId: string; skipOnConflict: boolean },
): Promise<ClaimOutcome> {
  const { request, resourceId, holdId } = hold;
  const { tenant, service, start, now } = request;
  const { from, to, end } = claimRange(service, start);
  const payload = {
    holdId,
    serviceId: service.id,
    resourceId,
    start: toZonedIso(start, tenant.timeZone),
    end: toZonedIso(end, tenant.timeZone),
    expiresAt: toZonedIso(request.expiresAt, tenant.timeZone),
  };
  const { rows } = await client.query<ClaimOutcome>({
    name: hold.skipOnConflict ? 'gomomo_hold_claim_or_skip' : 'gomomo_hold_claim',
    text: `WITH blockers AS (
             SELECT h.expires_at, a.id AS appointment_id
               FROM claims c
               LEFT JOIN holds h ON h.claim_id = c.id AND h.status = 'active'
               LEFT JOIN appointments a ON a.claim_id = c.id AND a.status = 'booked'
              WHERE c.tenant_id = $1 AND c.resource_id = $2 AND c.is_active AND c.starts_at < $5 AND c.ends_at > $4
                AND (h.id IS NOT NULL OR a.id IS NOT NULL)
           ), claim AS (
             INSERT INTO claims (tenant_id, resource_id, during)
             SELECT $1, $2, tstzrange($4, $5, '[)') WHERE NOT EXISTS (SELECT 1 FROM blockers)
             ${hold.skipOnConflict ? 'ON CONFLICT DO NOTHING' : ''}
             RETURNING id
           ), hold AS (
             INSERT INTO holds (id, tenant_id, claim_id, service_id, resource_id, session_id, starts_at, ends_at, expires_at, created_at)
             SELECT $6, $1, claim.id, $3, $2, $7, $8, $9, $10, $11 FROM claim
             RETURNING id
           ), event AS (
             INSERT INTO domain_events (tenant_id, type, subject_id, session_id, payload, occurred_at)
             SELECT $1, 'hold.created', hold.id, $7, $12::jsonb, $11 FROM hold
           )
           SELECT (SELECT count(*) FROM blockers)::int AS blocked,
                  (SELECT count(*) FROM blockers WHERE appointment_id IS NOT NULL OR expires_at > $11)::int AS live,
                  (SELECT id FROM claim) AS "claimId"`,
    values: [tenant.id, resourceId, service.id, from, to, holdId, request.sessionId, start, end, request.expiresAt, now, JSON.stringify(payload)],
  });
  return rows[0]!;
}

function takenError(start: Date, resourceName: string, cause?: unknown): BookingError {
  return new BookingError('SLOT_UNAVAILABLE', `Slot ${toShortUtc(start)} for resource "${resourceName}" is already taken`, { field: 'start', cause });
}

/** Tries one candidate: lock, guard and insert; releases lapsed holds in the way and tries once more. */
async function tryCandidate(client: Queryable, hold: { request: HoldClaimRequest; resourceId: string; holdId: string; isLast: boolean }): Promise<WonHold | BookingError> {
  const { request, resourceId, holdId } = hold;
  const resourceName = await lockForHold(client, request.tenant.id, resourceId);
  // Busy time from a connected calendar (issue 18), checked after the lock: a block synced since
  // availability was read refuses the slot. A separate statement on purpose, so a rewrite of the
  // claim statement keeps it as one piece.
  const span = claimRange(request.service, request.start);
  if (await isExternallyBusy(client, { tenantId: request.tenant.id, resourceId, from: span.from, to: span.to })) {
    return new BookingError('SLOT_UNAVAILABLE', `Slot ${toShortUtc(request.start)} for resource "${resourceName}" is busy in its connected calendar`, { field: 'start' });
  }
  let outcome: ClaimOutcome;
  try {
    outcome = await guardAndInsert(client, { request, resourceId, holdId, skipOnConflict: !hold.isLast });
    if (outcome.blocked > 0 && outcome.live === 0) {
      // An EXCLUDE predicate cannot mention now(): lapsed holds are released here, so they never block.
      // Rare (the sweeper releases them too), so this path keeps the general statements.
      const { from, to } = claimRange(request.service, request.start);
      const blockers = await findBlockers(client, { tenant: request.tenant, resourceId, from, to });
      await expireLapsedHolds(
        client,
        blockers.filter((b) => b.kind === 'hold' && b.expiresAt !== null && b.expiresAt <= request.now),
        request.now,
      );
      outcome = await guardAndInsert(client, { request, resourceId, holdId, skipOnConflict: !hold.isLast });
    }
  } catch (error) {
    // 23P01 exclusion_violation: a claim the guard cannot see (layer 1). The transaction is aborted.
    if (sqlState(error) === '23P01') return takenError(request.start, resourceName, error);
    throw error;
  }
  if (outcome.claimId === null) return takenError(request.start, resourceName);
  const { end } = claimRange(request.service, request.start);
  return { claimId: outcome.claimId, holdId, resourceId, resourceName, start: request.start, end };
}

/**
 * Claims the slot for a hold on the first free candidate (lock, guard, claim, hold row and event),
 * or throws `SLOT_UNAVAILABLE` with the reason. Expects a READ COMMITTED tenant transaction.
 */
export async function claimHold(client: Queryable, request: HoldClaimRequest): Promise<WonHold> {
  const holdId = randomUUID();
  let lastError: BookingError | undefined;
  for (const [index, resourceId] of request.candidates.entries()) {
    const isLast = index === request.candidates.length - 1;
    const result = await tryCandidate(client, { request, resourceId, holdId, isLast });
    if (!(result instanceof BookingError)) return result;
    lastError = result;
  }
  if (request.candidates.length === 1 && lastError) throw lastError;
  throw new BookingError('SLOT_UNAVAILABLE', `Slot ${toShortUtc(request.start)} is taken for every resource that can perform "${request.service.name}"`, {
    field: 'start',
    cause: lastError,
  });
}
