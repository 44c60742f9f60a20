import { BookingError } from '../errors.js';
import { toShortUtc } from './format.js';
import type { Queryable } from './rows.js';

/** Why a booking may no longer be cancelled or moved. */
export type ChangeRefusal = 'APPOINTMENT_STARTED' | 'CHANGE_DEADLINE_PASSED';

/**
 * Whether a booking may still be cancelled or moved, and why not. THE one computation of "past is
 * past" and of the per-service change deadline: the engine enforces it, the policy is given it.
 */
export type ChangeWindowDecision =
  | { allowed: true; deadlineOverridden: boolean }
  | {
      allowed: false;
      code: ChangeRefusal;
      /** Specific and safe to show the booking's owner (it names the reference and times in UTC). */
      reason: string;
      /** The last instant changes were allowed (ISO, UTC); the start itself when it has begun. */
      deadline: string;
      /** The service's rule in hours; 0 when only "past is past" applies. */
      deadlineHours: number;
    };

export interface ChangeWindowInput {
  reference: string;
  start: Date;
  /** The service's `changeDeadlineHours`; 0 means no deadline. */
  deadlineHours: number;
  now: Date;
  /** Staff with a secret key may override the deadline (never a start that has passed). */
  overrideDeadline?: boolean | undefined;
}

const hourMs = 3_600_000;

/**
 * Decides on absolute time: the deadline is the start minus N × 3600 s, never "N wall-clock hours"
 * in the tenant's zone, so a DST change between the two moves nothing and cannot be gamed.
 * A start at or before `now` has begun: no override, because what happened cannot be undone.
 */
export function decideChangeWindow(input: ChangeWindowInput): ChangeWindowDecision {
  const { reference, start, deadlineHours, now } = input;
  if (start.getTime() <= now.getTime()) {
    return {
      allowed: false,
      code: 'APPOINTMENT_STARTED',
      reason: `Appointment ${reference} started at ${toShortUtc(start)}; it can no longer be cancelled or moved`,
      deadline: start.toISOString(),
      deadlineHours,
    };
  }
  const deadline = new Date(start.getTime() - deadlineHours * hourMs);
  if (deadlineHours > 0 && now.getTime() > deadline.getTime()) {
    if (input.overrideDeadline === true) return { allowed: true, deadlineOverridden: true };
    return {
      allowed: false,
      code: 'CHANGE_DEADLINE_PASSED',
      reason: `Appointment ${reference} starts at ${toShortUtc(start)}; this service cannot be cancelled or moved within ${deadlineHours} hours of its start (the deadline was ${toShortUtc(deadline)})`,
      deadline: deadline.toISOString(),
      deadlineHours,
    };
  }
  return { allowed: true, deadlineOverridden: false };
}

/** Throws the decision's refusal as a `BookingError` (field `reference`); returns it when allowed. */
export function assertChangeAllowed(input: ChangeWindowInput): ChangeWindowDecision & { allowed: true } {
  const decision = decideChangeWindow(input);
  if (!decision.allowed) {
    throw new BookingError(decision.code, decision.reason, { field: 'reference', details: { deadline: decision.deadline, deadlineHours: decision.deadlineHours } });
  }
  return decision;
}

/** The service's change deadline in hours, read inside the caller's transaction. */
export async function readChangeDeadlineHours(client: Queryable, query: { tenantId: string; serviceId: string }): Promise<number> {
  const { rows } = await client.query<{ hours: number }>('SELECT change_deadline_hours AS hours FROM services WHERE tenant_id = $1 AND id = $2', [query.tenantId, query.serviceId]);
  return rows[0]?.hours ?? 0;
}
