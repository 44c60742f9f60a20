import { createHash } from 'node:crypto';
import { withTenant, type Pool } from '@gomomo/core';
import { ServerError } from '../errors/server-error.js';

export interface IdempotentCall<T> {
  pool: Pool;
  tenantId: string;
  /** The `Idempotency-Key` header; null runs `run` as is. */
  key: string | null;
  /** The procedure path: the same key on another procedure is a mismatch. */
  procedure: string;
  input: unknown;
  run: () => Promise<T>;
}

function hashRequest(procedure: string, input: unknown): string {
  return createHash('sha256').update(procedure).update('\0').update(JSON.stringify(input ?? null)).digest('hex');
}

/**
 * Runs a booking mutation at most once per (tenant, Idempotency-Key), as payment APIs do: the first
 * request claims the key, runs, and stores its result; a retry with the same key and request gets
 * the stored result back and never acts twice. A failed first attempt frees the key, so a retry
 * after an error really retries. The claim commits before the mutation runs because the engine
 * opens its own transaction; a crash in between leaves the key claimed (IDEMPOTENCY_IN_PROGRESS),
 * which errs on the side of never booking twice.
 */
export async function runIdempotent<T>(call: IdempotentCall<T>): Promise<T> {
  if (call.key === null) return call.run();
  const { pool, tenantId, key, procedure } = call;
  if (key.length > 255) throw new ServerError('BAD_REQUEST', 'The Idempotency-Key header must be at most 255 characters');
  const requestHash = hashRequest(procedure, call.input);
  const existing = await withTenant(pool, tenantId, async (client) => {
    const inserted = await client.query(
      'INSERT INTO idempotency_keys (tenant_id, key, procedure, request_hash) VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, key) DO NOTHING',
      [tenantId, key, procedure, requestHash],
    );
    if (inserted.rowCount === 1) return null;
    const { rows } = await client.query<{ request_hash: string; response: { value: T } | null }>(
      'SELECT request_hash, response FROM idempotency_keys WHERE tenant_id = $1 AND key = $2',
      [tenantId, key],
    );
    return rows[0] ?? null;
  });
  if (existing) {
    if (existing.request_hash !== requestHash) throw new ServerError('IDEMPOTENCY_MISMATCH', `The Idempotency-Key "${key}" was already used for a different request`);
    if (!existing.response) throw new ServerError('IDEMPOTENCY_IN_PROGRESS', `A request with the Idempotency-Key "${key}" is still in progress`);
    return existing.response.value;
  }
  let result: T;
  try {
    result = await call.run();
  } catch (error) {
    await withTenant(pool, tenantId, (client) => client.query('DELETE FROM idempotency_keys WHERE tenant_id = $1 AND key = $2', [tenantId, key]));
    throw error;
  }
  await withTenant(pool, tenantId, (client) =>
    client.query('UPDATE idempotency_keys SET response = $3, completed_at = now() WHERE tenant_id = $1 AND key = $2', [tenantId, key, { value: result }]),
  );
  return result;
}
