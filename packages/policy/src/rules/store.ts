import { findTenant, withTenant, type Pool, type PoolClient } from '@gomomo/core';
import { PolicyError } from '../errors.js';
import { defaultFollowUpLimits } from './builtin.js';
import type { FollowUpLimits, PolicyRule, StoredRule } from './schema.js';

type Queryable = Pick<PoolClient, 'query'>;

/** A kill switch as stored. Only enabled switches block anything. */
export interface KillSwitch {
  family: string;
  enabled: boolean;
  version: number;
  reason: string;
  changedBy: string;
  changedAt: string;
}

/** Everything a tenant's decisions depend on, read in one snapshot. */
export interface PolicySnapshot {
  tenantId: string;
  /** Moves on every rule, kill-switch or limits change; the cache key. */
  revision: number;
  timeZone: string;
  rules: StoredRule[];
  killSwitches: KillSwitch[];
  limits: FollowUpLimits;
  /** 0 while the tenant uses the built-in defaults. */
  limitsVersion: number;
}

const iso = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

interface RuleRow {
  ruleId: string;
  version: number;
  definition: PolicyRule | null;
  isDeleted: boolean;
  createdBy: string;
  createdAt: string;
}

export function toStoredRule(row: RuleRow): StoredRule {
  return { ...(row.definition as PolicyRule), id: row.ruleId, version: row.version, createdBy: row.createdBy, createdAt: row.createdAt };
}

const ruleColumns = `rule_id AS "ruleId", version, definition, is_deleted AS "isDeleted", created_by AS "createdBy",
  to_char(created_at AT TIME ZONE 'UTC', ${iso}) AS "createdAt"`;

/** The latest version of every rule of the tenant, tombstones included (callers filter). */
export async function readLatestRules(client: Queryable, tenantId: string): Promise<RuleRow[]> {
  const { rows } = await client.query<RuleRow>(
    `SELECT DISTINCT ON (rule_id) ${ruleColumns} FROM policy_rules WHERE tenant_id = $1 ORDER BY rule_id, version DESC`,
    [tenantId],
  );
  return rows;
}

/** One version of a rule (the latest when `version` is omitted), tombstones included. */
export async function readRuleVersion(client: Queryable, tenantId: string, which: { ruleId: string; version?: number | undefined }): Promise<RuleRow | null> {
  const { ruleId, version } = which;
  const { rows } = await client.query<RuleRow>(
    `SELECT ${ruleColumns} FROM policy_rules WHERE tenant_id = $1 AND rule_id = $2 AND ($3::int IS NULL OR version = $3) ORDER BY version DESC LIMIT 1`,
    [tenantId, ruleId, version ?? null],
  );
  return rows[0] ?? null;
}

export async function readKillSwitches(client: Queryable, tenantId: string): Promise<KillSwitch[]> {
  const { rows } = await client.query<KillSwitch>(
    `SELECT family, is_enabled AS enabled, version, reason, changed_by AS "changedBy", to_char(changed_at AT TIME ZONE 'UTC', ${iso}) AS "changedAt"
       FROM policy_kill_switches WHERE tenant_id = $1 ORDER BY family`,
    [tenantId],
  );
  return rows;
}

/** Reads the whole policy of a tenant in one REPEATABLE READ snapshot. */
export async function loadSnapshot(pool: Pool, tenantId: string): Promise<PolicySnapshot> {
  return withTenant(
    pool,
    tenantId,
    async (client) => {
      const tenant = await findTenant(client, tenantId);
      if (!tenant) throw new PolicyError('NOT_FOUND', `No tenant ${tenantId}`, { field: 'tenantId' });
      const state = await client.query<{ revision: number; limits: FollowUpLimits | null; limitsVersion: number }>(
        'SELECT revision, followup_limits AS limits, limits_version AS "limitsVersion" FROM policy_state WHERE tenant_id = $1',
        [tenantId],
      );
      const rules = (await readLatestRules(client, tenantId)).filter((row) => !row.isDeleted).map(toStoredRule);
      const killSwitches = await readKillSwitches(client, tenantId);
      const current = state.rows[0];
      return {
        tenantId,
        revision: current?.revision ?? 0,
        timeZone: tenant.timeZone,
        rules,
        killSwitches,
        limits: current?.limits ?? defaultFollowUpLimits,
        limitsVersion: current?.limits ? current.limitsVersion : 0,
      };
    },
    { isolation: 'repeatable read' },
  );
}

/** The tenant's policy revision: one indexed read, used to tell whether a cached rule set is stale. */
export async function readRevision(pool: Pool, tenantId: string): Promise<number> {
  return withTenant(
    pool,
    tenantId,
    async (client) => {
      const { rows } = await client.query<{ revision: number }>('SELECT revision FROM policy_state WHERE tenant_id = $1', [tenantId]);
      return rows[0]?.revision ?? 0;
    },
    { isolation: 'read committed' },
  );
}

/**
 * Moves the tenant's revision on. The row lock it takes also serialises concurrent policy changes
 * of one tenant, so two editors cannot both write version N+1 of a rule.
 */
export async function bumpRevision(client: Queryable, tenantId: string): Promise<number> {
  const { rows } = await client.query<{ revision: number }>(
    `INSERT INTO policy_state (tenant_id, revision) VALUES ($1, 1)
     ON CONFLICT (tenant_id) DO UPDATE SET revision = policy_state.revision + 1, updated_at = now() RETURNING revision`,
    [tenantId],
  );
  return rows[0]!.revision;
}
