import { createHash, randomBytes } from 'node:crypto';
import { withTenant, type Pool, type PoolClient } from '@gomomo/core';
import { appendAudit } from '@gomomo/policy';

export type ApiKeyKind = 'secret' | 'publishable';

/** A key as listed: never the key itself, only its last four characters. */
export interface ApiKeySummary {
  id: string;
  kind: ApiKeyKind;
  name: string;
  /** e.g. "sk_live_…a1B2" */
  masked: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A key just created: the only time `key` is ever shown. */
export interface CreatedApiKey extends ApiKeySummary {
  key: string;
}

/** Who a verified key speaks for. */
export interface KeyIdentity {
  keyId: string;
  tenantId: string;
  kind: ApiKeyKind;
  /** The tenant's allowed web origins, read in the same query (one round trip per request). */
  origins: string[];
}

const prefixes: Record<ApiKeyKind, string> = { secret: 'sk_live_', publishable: 'pk_live_' };
const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const keyPattern = /^(sk|pk)_live_[0-9A-Za-z]{32}$/;

/** 32 base62 characters (~190 bits). Rejection sampling keeps every character equally likely. */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += base62[byte % 62];
    }
  }
  return out;
}

/** SHA-256 hex of a key: what is stored and looked up. A fast hash suffices for 190 random bits. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** True when `value` looks like one of our keys (so an admin secret is never looked up as a key). */
export function isApiKeyFormat(value: string): boolean {
  return keyPattern.test(value);
}

const summaryColumns = `id, kind, name, prefix || '…' || last4 AS masked,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  to_char(last_used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "lastUsedAt",
  to_char(revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "revokedAt"`;

/** Creates a key inside an open tenant transaction (used by onboarding, which creates the tenant too). */
export async function insertApiKey(client: Pick<PoolClient, 'query'>, input: { tenantId: string; kind: ApiKeyKind; name?: string; now: Date }): Promise<CreatedApiKey> {
  const key = prefixes[input.kind] + randomBase62(32);
  const { rows } = await client.query<ApiKeySummary>(
    `INSERT INTO api_keys (tenant_id, kind, name, key_hash, prefix, last4, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${summaryColumns}`,
    [input.tenantId, input.kind, input.name ?? '', hashKey(key), prefixes[input.kind], key.slice(-4), input.now],
  );
  return { ...rows[0]!, key };
}

/**
 * Records a key change in the tenant's audit log, in the caller's (READ COMMITTED) transaction, so
 * the key and its record commit together. The operator (ADMIN_SECRET) is `staff` on the `system`
 * channel; the key itself never reaches the log, only its id and masked form.
 */
export async function auditKeyChange(client: PoolClient, input: { action: 'api_key.create' | 'api_key.revoke'; key: ApiKeySummary; tenantId: string; now: Date }): Promise<void> {
  await appendAudit(client, {
    tenantId: input.tenantId,
    actor: 'staff',
    channel: 'system',
    action: input.action,
    outcome: 'succeeded',
    subjectId: input.key.id,
    details: { kind: input.key.kind, label: input.key.name, masked: input.key.masked },
    occurredAt: input.now,
  });
}

/** Creates a key for a tenant, audited; the returned `key` is shown once and never stored. */
export function createApiKey(pool: Pool, input: { tenantId: string; kind: ApiKeyKind; name?: string; now: Date }): Promise<CreatedApiKey> {
  return withTenant(
    pool,
    input.tenantId,
    async (client) => {
      const created = await insertApiKey(client, input);
      await auditKeyChange(client, { action: 'api_key.create', key: created, tenantId: input.tenantId, now: input.now });
      return created;
    },
    // The audit log's chain lock needs READ COMMITTED; a single INSERT loses nothing by it.
    { isolation: 'read committed' },
  );
}

/** The tenant's keys, newest first, masked. */
export function listApiKeys(pool: Pool, tenantId: string): Promise<ApiKeySummary[]> {
  return withTenant(
    pool,
    tenantId,
    async (client) => (await client.query<ApiKeySummary>(`SELECT ${summaryColumns} FROM api_keys WHERE tenant_id = $1 ORDER BY created_at DESC, id`, [tenantId])).rows,
    { isolation: 'read committed' },
  );
}

/** Revokes a key of the tenant (idempotent: only the first revocation is audited); null when the tenant has no such key. */
export function revokeApiKey(pool: Pool, input: { tenantId: string; keyId: string; now: Date }): Promise<ApiKeySummary | null> {
  return withTenant(
    pool,
    input.tenantId,
    async (client) => {
      const before = await client.query<{ isLive: boolean }>('SELECT revoked_at IS NULL AS "isLive" FROM api_keys WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [input.tenantId, input.keyId]);
      if (!before.rows[0]) return null;
      const { rows } = await client.query<ApiKeySummary>(
        `UPDATE api_keys SET revoked_at = coalesce(revoked_at, $3) WHERE tenant_id = $1 AND id = $2 RETURNING ${summaryColumns}`,
        [input.tenantId, input.keyId, input.now],
      );
      const summary = rows[0]!;
      const wasLive = before.rows[0].isLive;
      if (wasLive) await auditKeyChange(client, { action: 'api_key.revoke', key: summary, tenantId: input.tenantId, now: input.now });
      return summary;
    },
    { isolation: 'read committed' },
  );
}

/** How stale `last_used_at` may get before a request refreshes it (saves a write per request). */
const lastUsedResolutionMs = 60_000;

/**
 * Finds the live key with this value, across tenants (the key is what tells us the tenant, so this
 * one lookup runs as the owner, by hash only). Null for an unknown or revoked key.
 */
export async function verifyApiKey(pool: Pool, key: string, now: Date): Promise<KeyIdentity | null> {
  if (!isApiKeyFormat(key)) return null;
  // Named, so each connection plans it once: it runs on every request.
  const { rows } = await pool.query<KeyIdentity & { lastUsedAt: Date | null }>({
    name: 'gomomo_verify_api_key',
    text: `SELECT k.id AS "keyId", k.tenant_id AS "tenantId", k.kind, k.last_used_at AS "lastUsedAt",
            ARRAY(SELECT o.origin FROM allowed_origins o WHERE o.tenant_id = k.tenant_id) AS origins
       FROM api_keys k WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
    values: [hashKey(key)],
  });
  const row = rows[0];
  if (!row) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= lastUsedResolutionMs) await recordKeyUse(pool, row.keyId, now);
  return { keyId: row.keyId, tenantId: row.tenantId, kind: row.kind, origins: row.origins };
}

/** Moves a key's `last_used_at` forward (as the owner: the key told us the tenant). */
export async function recordKeyUse(pool: Pool, keyId: string, now: Date): Promise<void> {
  await pool.query('UPDATE api_keys SET last_used_at = $2 WHERE id = $1', [keyId, now]);
}
