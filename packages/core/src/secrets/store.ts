import type { Pool, Queryable } from '../db/pool.js';
import { BookingError } from '../errors.js';
import { missingKeyError, type Keyring, type SealedValue } from './keyring.js';

const namePattern = /^[a-z0-9][a-z0-9:._-]{0,199}$/;

/** What a value is bound to: a row moved to another tenant or name no longer opens. */
function contextOf(tenantId: string, name: string): string {
  return `gomomo-secret:v1:${tenantId}:${name}`;
}

function checkName(name: string): void {
  if (!namePattern.test(name)) throw new BookingError('VALIDATION', 'name: 1-200 lowercase letters, digits, ":", ".", "_" or "-"', { field: 'name' });
}

interface SecretRow {
  keyId: string;
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
  version: number;
}

/**
 * Stores `value` under the tenant's `name`, sealed with the keyring's first key, in the caller's
 * transaction (a tenant transaction: `withTenant`). Replaces an earlier value.
 */
export async function writeSecret(client: Queryable, keyring: Keyring, secret: { tenantId: string; name: string; value: string }): Promise<void> {
  checkName(secret.name);
  const sealed = keyring.seal(secret.value, contextOf(secret.tenantId, secret.name));
  await client.query(
    `INSERT INTO secrets (tenant_id, name, key_id, nonce, ciphertext, tag) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (tenant_id, name) DO UPDATE SET key_id = EXCLUDED.key_id, nonce = EXCLUDED.nonce, ciphertext = EXCLUDED.ciphertext,
       tag = EXCLUDED.tag, version = secrets.version + 1, updated_at = now()`,
    [secret.tenantId, secret.name, sealed.keyId, sealed.nonce, sealed.ciphertext, sealed.tag],
  );
}

/** The tenant's value under `name`, or null. `ENCRYPTION_KEY_MISSING` when its key is not configured. */
export async function readSecret(client: Queryable, keyring: Keyring, secret: { tenantId: string; name: string }): Promise<string | null> {
  const { rows } = await client.query<SecretRow>(
    'SELECT key_id AS "keyId", nonce, ciphertext, tag, version FROM secrets WHERE tenant_id = $1 AND name = $2',
    [secret.tenantId, secret.name],
  );
  const row = rows[0];
  return row ? keyring.open(row, contextOf(secret.tenantId, secret.name)) : null;
}

/** Forgets the tenant's value under `name` (a disconnected calendar); true when there was one. */
export async function deleteSecret(client: Queryable, secret: { tenantId: string; name: string }): Promise<boolean> {
  const { rowCount } = await client.query('DELETE FROM secrets WHERE tenant_id = $1 AND name = $2', [secret.tenantId, secret.name]);
  return (rowCount ?? 0) > 0;
}

/**
 * Key ids that stored values need and the keyring lacks (as the owner, every tenant). A start
 * refuses to serve when this is not empty: the values would fail only later, one request at a time.
 */
export async function findMissingSecretKeys(pool: Pool, keyring: Keyring): Promise<{ missingKeyIds: string[]; countByKeyId: Record<string, number> }> {
  const { rows } = await pool.query<{ keyId: string; count: number }>('SELECT key_id AS "keyId", count(*)::int AS count FROM secrets GROUP BY key_id ORDER BY key_id');
  const countByKeyId = Object.fromEntries(rows.map((row) => [row.keyId, row.count]));
  return { missingKeyIds: rows.map((row) => row.keyId).filter((id) => !keyring.has(id)), countByKeyId };
}

/** Throws `ENCRYPTION_KEY_MISSING` naming the key ids when stored secrets need keys the keyring lacks. */
export async function assertSecretKeysPresent(pool: Pool, keyring: Keyring): Promise<void> {
  const { missingKeyIds } = await findMissingSecretKeys(pool, keyring);
  if (missingKeyIds.length > 0) throw missingKeyError(missingKeyIds);
}

export interface RotationResult {
  /** Values re-sealed under the newest key by this run. */
  rotated: number;
  /** Values changed by someone else between our read and our write (already under a current key, or picked up on the next pass). */
  raced: number;
  /** Values still under another key when the run stopped (0 when done). */
  remaining: number;
}

/**
 * Re-seals every value under the keyring's first key, one row at a time: each row is read,
 * re-sealed and written back only if its `version` is unchanged (compare-and-swap), so the API may
 * keep writing meanwhile and nothing is locked for long. Resumable: a stopped run simply leaves
 * rows under older keys, and the next run picks them up. Runs as the owner (all tenants).
 */
export async function rotateSecrets(pool: Pool, keyring: Keyring, options: { batchSize?: number; onProgress?: (done: number) => void } = {}): Promise<RotationResult> {
  const newest = keyring.ids[0];
  if (newest === undefined) throw missingKeyError([]);
  await assertSecretKeysPresent(pool, keyring);
  const batchSize = options.batchSize ?? 100;
  let rotated = 0;
  let raced = 0;
  // Keyset pagination over (tenant, name): a row that races stays behind us, so a pass ends.
  let after: { tenantId: string; name: string } = { tenantId: '00000000-0000-0000-0000-000000000000', name: '' };
  for (;;) {
    const { rows } = await pool.query<SecretRow & { tenantId: string; name: string }>(
      `SELECT tenant_id AS "tenantId", name, key_id AS "keyId", nonce, ciphertext, tag, version FROM secrets
        WHERE key_id <> $1 AND (tenant_id, name) > ($2::uuid, $3::text) ORDER BY tenant_id, name LIMIT $4`,
      [newest, after.tenantId, after.name, batchSize],
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      const context = contextOf(row.tenantId, row.name);
      const sealed: SealedValue = keyring.seal(keyring.open(row, context), context);
      const { rowCount } = await pool.query(
        `UPDATE secrets SET key_id = $4, nonce = $5, ciphertext = $6, tag = $7, version = version + 1, updated_at = now()
          WHERE tenant_id = $1 AND name = $2 AND version = $3`,
        [row.tenantId, row.name, row.version, sealed.keyId, sealed.nonce, sealed.ciphertext, sealed.tag],
      );
      if (rowCount === 1) rotated++;
      else raced++;
      after = { tenantId: row.tenantId, name: row.name };
    }
    options.onProgress?.(rotated);
  }
  const { rows } = await pool.query<{ count: number }>('SELECT count(*)::int AS count FROM secrets WHERE key_id <> $1', [newest]);
  return { rotated, raced, remaining: rows[0]!.count };
}
