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
 * Runs a staff cancel or move and, when it asks to override the service's change deadline, writes
 * that decision to the tenant's audit log first (actor staff, channel system, outcome `allowed`),
 * as the policy engine audits every decision before the action: no override can happen without
 * its record. The engine decides again inside the change and records `deadlineOverridden` on the
 * domain event in the same transaction. A started appointment is refused by the engine, so no
 * override is recorded for it. The idempotency layer above runs this once per key.
 */
export async function runStaffChange<T>(change: StaffChange, run: () => Promise<T>): Promise<T> {
  if (change.overrideDeadline !== true) return run();
  const before: ChangeWindowDecision = await change.engine.checkChange({ tenantId: change.tenantId, reference: change.reference, verify: { staff: true } });
  if (!before.allowed && before.code === 'APPOINTMENT_STARTED') return run();
  const isNeeded = !before.allowed;
  await appendAudit(change.pool, {
    tenantId: change.tenantId,
    actor: 'staff',
    channel: 'system',
    action: change.action,
    outcome: 'allowed',
    reason: isNeeded
      ? `Staff override of the change deadline with a secret key: ${before.reason}`
      : 'Staff sent overrideDeadline with a secret key; the change deadline had not passed',
    ruleId: 'override:change-deadline',
    details: { reference: change.reference, overrideDeadline: true, deadlinePassed: isNeeded, ...(before.allowed ? {} : { deadline: before.deadline, deadlineHours: before.deadlineHours }) },
    occurredAt: change.now(),
  });
  return run();
}
