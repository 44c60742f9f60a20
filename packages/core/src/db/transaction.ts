import { setTimeout as sleep } from 'node:timers/promises';
import { BookingError } from '../errors.js';
import type { Pool, PoolClient } from './pool.js';
import { correlationStatement } from './correlation.js';

/** The non-owner role every tenant-scoped transaction runs as, so Row-Level Security applies. */
export const APP_ROLE = 'gomomo_app';

export type Isolation = 'serializable' | 'repeatable read' | 'read committed';

export interface TransactionOptions {
  /** Default `serializable`. */
  isolation?: Isolation;
  /** Attempts before a serialization failure becomes `BUSY` (default 10). */
  maxAttempts?: number;
}

/** Postgres error codes (Appendix A of the manual) that mean "run the whole transaction again". */
const retryableCodes = new Set(['40001', '40P01']);

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The SQLSTATE of a `pg` error, if it is one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.length === 5 ? code : undefined;
}

function isRetryable(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && retryableCodes.has(code);
}

/** Full jitter: a random wait up to an exponentially growing cap, so racing retries spread out. */
function backoffMs(attempt: number): number {
  return Math.random() * Math.min(100, 2 ** attempt);
}

// eslint-disable-next-line max-params -- internal; mirrors the public helpers below.
async function runAttempts<T>(pool: Pool, begin: string, fn: (client: PoolClient) => Promise<T>, maxAttempts: number): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let isBroken = false;
    try {
      await client.query(begin);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        isBroken = true;
      }
      if (!isRetryable(error)) throw error;
      if (attempt >= maxAttempts) {
        throw new BookingError('BUSY', `The database stayed contended after ${maxAttempts} attempts; nothing was written, try again`, { cause: error });
      }
    } finally {
      client.release(isBroken);
    }
    await sleep(backoffMs(attempt));
  }
}

/**
 * Runs `fn` in one transaction with the connecting (owner) role, for work that spans tenants:
 * onboarding, migrations' data steps, sweepers. Serialization failures and deadlocks re-run `fn`.
 */
export function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  // The correlation id rides in the same round trip as BEGIN.
  const begin = `BEGIN ISOLATION LEVEL ${(options.isolation ?? 'serializable').toUpperCase()}${correlationStatement()}`;
  return runAttempts(pool, begin, fn, options.maxAttempts ?? 10);
}

/**
 * Runs `fn` in one transaction scoped to a tenant: as the non-owner `gomomo_app` role, with
 * `app.tenant_id` set for the transaction only, so Row-Level Security hides every other tenant
 * even from a query that forgets its `tenant_id` filter. `SET` statements take no snapshot, so
 * the SERIALIZABLE snapshot starts at `fn`'s first query.
 *
 * Four parameters on purpose (the lint allows three): the callback reads like a block at every call
 * site, and the rarely used options trail it.
 */
// eslint-disable-next-line max-params
export function withTenant<T>(pool: Pool, tenantId: string, fn: (client: PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  if (!uuidPattern.test(tenantId)) {
    throw new BookingError('VALIDATION', `tenantId must be a UUID, got ${JSON.stringify(tenantId).slice(0, 60)}`, { field: 'tenantId' });
  }
  // The tenant id is a validated UUID, so inlining it is safe; one round trip instead of three.
  const begin = [
    `BEGIN ISOLATION LEVEL ${(options.isolation ?? 'serializable').toUpperCase()}`,
    `SET LOCAL ROLE ${APP_ROLE}`,
    `SET LOCAL app.tenant_id = '${tenantId.toLowerCase()}'`,
  ].join('; ') + correlationStatement();
  return runAttempts(pool, begin, fn, options.maxAttempts ?? 10);
}
