import { systemClock, withTenant, type Clock, type Pool, type PoolClient } from '@gomomo/core';
import { appendAudit, appendAuditIn, appendAudits, appendAuditsIn, auditBatchOf } from '../audit/append.js';
import type { AppendResult, AuditEntryInput } from '../audit/types.js';
import * as manage from '../rules/manage.js';
import { builtinRules } from '../rules/builtin.js';
import type { FollowUpLimits, PolicyRule, StoredRule } from '../rules/schema.js';
import { loadSnapshot, readRuleVersion, toStoredRule, type KillSwitch, type PolicySnapshot } from '../rules/store.js';
import { PolicyError } from '../errors.js';
import type { Decision, PolicyContext } from '../types.js';
import { checkEvaluateInput, checkTenantId } from './check-context.js';
import { createPolicyCache } from './cache.js';
import { decideStatic } from './decide.js';
import { checkFollowUpLimits } from './limits.js';

export interface PolicyEngineOptions {
  pool: Pool;
  clock?: Clock;
  /**
   * How long a cached rule set is trusted before one cheap revision read (default 1000 ms). Changes
   * made through this engine apply at once; changes from another process within this interval.
   */
  refreshMs?: number;
}

/** How `evaluate` writes its decision down. */
export interface EvaluateOptions {
  /** Push the decision's audit entry here for the caller's transaction, instead of appending it now. */
  auditLater?: AuditEntryInput[] | undefined;
}

/** The policy engine: decisions (each audited), rule management and kill switches, per tenant. */
export interface PolicyEngine {
  /**
   * Decides whether `action` may happen in `context`, and writes the decision to the audit log. With
   * `auditLater`, a decision that counts no follow-up limit is pushed there instead, for the caller
   * to append in the transaction of the work it authorises (`auditManyIn`, `auditBatchOf`), so the decision commits
   * with that work (issue 15: one round trip for a job's decisions and outcomes). A decision that
   * counts follow-up limits is still appended at once, under the lock its count was taken under.
   */
  evaluate(action: string, context: PolicyContext, options?: EvaluateOptions): Promise<Decision>;
  /**
   * The same decision without writing it down, for previews ("what would happen if…"). Follow-up
   * limits are counted read-only. Never use it to authorise: only `evaluate` leaves a trace.
   */
  decide(action: string, context: PolicyContext): Promise<Decision>;
  /** Appends an entry (e.g. a tool's `succeeded`/`failed` outcome) with the engine's clock. */
  audit(entry: AuditEntryInput): Promise<AppendResult>;
  /** Appends several entries, in order, in one statement (all or none), with the engine's clock. */
  auditMany(entries: AuditEntryInput[]): Promise<AppendResult[]>;
  /**
   * Appends several entries, in order, in one statement inside the caller's READ COMMITTED
   * transaction: they commit or roll back with it. The tenant's chain lock is held until that
   * transaction ends, so make it the transaction's last statement before COMMIT.
   */
  auditManyIn(client: PoolClient, entries: AuditEntryInput[]): Promise<AppendResult[]>;
  /**
   * The same entries, with the engine's clock, as the batch `gomomo_audit_append_batch` takes
   * (`auditBatchOf`): for a caller that appends them in its own closing statement, saving the round
   * trip `auditManyIn` costs.
   */
  auditBatchOf(entries: AuditEntryInput[]): string;
  readPolicy(tenantId: string): Promise<PolicySnapshot>;
  listRules(tenantId: string): Promise<StoredRule[]>;
  /** One version of a rule (the latest when omitted), e.g. the one an old decision references. */
  getRule(tenantId: string, ruleId: string, version?: number): Promise<StoredRule>;
  putRule(tenantId: string, rule: PolicyRule, options: { by: string; expectedVersion?: number }): Promise<StoredRule>;
  deleteRule(tenantId: string, ruleId: string, options: { by: string; expectedVersion?: number }): Promise<void>;
  replaceRules(tenantId: string, rules: PolicyRule[], options: { by: string }): Promise<StoredRule[]>;
  setKillSwitch(tenantId: string, family: string, options: { enabled: boolean; by: string; reason?: string }): Promise<KillSwitch>;
  listKillSwitches(tenantId: string): Promise<KillSwitch[]>;
  /** Sets the follow-up limits; `null` returns to the defaults. Resolves to the new limits version. */
  setFollowUpLimits(tenantId: string, limits: FollowUpLimits | null, options: { by: string }): Promise<number>;
  /** The built-in rules every tenant has under its own. */
  readonly builtinRules: readonly PolicyRule[];
}

function auditEntryFor(action: string, context: PolicyContext, input: { decision: Decision; now: Date; revision: number }): AuditEntryInput {
  const { decision } = input;
  return {
    tenantId: context.tenantId,
    actor: context.actor,
    channel: context.channel,
    action,
    tool: context.tool,
    outcome: decision.allowed ? 'allowed' : 'denied',
    reason: decision.reason,
    ruleId: decision.ruleId,
    ruleVersion: decision.ruleVersion,
    sessionId: context.sessionId,
    subjectId: context.subject?.bookingId,
    clientKey: context.subject?.clientKey,
    occurredAt: input.now,
    details: { policyRevision: input.revision, args: context.args ?? null, customerConfirmed: context.customerConfirmed ?? null },
  };
}

/**
 * Creates the engine. Each tenant's rules are compiled once per policy revision and kept in memory,
 * so a decision costs microseconds; the audit insert is the only database work on the hot path,
 * plus the follow-up counts for limited autonomous actions.
 */
export function createPolicyEngine(options: PolicyEngineOptions): PolicyEngine {
  const { pool } = options;
  const clock = options.clock ?? systemClock;
  const cache = createPolicyCache(pool, options.refreshMs ?? 1000);
  const meta = (by: string) => ({ by, now: clock.now() });
  const changed = async <T>(tenantId: string, work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } finally {
      cache.invalidate(tenantId);
    }
  };

  async function decideOrEvaluate(action: string, context: PolicyContext, audit: { shouldAudit: boolean; later?: AuditEntryInput[] | undefined }): Promise<Decision> {
    const { shouldAudit } = audit;
    checkEvaluateInput(action, context);
    const policy = await cache.get(context.tenantId);
    const now = clock.now();
    const first = decideStatic(policy, action, { context, now });
    if (!first.needsLimitCheck) {
      if (!shouldAudit) return first.decision;
      const entry = auditEntryFor(action, context, { decision: first.decision, now, revision: policy.revision });
      if (audit.later) audit.later.push(entry);
      else await appendAudit(pool, entry);
      return first.decision;
    }
    // Count and record under the tenant's chain lock in one transaction, so the count a decision
    // saw is exactly the log it appends to.
    return withTenant(
      pool,
      context.tenantId,
      async (client) => {
        if (shouldAudit) await client.query('SELECT pg_advisory_xact_lock(7316020, hashtext($1::uuid::text))', [context.tenantId]);
        const decision = (await checkFollowUpLimits(client, policy, { context, now })) ?? first.decision;
        if (shouldAudit) await appendAuditIn(client, auditEntryFor(action, context, { decision, now, revision: policy.revision }));
        return decision;
      },
      { isolation: 'read committed' },
    );
  }

  /** An entry with the engine's clock, unless it names its own time. */
  const stamped = (entry: AuditEntryInput): AuditEntryInput => ({ ...entry, occurredAt: entry.occurredAt ?? clock.now() });

  return {
    builtinRules,
    evaluate: (action, context, options) => decideOrEvaluate(action, context, { shouldAudit: true, later: options?.auditLater }),
    decide: (action, context) => decideOrEvaluate(action, context, { shouldAudit: false }),
    audit: (entry) => appendAudit(pool, stamped(entry)),
    auditMany: (entries) => appendAudits(pool, entries.map(stamped)),
    auditManyIn: (client, entries) => appendAuditsIn(client, entries.map(stamped)),
    auditBatchOf: (entries) => auditBatchOf(entries.map(stamped)),
    readPolicy: (tenantId) => loadSnapshot(pool, checkTenantId(tenantId)),
    listRules: async (tenantId) => (await loadSnapshot(pool, checkTenantId(tenantId))).rules,
    async getRule(tenantId, ruleId, version) {
      const row = await withTenant(pool, checkTenantId(tenantId), (client) => readRuleVersion(client, tenantId, { ruleId, version }), { isolation: 'read committed' });
      if (!row || row.isDeleted) throw new PolicyError('NOT_FOUND', `No rule "${ruleId}"${version === undefined ? '' : ` version ${version}`}`, { field: 'ruleId' });
      return toStoredRule(row);
    },
    putRule: (tenantId, rule, opts) => changed(tenantId, manage.putRule(pool, checkTenantId(tenantId), { rule, expectedVersion: opts.expectedVersion, meta: meta(opts.by) })),
    deleteRule: (tenantId, ruleId, opts) => changed(tenantId, manage.deleteRule(pool, checkTenantId(tenantId), { ruleId, expectedVersion: opts.expectedVersion, meta: meta(opts.by) })),
    replaceRules: (tenantId, rules, opts) => changed(tenantId, manage.replaceRules(pool, checkTenantId(tenantId), { rules, meta: meta(opts.by) })),
    setKillSwitch: (tenantId, family, opts) =>
      changed(tenantId, manage.setKillSwitch(pool, checkTenantId(tenantId), { family, enabled: opts.enabled, reason: opts.reason, meta: meta(opts.by) })),
    listKillSwitches: async (tenantId) => (await loadSnapshot(pool, checkTenantId(tenantId))).killSwitches,
    setFollowUpLimits: (tenantId, limits, opts) => changed(tenantId, manage.setFollowUpLimits(pool, checkTenantId(tenantId), { limits, meta: meta(opts.by) })),
  };
}
