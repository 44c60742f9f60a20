import type { BookingEngine, ChangeWindowDecision, Pool } from '@gomomo/core';
import { appendAudit } from '@gomomo/policy';

export interface StaffChange {
  pool: Pool;
  engine: BookingEngine;
  tenantId: string;
  reference: string;
  action: 'booking.cancel' | 'booking.reschedule';
  /** The staff call's `overrideDeadline` flag (secret keys only). */
  overrideDeadline: boolean | undefined;
  now: () => Date;
}

/**
 * Runs a staff cancel or move and, when it asked to override the service's change deadline, writes
 * the override to the tenant's audit log (actor staff, channel system): who may pass the rule is
 * the business's question later. The engine decides again inside the change and records
 * `deadlineOverridden` on the domain event in the same transaction; the decision read first only
 * says whether the flag was needed. The idempotency layer above runs this once per key.
 */
export async function runStaffChange<T extends { id: string }>(change: StaffChange, run: () => Promise<T>): Promise<T> {
  if (change.overrideDeadline !== true) return run();
  const before: ChangeWindowDecision = await change.engine.checkChange({ tenantId: change.tenantId, reference: change.reference, verify: { staff: true } });
  const result = await run();
  const wasNeeded = !before.allowed && before.code === 'CHANGE_DEADLINE_PASSED';
  await appendAudit(change.pool, {
    tenantId: change.tenantId,
    actor: 'staff',
    channel: 'system',
    action: change.action,
    outcome: 'succeeded',
    reason: wasNeeded
      ? `Staff overrode the change deadline with a secret key: ${before.reason}`
      : `Staff sent overrideDeadline with a secret key; the change deadline had not passed`,
    ruleId: 'override:change-deadline',
    subjectId: result.id,
    details: { reference: change.reference, overrideDeadline: true, deadlinePassed: wasNeeded, ...(before.allowed ? {} : { deadline: before.deadline, deadlineHours: before.deadlineHours }) },
    occurredAt: change.now(),
  });
  return result;
}
