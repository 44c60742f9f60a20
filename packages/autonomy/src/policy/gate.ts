// The one module that asks @gomomo/policy whether an autonomous action may run, and records it.
//
// Every orchestrator tool call goes through policy's `authorizeToolCall` (closed registry, argument
// schema, then `evaluate`), so each decision lands in policy's hash-chained audit log. The decision
// and the outcome of an action that took effect are appended by the statement that closes its
// transaction (`seal`); those of one that rolled back, after it, with the outcome `failed`. The kill switches are
// policy's (`setKillSwitch(tenantId, family, …)`); AUTONOMY_ENABLED is the process-wide switch on top.
import type { AuditEntryInput, Authorizer, ToolRegistry } from '@gomomo/policy';
import { authorizeToolCall } from '@gomomo/policy';
import type { PoolClient } from '@gomomo/core';
import { deliveryRegistries, orchestratorRegistry, type DeliveryChannel } from './registries.js';

export interface ActionResult {
  outcome: 'done' | 'skipped';
  reason?: string | undefined;
  detail?: Record<string, unknown> | undefined;
}

export type GateResult = ActionResult | { outcome: 'denied'; reason: string };

/** Who an action concerns, for policy's follow-up limits and the audit row. */
export interface Subject {
  /** A booking, hold or waitlist entry id — or, for one message, its outbox idempotency key. */
  bookingId?: string | undefined;
  /** The normalised email or E.164 phone the contact goes to; only for limited contacts. */
  clientKey?: string | undefined;
}

export interface GateCall {
  tenantId: string;
  /** The orchestrator tool being called (a name in the closed registry). */
  tool: string;
  args: Record<string, unknown>;
  /** Set for one message the tool sends: the decision is then `notify.<channel>`. */
  channel?: DeliveryChannel | undefined;
  subject: Subject;
  /** The row the action is about (appointment, hold, waitlist entry), for `autonomy_actions`. */
  entityId?: string | null | undefined;
  sessionId?: string | undefined;
}

/**
 * A transaction's audit entries not yet appended: the policy decisions its calls were given (when
 * the policy engine leaves them to the transaction, `Authorizer.auditBatchOf`) and the outcomes of
 * the allowed ones, `succeeded` until the transaction fails.
 */
export interface PendingAudit {
  decisions: AuditEntryInput[];
  outcomes: AuditEntryInput[];
}

/** The transaction a tool runs in, and its audit entries and action records still to be written. */
export interface GateScope {
  client: PoolClient;
  eventId?: number | null | undefined;
  pendingAudit: PendingAudit;
  /** Action records, written in one statement before the transaction commits (`runToolWork`). */
  pendingActions: ActionRecord[];
}

export interface AutonomyGate {
  /** Authorises, runs `fn` if allowed, and records the call; returns what happened. */
  run(scope: GateScope, call: GateCall, fn: () => Promise<ActionResult>): Promise<GateResult>;
  /**
   * A transaction's decisions and `succeeded` outcomes as the audit batch its closing statement
   * appends (`closeToolWork`), so they commit with its work (issue 15: they were three round trips
   * of their own, then one). Undefined when there is none, or when the policy engine cannot prepare
   * a batch (`Authorizer.auditBatchOf`): `flush` then appends them once the transaction has committed.
   */
  seal(audit: PendingAudit): string | undefined;
  /** Appends the entries of a committed transaction that `seal` could not take, or of a failed one (its outcomes `failed`). */
  flush(audit: PendingAudit, failure?: unknown): Promise<void>;
}

/** One `autonomy_actions` row: what a handler did, kept in the handler's own transaction. */
export interface ActionRecord {
  tenantId: string;
  tool: string;
  action: string;
  subjectId: string | null;
  eventId: number | null;
  decision: 'allowed' | 'denied';
  outcome: string;
  reason: string;
  detail: Record<string, unknown>;
}

function record(scope: GateScope, call: GateCall & { action: string }, entry: { decision: 'allowed' | 'denied'; outcome: string; reason: string; detail: Record<string, unknown> }): void {
  // autonomy_actions keeps what the handler did in the handler's own transaction (it rolls back with
  // it); policy's audit log keeps the decision even when the work then failed.
  scope.pendingActions.push({ tenantId: call.tenantId, tool: call.tool, action: call.action, subjectId: call.entityId ?? null, eventId: scope.eventId ?? null, ...entry });
}

function registryFor(call: GateCall): ToolRegistry {
  return call.channel ? deliveryRegistries[call.channel] : orchestratorRegistry;
}

/**
 * Creates the gate. `enabled` is AUTONOMY_ENABLED; `policy` is the policy engine (anything with
 * `evaluate` and `audit`, e.g. `createPolicyEngine({ pool, clock })`).
 */
export function createAutonomyGate(options: { enabled: boolean; policy: Authorizer }): AutonomyGate {
  const { policy } = options;
  const contextOf = (call: GateCall) => ({ tenantId: call.tenantId, actor: 'autonomous' as const, channel: 'system' as const, sessionId: call.sessionId, subject: call.subject });

  return {
    async run(scope, call, fn) {
      const registry = registryFor(call);
      const action = registry.get(call.tool)?.action ?? 'tool.unknown';
      if (!options.enabled) {
        const reason = 'AUTONOMY_ENABLED is off';
        await policy.audit({ ...baseEntry(call, action), outcome: 'denied', reason, ruleId: 'guard:autonomy-enabled' });
        record(scope, { ...call, action }, { decision: 'denied', outcome: 'denied', reason, detail: {} });
        return { outcome: 'denied', reason };
      }
      const authorization = await authorizeToolCall(policy, registry, {
        name: call.tool,
        rawArgs: call.args,
        context: contextOf(call),
        // The decision commits with the work it allows, in the batch `seal` prepares.
        auditLater: policy.auditBatchOf ? scope.pendingAudit.decisions : undefined,
      });
      if (!authorization.allowed) {
        record(scope, { ...call, action }, { decision: 'denied', outcome: 'denied', reason: authorization.message, detail: { ruleId: authorization.decision?.ruleId ?? null } });
        return { outcome: 'denied', reason: authorization.message };
      }
      // Pushed before the work runs: if the work throws, the transaction's failure is what gets audited.
      const pending: AuditEntryInput = { ...baseEntry(call, action), outcome: 'succeeded', details: { eventId: scope.eventId ?? null } };
      scope.pendingAudit.outcomes.push(pending);
      const result = await fn();
      pending.reason = result.outcome === 'done' ? (result.reason ?? 'done') : `skipped: ${result.reason ?? ''}`;
      record(scope, { ...call, action }, { decision: 'allowed', outcome: result.outcome, reason: result.reason ?? '', detail: result.detail ?? {} });
      return result;
    },
    seal(audit) {
      const entries = [...audit.decisions, ...audit.outcomes];
      return entries.length === 0 ? undefined : policy.auditBatchOf?.(entries);
    },
    async flush(audit, failure) {
      const outcomes = audit.outcomes.map((entry) =>
        failure === undefined ? entry : { ...entry, outcome: 'failed' as const, reason: `rolled back: ${failure instanceof Error ? failure.message : String(failure)}` },
      );
      const entries = [...audit.decisions, ...outcomes];
      // One round trip for a job's entries (issue 15) when the policy engine can append several.
      if (policy.auditMany && entries.length > 1) {
        await policy.auditMany(entries);
        return;
      }
      for (const entry of entries) await policy.audit(entry);
    },
  };
}

function baseEntry(call: GateCall, action: string): AuditEntryInput {
  return {
    tenantId: call.tenantId,
    actor: 'autonomous',
    channel: 'system',
    action,
    tool: call.tool,
    outcome: 'succeeded',
    sessionId: call.sessionId,
    subjectId: call.subject.bookingId,
    clientKey: call.subject.clientKey,
  };
}
