import { createHash } from 'node:crypto';
import { currentCorrelationId, type Pool } from '@gomomo/core';
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
  /** The request's time (from the server's clock): leases are measured from it. */
  now: Date;
  /** How long a claim stays "in progress" before a retry may take it over (default 60 s). */
  leaseMs?: number;
}

/**
 * Longer than any booking mutation takes (each is one short transaction with its own timeouts),
 * short enough that a client retrying after a crash is not refused for long.
 */
export const defaultIdempotencyLeaseMs = 60_000;

// One autocommit statement each, entering the tenant themselves (migration 0141): a claim and a
// finish are one round trip apiece. Named, so each connection plans them once.
const claimStatement = { name: 'gomomo_idempotency_claim', text: 'SELECT claimed, request_hash, response, lease_expires_at, created_at FROM gomomo_idempotency_claim($1, $2, $3, $4, $5, $6, $7, $8)' };
const finishStatement = { name: 'gomomo_idempotency_finish', text: 'SELECT gomomo_idempotency_finish($1, $2, $3, $4)' };

function hashRequest(procedure: string, input: unknown): string {
  return createHash('sha256').update(procedure).update('\0').update(JSON.stringify(input ?? null)).digest('hex');
}

/**
 * Runs a booking mutation at most once per (tenant, Idempotency-Key), as payment APIs do: the first
 * request claims the key, runs, and stores its result; a retry with the same key and request gets
 * the stored result back and never acts twice. A failed first attempt frees the key, so a retry
 * after an error really retries. The claim commits before the mutation runs because the engine
 * opens its own transaction; a crash in between leaves the key claimed, so the claim carries a
 * lease: until it runs out a retry gets IDEMPOTENCY_IN_PROGRESS with `Retry-After` (never booking
 * twice while the first may still be running), after it the same request takes the key over.
 */
export async function runIdempotent<T>(call: IdempotentCall<T>): Promise<T> {
  if (call.key === null) return call.run();
  const { pool, tenantId, key, procedure } = call;
  if (key.length > 255) throw new ServerError('BAD_REQUEST', 'The Idempotency-Key header must be at most 255 characters');
  const requestHash = hashRequest(procedure, call.input);
  const leaseMs = call.leaseMs ?? defaultIdempotencyLeaseMs;
  const leaseUntil = new Date(call.now.getTime() + leaseMs);
  const { rows } = await pool.query<{ claimed: boolean; request_hash: string; response: { value: T } | null; lease_expires_at: Date | null; created_at: Date }>({
    ...claimStatement,
    values: [tenantId, key, procedure, requestHash, leaseUntil, leaseMs, call.now, currentCorrelationId() ?? null],
  });
  const existing = rows[0]?.claimed === false ? rows[0] : null;
  if (existing) {
    if (existing.request_hash !== requestHash) throw new ServerError('IDEMPOTENCY_MISMATCH', `The Idempotency-Key "${key}" was already used for a different request`);
    if (!existing.response) {
      const leaseEnd = existing.lease_expires_at?.getTime() ?? existing.created_at.getTime() + leaseMs;
      const retryAfter = Math.max(1, Math.ceil((leaseEnd - call.now.getTime()) / 1000));
      throw new ServerError('IDEMPOTENCY_IN_PROGRESS', `A request with the Idempotency-Key "${key}" is still in progress; retry after ${retryAfter} s`, { retryAfter });
    }
    return existing.response.value;
  }
  let result: T;
  try {
    result = await call.run();
  } catch (error) {
    await pool.query({ ...finishStatement, values: [tenantId, key, null, currentCorrelationId() ?? null] });
    throw error;
  }
  await pool.query({ ...finishStatement, values: [tenantId, key, { value: result }, currentCorrelationId() ?? null] });
  return result;
}
