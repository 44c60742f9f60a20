import { withTenant, type Pool, type PoolClient } from '@gomomo/core';
import { z } from 'zod';
import { familyPattern } from '../actions.js';
import { appendAuditIn } from '../audit/append.js';
import { canonicalJson } from '../audit/canonical.js';
import { PolicyError } from '../errors.js';
import { parsePolicyInput } from '../validate.js';
import { followUpLimitsSchema, policyRuleSchema, type FollowUpLimits, type PolicyRule, type StoredRule } from './schema.js';
import { bumpRevision, readKillSwitches, readLatestRules, readRuleVersion, toStoredRule, type KillSwitch } from './store.js';

type Queryable = Pick<PoolClient, 'query'>;

/** Who made a change and when; every change is also an audit entry. */
export interface ChangeMeta {
  /** The staff member or system that made the change (an id, not an email: audit details are redacted). */
  by: string;
  now: Date;
}

const bySchema = z.string().trim().min(1, 'must name who made the change').max(200);

/** Policy changes run as one READ COMMITTED transaction: the revision row lock serialises them per tenant. */
function inTenant<T>(pool: Pool, tenantId: string, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  return withTenant(pool, tenantId, fn, { isolation: 'read committed' });
}

async function recordChange(client: Queryable, tenantId: string, change: { action: string; meta: ChangeMeta; details: Record<string, unknown> }): Promise<void> {
  await appendAuditIn(client, {
    tenantId,
    actor: 'staff',
    channel: 'system',
    action: change.action,
    outcome: 'succeeded',
    occurredAt: change.meta.now,
    details: { ...change.details, by: change.meta.by },
  });
}

async function insertVersion(client: Queryable, tenantId: string, row: { ruleId: string; rule: PolicyRule | null; version: number; by: string }): Promise<StoredRule | null> {
  const { rows } = await client.query(
    `INSERT INTO policy_rules (tenant_id, rule_id, version, definition, is_deleted, created_by) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING rule_id AS "ruleId", version, definition, is_deleted AS "isDeleted", created_by AS "createdBy",
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`,
    [tenantId, row.ruleId, row.version, row.rule === null ? null : JSON.stringify(row.rule), row.rule === null, row.by],
  );
  return row.rule === null ? null : toStoredRule(rows[0]);
}

function checkExpected(ruleId: string, current: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== current) {
    throw new PolicyError('VERSION_CONFLICT', `Rule "${ruleId}" is at version ${current}, not ${expected}; re-read it and try again`, { field: 'expectedVersion' });
  }
}

/** Creates a rule or writes its next version. `expectedVersion` (0 for "must not exist") guards against lost updates. */
export async function putRule(pool: Pool, tenantId: string, input: { rule: PolicyRule; expectedVersion?: number | undefined; meta: ChangeMeta }): Promise<StoredRule> {
  const rule = parsePolicyInput(policyRuleSchema, input.rule, 'rule');
  const by = parsePolicyInput(bySchema, input.meta.by, 'by');
  return inTenant(pool, tenantId, async (client) => {
    await bumpRevision(client, tenantId);
    const latest = await readRuleVersion(client, tenantId, { ruleId: rule.id });
    const current = latest?.isDeleted ? 0 : (latest?.version ?? 0);
    checkExpected(rule.id, current, input.expectedVersion);
    const version = (latest?.version ?? 0) + 1;
    const stored = (await insertVersion(client, tenantId, { ruleId: rule.id, rule, version, by }))!;
    await recordChange(client, tenantId, { action: 'policy.rule_put', meta: input.meta, details: { ruleId: rule.id, version, effect: rule.effect, actions: rule.actions } });
    return stored;
  });
}

/** Deletes a rule by writing a tombstone version; older versions stay readable for old decisions. */
export async function deleteRule(pool: Pool, tenantId: string, input: { ruleId: string; expectedVersion?: number | undefined; meta: ChangeMeta }): Promise<void> {
  const by = parsePolicyInput(bySchema, input.meta.by, 'by');
  await inTenant(pool, tenantId, async (client) => {
    await bumpRevision(client, tenantId);
    const latest = await readRuleVersion(client, tenantId, { ruleId: input.ruleId });
    if (!latest || latest.isDeleted) throw new PolicyError('NOT_FOUND', `No rule "${input.ruleId}" to delete`, { field: 'ruleId' });
    checkExpected(input.ruleId, latest.version, input.expectedVersion);
    await insertVersion(client, tenantId, { ruleId: input.ruleId, rule: null, version: latest.version + 1, by });
    await recordChange(client, tenantId, { action: 'policy.rule_delete', meta: input.meta, details: { ruleId: input.ruleId, version: latest.version + 1 } });
  });
}

/**
 * Makes the tenant's rules exactly `rules`, in one transaction: changed rules get a new version,
 * unchanged ones keep theirs (so decisions keep pointing at the same version), missing ones are deleted.
 */
export async function replaceRules(pool: Pool, tenantId: string, input: { rules: PolicyRule[]; meta: ChangeMeta }): Promise<StoredRule[]> {
  const rules = parsePolicyInput(z.array(policyRuleSchema).max(1000), input.rules, 'rules');
  const by = parsePolicyInput(bySchema, input.meta.by, 'by');
  const ids = new Set<string>();
  rules.forEach((rule, index) => {
    if (ids.has(rule.id)) throw new PolicyError('VALIDATION', `rules.${index}.id: "${rule.id}" appears twice`, { field: `rules.${index}.id` });
    ids.add(rule.id);
  });
  return inTenant(pool, tenantId, async (client) => {
    await bumpRevision(client, tenantId);
    const latest = new Map((await readLatestRules(client, tenantId)).map((row) => [row.ruleId, row]));
    const result: StoredRule[] = [];
    const changed: string[] = [];
    for (const rule of rules) {
      const previous = latest.get(rule.id);
      if (previous && !previous.isDeleted && canonicalJson(previous.definition) === canonicalJson(rule)) {
        result.push(toStoredRule(previous));
        continue;
      }
      result.push((await insertVersion(client, tenantId, { ruleId: rule.id, rule, version: (previous?.version ?? 0) + 1, by }))!);
      changed.push(rule.id);
    }
    const deleted = [...latest.values()].filter((row) => !row.isDeleted && !ids.has(row.ruleId));
    for (const row of deleted) await insertVersion(client, tenantId, { ruleId: row.ruleId, rule: null, version: row.version + 1, by });
    await recordChange(client, tenantId, { action: 'policy.rules_replace', meta: input.meta, details: { changed, deleted: deleted.map((row) => row.ruleId) } });
    return result;
  });
}

/** Turns a kill switch on or off. Each change gets a new switch version, which decisions reference. */
export async function setKillSwitch(pool: Pool, tenantId: string, input: { family: string; enabled: boolean; reason?: string | undefined; meta: ChangeMeta }): Promise<KillSwitch> {
  const family = parsePolicyInput(z.string().regex(familyPattern, 'must be "*", a family such as "notify" or an action such as "notify.sms"'), input.family, 'family');
  const by = parsePolicyInput(bySchema, input.meta.by, 'by');
  const reason = parsePolicyInput(z.string().max(500).default(''), input.reason, 'reason');
  return inTenant(pool, tenantId, async (client) => {
    await bumpRevision(client, tenantId);
    await client.query(
      `INSERT INTO policy_kill_switches (tenant_id, family, is_enabled, reason, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, family) DO UPDATE SET is_enabled = EXCLUDED.is_enabled, reason = EXCLUDED.reason, changed_by = EXCLUDED.changed_by,
         changed_at = EXCLUDED.changed_at, version = policy_kill_switches.version + 1`,
      [tenantId, family, input.enabled, reason, by, input.meta.now],
    );
    const stored = (await readKillSwitches(client, tenantId)).find((item) => item.family === family)!;
    await recordChange(client, tenantId, { action: 'policy.kill_switch', meta: input.meta, details: { family, enabled: input.enabled, version: stored.version, reason } });
    return stored;
  });
}

/** Sets the tenant's follow-up limits; `null` goes back to the built-in defaults. */
export async function setFollowUpLimits(pool: Pool, tenantId: string, input: { limits: FollowUpLimits | null; meta: ChangeMeta }): Promise<number> {
  const limits = input.limits === null ? null : parsePolicyInput(followUpLimitsSchema, input.limits, 'limits');
  parsePolicyInput(bySchema, input.meta.by, 'by');
  return inTenant(pool, tenantId, async (client) => {
    await bumpRevision(client, tenantId);
    const { rows } = await client.query<{ version: number }>(
      'UPDATE policy_state SET followup_limits = $2, limits_version = limits_version + 1 WHERE tenant_id = $1 RETURNING limits_version AS version',
      [tenantId, limits === null ? null : JSON.stringify(limits)],
    );
    await recordChange(client, tenantId, { action: 'policy.limits', meta: input.meta, details: { limits, version: rows[0]!.version } });
    return rows[0]!.version;
  });
}
