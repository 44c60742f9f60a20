import { randomUUID } from 'node:crypto';
import { currentCorrelationId } from '../db/correlation.js';
import { sqlState } from '../db/transaction.js';
import { BookingError } from '../errors.js';
import type { Service, Tenant } from '../tenants/types.js';
import { claimRange, findBlockers, type WonClaim } from './claim.js';
import { toShortUtc, toZonedIso } from './format.js';
import { expireLapsedHolds } from './lapse.js';
import type { Queryable } from './rows.js';

/**
 * The hold's claim in one named (prepared) statement at READ COMMITTED: `gomomo_hold_claim_v3`
 * (migrations 0009, 0011 and 0106), a plpgsql function that
 *
 * 1. enters the tenant (role, `app.tenant_id`, correlation id), so it can run as a transaction of
 *    its own, with no BEGIN, settings or COMMIT round trips around it;
 * 2. when the hold was judged by hours from memory, checks they are still the tenant's (its
 *    schedule version), and otherwise stops with nothing written;
 * 3. refuses time a connected calendar has synced as busy (issue 18);
 * 4. takes the per-resource advisory lock (layer 2). In a VOLATILE function at READ COMMITTED every
 *    statement takes a fresh snapshot (PostgreSQL manual, 13.2.1 and 43.11), so what follows, run
 *    once the lock is ours, sees everything the previous holder of the lock committed;
 * 5. runs the cross-table guard (layer 4) and, only when nothing blocks, inserts the claim (layer 1,
 *    the EXCLUDE constraint, still refuses an overlap with 23P01), the hold and its `hold.created`
 *    event.
 *
 * Sent on its own (`holdSlot`), the statement is the transaction: the lock is held while the
 * function runs and commits, never across a round trip to this process and back, so holds on one
 * resource queue for the work alone. Under SERIALIZABLE the snapshot was taken before the lock was
 * granted, so a booking queued behind another read stale claims and aborted with 40001 (~1,900
 * rollbacks per 20 s and HTTP 503 BUSY at eight concurrent holds on one resource, issue 15). Every
 * writer of active claims (hold, reschedule) takes the same lock first, so SERIALIZABLE adds no
 * safety here; `layers.test.ts` shows lock and guard holding at READ COMMITTED without the EXCLUDE
 * constraint.
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
  /**
   * The schedule version of the hours `candidates` were judged by, when they came from memory
   * (`TenantHours.version`); null when they were read from Postgres just before.
   */
  scheduleVersion: string | null;
}

/**
 * The hours a hold was judged by changed before its claim (migration 0106): nothing was locked or
 * written, and the hold is judged again by the hours in Postgres.
 */
export class ScheduleChangedError extends Error {
  constructor() {
    super('The hours changed since they were read');
    this.name = 'ScheduleChangedError';
  }
}

export interface WonHold extends WonClaim {
  holdId: string;
  /** Start, end and expiry in the tenant's zone, as the `hold.created` event has them. */
  local: LocalTimes;
}

/** ISO times with the tenant's offset, formatted once per hold for the event and the answer alike. */
interface LocalTimes {
  start: string;
  end: string;
  expiresAt: string;
}

interface ClaimOutcome {
  /** The resource's name, for messages. */
  resourceName: string | null;
  /** A connected calendar's busy block overlaps the range: nothing was locked or written. */
  externallyBusy: boolean;
  /** The schedule version moved since the hours were read: nothing was locked or written. */
  scheduleChanged: boolean;
  /** Active holds and booked appointments overlapping the range, lapsed holds included. */
  blocked: number;
  /** Of those, the ones that really block at `now`. */
  live: number;
  claimId: string | null;
}

/** One resource to try for the hold. */
interface Candidate {
  request: HoldClaimRequest;
  resourceId: string;
  holdId: string;
  local: LocalTimes;
  skipOnConflict: boolean;
}

/**
 * Where the claim's statements run: `statement` for the claim itself (a connection outside a
 * transaction, or the caller's transaction), `transaction` for the rare release of lapsed holds,
 * which reads, expires and claims again under one lock and so needs a tenant transaction.
 */
export interface ClaimRunner {
  statement: Queryable;
  transaction<T>(work: (client: Queryable) => Promise<T>): Promise<T>;
}

/**
 * Busy check, lock, guard, claim, hold and event in one statement. `skipOnConflict` turns a 23P01
 * into "nothing inserted", so an "any resource" hold can move on to its next candidate without a
 * savepoint.
 */
async function lockAndClaim(client: Queryable, hold: Candidate): Promise<ClaimOutcome> {
  const { request, resourceId, holdId } = hold;
  const { tenant, service, start, now } = request;
  const { from, to, end } = claimRange(service, start);
  const payload = { holdId, serviceId: service.id, resourceId, ...hold.local };
  const { rows } = await client.query<ClaimOutcome>({
    name: 'gomomo_hold_claim_v3_fn',
    text: `SELECT resource_name AS "resourceName", externally_busy AS "externallyBusy", schedule_changed AS "scheduleChanged", blocked, live, claim_id AS "claimId"
             FROM gomomo_hold_claim_v3($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    values: [
      tenant.id, resourceId, service.id, from, to, holdId, request.sessionId, start, end, request.expiresAt, now, JSON.stringify(payload), hold.skipOnConflict,
      currentCorrelationId() ?? null, request.scheduleVersion,
    ],
  });
  return rows[0]!;
}

function takenError(start: Date, resourceName: string, cause?: unknown): BookingError {
  return new BookingError('SLOT_UNAVAILABLE', `Slot ${toShortUtc(start)} for resource "${resourceName}" is already taken`, { field: 'start', cause });
}

/**
 * Under one lock (the rare path): claims, and if only lapsed holds block, releases them and claims
 * again. An EXCLUDE predicate cannot mention now(), so lapsed holds are released here and never
 * block (the sweeper releases them too). The first call takes the lock; advisory locks stack, so
 * nothing can slip in between.
 */
async function claimReleasingLapsed(client: Queryable, candidate: Candidate): Promise<ClaimOutcome> {
  const outcome = await lockAndClaim(client, candidate);
  if (outcome.scheduleChanged || outcome.externallyBusy || outcome.blocked === 0 || outcome.live > 0) return outcome;
  const { request, resourceId } = candidate;
  const { from, to } = claimRange(request.service, request.start);
  const blockers = await findBlockers(client, { tenant: request.tenant, resourceId, from, to });
  await expireLapsedHolds(
    client,
    blockers.filter((b) => b.kind === 'hold' && b.expiresAt !== null && b.expiresAt <= request.now),
    request.now,
  );
  return lockAndClaim(client, candidate);
}

/** Tries one candidate: busy check, lock, guard and insert; releases lapsed holds in the way and tries once more. */
async function tryCandidate(runner: ClaimRunner, candidate: Candidate): Promise<WonHold | BookingError> {
  const { request, resourceId, holdId, local } = candidate;
  let outcome: ClaimOutcome;
  try {
    outcome = await lockAndClaim(runner.statement, candidate);
    if (!outcome.scheduleChanged && !outcome.externallyBusy && outcome.blocked > 0 && outcome.live === 0) {
      outcome = await runner.transaction((client) => claimReleasingLapsed(client, candidate));
    }
  } catch (error) {
    // 23P01 exclusion_violation: a claim the guard cannot see (layer 1). The transaction is aborted.
    if (sqlState(error) === '23P01') return takenError(request.start, (error as { detail?: string }).detail ?? resourceId, error);
    throw error;
  }
  if (outcome.scheduleChanged) throw new ScheduleChangedError();
  if (outcome.externallyBusy) {
    // Busy time from a connected calendar (issue 18): a block synced since availability was read refuses the slot.
    return new BookingError('SLOT_UNAVAILABLE', `Slot ${toShortUtc(request.start)} for this resource is busy in its connected calendar`, { field: 'start' });
  }
  const resourceName = outcome.resourceName ?? resourceId;
  if (outcome.claimId === null) return takenError(request.start, resourceName);
  const { end } = claimRange(request.service, request.start);
  return { claimId: outcome.claimId, holdId, resourceId, resourceName, start: request.start, end, local };
}

/**
 * Claims the slot for a hold on the first free candidate (lock, guard, claim, hold row and event),
 * or throws `SLOT_UNAVAILABLE` with the reason, or `ScheduleChangedError` if the hours the
 * candidates were judged by (`request.scheduleVersion`) changed before a claim. Each candidate is one statement on
 * `runner.statement`: a connection outside any transaction (each statement commits at once), or a
 * READ COMMITTED tenant transaction of the caller's.
 */
export async function claimHold(runner: ClaimRunner, request: HoldClaimRequest): Promise<WonHold> {
  const holdId = randomUUID();
  const { end } = claimRange(request.service, request.start);
  const zone = request.tenant.timeZone;
  const local = { start: toZonedIso(request.start, zone), end: toZonedIso(end, zone), expiresAt: toZonedIso(request.expiresAt, zone) };
  let lastError: BookingError | undefined;
  for (const [index, resourceId] of request.candidates.entries()) {
    const isLast = index === request.candidates.length - 1;
    const result = await tryCandidate(runner, { request, resourceId, holdId, local, skipOnConflict: !isLast });
    if (!(result instanceof BookingError)) return result;
    lastError = result;
  }
  if (request.candidates.length === 1 && lastError) throw lastError;
  throw new BookingError('SLOT_UNAVAILABLE', `Slot ${toShortUtc(request.start)} is taken for every resource that can perform "${request.service.name}"`, {
    field: 'start',
    cause: lastError,
  });
}
