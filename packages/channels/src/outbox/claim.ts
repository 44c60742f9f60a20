import type { AppointmentState, Pool } from '@gomomo/core';
import { outboxColumns, type OutboxMessage } from './types.js';

/** A row this sender owns until `leaseUntil`; `previousStatus` says whether a dead sender had it. */
export interface ClaimedMessage extends OutboxMessage {
  claimedAt: Date;
  previousStatus: string;
  previousClaimedAt: Date | null;
  /** The tenant's zone and settings, for quiet hours (`settings.sms.quietHours`). */
  tenantTimeZone: string;
  tenantSettings: Record<string, unknown>;
  /**
   * The appointment the message presumes a state of (`appointmentStatus`), as it is at the claim;
   * null when the message presumes none, or the appointment no longer exists.
   */
  appointmentNow: AppointmentState | null;
  /**
   * For an email, `gomomo_outbox_gate`'s verdict at the claim (suppression and consent: it reserves
   * nothing for email, so asking early changes nothing); null for an SMS, whose gate takes a rate
   * slot and so is asked only once the message is known to go out.
   */
  emailVerdict: RecipientVerdict | null;
}

/** What `gomomo_outbox_gate` (migration 0061) says of a recipient. */
export type RecipientVerdict = 'ok' | 'suppressed' | 'opted_out' | 'rate_limited';

/**
 * Claims up to `limit` due rows in one statement (its own transaction): `FOR UPDATE SKIP LOCKED`
 * lets any number of senders claim side by side without waiting on or taking each other's rows. A
 * row stays 'sending' with a lease; if its sender dies the lease lapses and another sender reclaims
 * it. Waiting rows and lapsed leases are found apart, each kind in the order of its own partial
 * index (migration 0060) and at most `limit` of each, then the earliest due of both are taken: asked
 * as one `OR`, Postgres read and sorted every due row on every claim, so a backlog of n messages
 * (after a provider's outage, say) cost n rows per claim of 50. Each kind sits in a subquery of its
 * own because Postgres allows no FOR UPDATE in a UNION's arms; rows an arm locked but the final
 * LIMIT leaves out are let go when the statement ends.
 *
 * The same statement reads the appointments the messages describe, through core's read model
 * (migration 0102), for the send-time check, and asks an email's gate (issue 15: BEGIN, the claim,
 * COMMIT, that read and each email's gate were five round trips and more).
 */
export async function claimDueMessages(pool: Pool, input: { now: Date; limit: number; leaseMs: number }): Promise<ClaimedMessage[]> {
  const { rows } = await pool.query<Omit<ClaimedMessage, 'appointmentNow'> & { appointmentNow: (Omit<AppointmentState, 'startsAt'> & { startsAt: string }) | null }>({
    // Named: each connection plans it once.
    name: 'outbox_claim_due',
    text: `WITH due AS (
         SELECT id, previous_status, previous_claimed_at
           FROM (SELECT * FROM (SELECT id, status AS previous_status, claimed_at AS previous_claimed_at, next_attempt_at
                                  FROM notification_outbox
                                 WHERE status IN ('pending', 'failed', 'rate_limited') AND next_attempt_at <= $1
                                 ORDER BY next_attempt_at
                                 LIMIT $2
                                 FOR UPDATE SKIP LOCKED) AS waiting
                 UNION ALL
                 SELECT * FROM (SELECT id, status AS previous_status, claimed_at AS previous_claimed_at, next_attempt_at
                                  FROM notification_outbox
                                 WHERE status = 'sending' AND lease_until <= $1
                                 ORDER BY lease_until
                                 LIMIT $2
                                 FOR UPDATE SKIP LOCKED) AS lapsed) AS both_kinds
          ORDER BY next_attempt_at
          LIMIT $2)
       UPDATE notification_outbox AS o
          SET status = 'sending', attempts = o.attempts + 1, claimed_at = $1,
              lease_until = $1::timestamptz + make_interval(secs => $3::double precision / 1000), updated_at = now()
         FROM due, tenants t
        WHERE o.id = due.id AND t.id = o.tenant_id
       RETURNING ${outboxColumns.replace(/(^|,\s*)(\w+)/g, '$1o.$2')}, o.claimed_at AS "claimedAt",
                 due.previous_status AS "previousStatus", due.previous_claimed_at AS "previousClaimedAt",
                 t.time_zone AS "tenantTimeZone", t.settings AS "tenantSettings",
                 CASE WHEN o.appointment_status IS NOT NULL THEN
                   (SELECT jsonb_build_object('id', a.id, 'tenantId', a.tenant_id, 'status', a.status, 'startsAt', a.starts_at, 'changeSeq', a.change_seq)
                      FROM gomomo_appointment_state(o.tenant_id, o.appointment_id) AS a)
                 END AS "appointmentNow",
                 CASE WHEN o.channel = 'email' THEN (SELECT g.verdict FROM gomomo_outbox_gate(o.tenant_id, o.channel, o.recipient, $1, 0, 0) AS g) END AS "emailVerdict"`,
    values: [input.now, input.limit, input.leaseMs],
  });
  return rows.map((row) => ({ ...row, appointmentNow: row.appointmentNow ? { ...row.appointmentNow, startsAt: new Date(row.appointmentNow.startsAt) } : null }));
}
