import type { PoolClient } from '@gomomo/core';
import { DateTime } from 'luxon';
import { clientRefOf, pseudonymizeIdentifier } from '../audit/pseudonym.js';
import type { Decision, PolicyContext } from '../types.js';
import type { CompiledPolicy } from './compiled-policy.js';

type Queryable = Pick<PoolClient, 'query'>;

interface Counts {
  clientToday: number;
  bookingTotal: number;
  lastAt: Date | null;
}

/**
 * Counts the autonomous contacts this client and booking already had, from the audit log's allowed
 * decisions (so an allowed-but-failed send still counts: conservative). Runs under the tenant's
 * chain lock, so two concurrent evaluations cannot both take the last allowance.
 * Returns the denying decision, or null when the action is within every limit.
 */
export async function checkFollowUpLimits(client: Queryable, policy: CompiledPolicy, input: { context: PolicyContext; now: Date }): Promise<Decision | null> {
  const { context, now } = input;
  const limits = policy.limits;
  const version = policy.limitsVersion === 0 ? null : policy.limitsVersion;
  const clientKey = context.subject?.clientKey;
  // Stored subject ids have any contact in them pseudonymised (see buildAuditContent): compare alike.
  const rawBookingId = context.subject?.bookingId;
  const bookingId = rawBookingId === undefined ? undefined : pseudonymizeIdentifier(context.tenantId, rawBookingId);
  if (!clientKey && !bookingId) {
    return { allowed: false, reason: 'An autonomous follow-up needs subject.clientKey or subject.bookingId so its limits can be enforced', ruleId: 'guard:followup-subject', ruleVersion: null };
  }
  const clientRef = clientKey ? clientRefOf(context.tenantId, clientKey) : null;
  const startOfDay = DateTime.fromJSDate(now, { zone: policy.timeZone }).startOf('day').toJSDate();
  const { rows } = await client.query<Counts>(
    `SELECT count(*) FILTER (WHERE client_ref = $2 AND occurred_at >= $4)::int AS "clientToday",
            count(*) FILTER (WHERE subject_id = $3)::int AS "bookingTotal",
            max(occurred_at) AS "lastAt"
       FROM audit_log
      WHERE tenant_id = $1 AND outcome = 'allowed' AND actor = 'autonomous' AND action = ANY($5)
        AND (client_ref = $2 OR subject_id = $3)`,
    [context.tenantId, clientRef, bookingId ?? null, startOfDay, limits.actions],
  );
  const counts = rows[0]!;
  if (bookingId && counts.bookingTotal >= limits.maxPerBooking) {
    return { allowed: false, reason: `Booking ${rawBookingId} already had ${counts.bookingTotal} autonomous follow-ups (limit ${limits.maxPerBooking} per booking)`, ruleId: 'guard:followup-per-booking', ruleVersion: version };
  }
  if (clientRef && counts.clientToday >= limits.maxPerClientPerDay) {
    return { allowed: false, reason: `This client already had ${counts.clientToday} autonomous follow-ups today in ${policy.timeZone} (limit ${limits.maxPerClientPerDay} per day)`, ruleId: 'guard:followup-per-day', ruleVersion: version };
  }
  if (counts.lastAt && now.getTime() - counts.lastAt.getTime() < limits.cooldownMinutes * 60_000) {
    const minutes = Math.floor((now.getTime() - counts.lastAt.getTime()) / 60_000);
    return { allowed: false, reason: `The last autonomous follow-up to this client or booking was ${minutes} min ago; the cooldown is ${limits.cooldownMinutes} min`, ruleId: 'guard:followup-cooldown', ruleVersion: version };
  }
  return null;
}
