import { setTimeout as sleep } from 'node:timers/promises';
import { BookingError } from '../errors.js';
import type { Pool, PoolClient, QueryResult } from './pool.js';
import { correlationStatement } from './correlation.js';

/** The non-owner role every tenant-scoped transaction runs as, so Row-Level Security applies. */
export const APP_ROLE = 'gomomo_app';

export type Isolation = 'serializable' | 'repeatable read' | 'read committed';

export interface TransactionOptions {
  /** Default `serializable`. */
  isolation?: Isolation;
  /** Attempts before a serialization failure becomes `BUSY` (default 10). */
  maxAttempts?: number;
  /**
   * `withTransaction` only: sets `app.tenant_id` for the transaction in the BEGIN round trip,
   * keeping the connecting (owner) role — owner work confined to one tenant by Row-Level Security
   * (the autonomy worker's jobs, which also call graphile-worker's functions). Must be a UUID.
   */
  tenantId?: string;
  /**
   * `withTransaction` only: the transaction's first statement, sent with its BEGIN in one round trip
   * (issue 15); `fn` gets its result. See `OpeningStatement`.
   */
  opening?: OpeningStatement;
}

/**
 * A statement sent in the BEGIN round trip. That round trip is a simple query (several statements,
 * no parameters), so the statement is prepared with SQL's PREPARE the first time a connection sends
 * it — in the same round trip — and run with EXECUTE and its values inlined. Only UUIDs and safe
 * integers may be inlined: anything else is refused before it reaches SQL.
 */
export interface OpeningStatement {
  /** The name it is prepared under on each connection (lower case; not a name `pg` prepares). */
  name: string;
  /** Its text, with $1, $2 … for the values. */
  text: string;
  /** The values' SQL types, in order ('uuid', 'bigint'). */
  types: string[];
  values: (string | number)[];
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

/** The opening statements each connection has prepared (a prepared statement lives as long as its connection). */
const preparedOpenings = new WeakMap<PoolClient, Set<string>>();
const openingNamePattern = /^[a-z_][a-z0-9_]*$/;

/** A value an opening statement inlines: a UUID or a safe integer, as a literal; anything else is refused. */
function openingLiteral(value: string | number): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && uuidPattern.test(value)) return `'${value.toLowerCase()}'`;
  throw new BookingError('VALIDATION', `an opening statement inlines only UUIDs and safe integers, got ${JSON.stringify(value).slice(0, 60)}`, { field: 'opening.values' });
}

/** An opening statement checked and its EXECUTE written, once, before any connection is taken. */
interface CheckedOpening {
  name: string;
  prepare: string;
  execute: string;
}

function checkOpening(opening: OpeningStatement): CheckedOpening {
  if (!openingNamePattern.test(opening.name)) throw new BookingError('VALIDATION', `an opening statement's name must be a lower-case identifier, got ${JSON.stringify(opening.name).slice(0, 60)}`, { field: 'opening.name' });
  return {
    name: opening.name,
    prepare: `; PREPARE ${opening.name} (${opening.types.join(', ')}) AS ${opening.text}`,
    execute: `; EXECUTE ${opening.name}(${opening.values.map(openingLiteral).join(', ')})`,
  };
}

/** BEGIN, then the opening statement: PREPARE the first time this connection sends it, then EXECUTE. */
function openingSql(client: PoolClient, begin: string, opening: CheckedOpening): string {
  return `${begin}${preparedOpenings.get(client)?.has(opening.name) ? '' : opening.prepare}${opening.execute}`;
}

// eslint-disable-next-line max-params -- internal; mirrors the public helpers below.
async function runAttempts<T>(pool: Pool, begin: string | null, fn: (client: PoolClient, opened?: QueryResult) => Promise<T>, options: { maxAttempts: number; opening?: CheckedOpening | undefined }): Promise<T> {
  const { maxAttempts, opening } = options;
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let isBroken = false;
    try {
      let opened: QueryResult | undefined;
      if (begin !== null && opening) {
        const sql = openingSql(client, begin, opening);
        // If this round trip fails, whether the PREPARE took is unknown (it outlives a rollback), so the connection is let go.
        isBroken = true;
        const results = (await client.query(sql)) as unknown as QueryResult[];
        isBroken = false;
        const prepared = preparedOpenings.get(client) ?? new Set<string>();
        preparedOpenings.set(client, prepared.add(opening.name));
        opened = results.at(-1);
      } else if (begin !== null) {
        await client.query(begin);
      }
      const result = await fn(client, opened);
      if (begin !== null) await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        // Without a BEGIN of ours `fn` may still have opened one (`inTenantTransaction`) and failed
        // inside it; a connection must not go back to the pool mid-transaction. Outside one,
        // ROLLBACK only warns.
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
export async function withTransaction<T>(pool: Pool, fn: (client: PoolClient, opened?: QueryResult) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  if (options.tenantId !== undefined) assertTenantId(options.tenantId);
  // The tenant (a validated UUID, so inlining it is safe), the correlation id and the opening
  // statement (`options.opening`, whose result `fn` gets) ride in the same round trip as BEGIN.
  const tenant = options.tenantId === undefined ? '' : `; SET LOCAL app.tenant_id = '${options.tenantId.toLowerCase()}'`;
  const begin = `BEGIN ISOLATION LEVEL ${(options.isolation ?? 'serializable').toUpperCase()}${tenant}${correlationStatement()}`;
  return runAttempts(pool, begin, fn, { maxAttempts: options.maxAttempts ?? 10, opening: options.opening && checkOpening(options.opening) });
}

/** BEGIN, the role and the tenant in one round trip instead of three. */
function tenantBegin(tenantId: string, isolation: Isolation = 'serializable'): string {
  // The tenant id is a validated UUID (`assertTenantId`), so inlining it is safe.
  return [
    `BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}`,
    `SET LOCAL ROLE ${APP_ROLE}`,
    `SET LOCAL app.tenant_id = '${tenantId.toLowerCase()}'`,
  ].join('; ') + correlationStatement();
}

/**
 * Runs `fn` in a tenant transaction (as `withTenant` scopes it) on a connection the caller holds
 * outside any transaction, e.g. inside `withoutTransaction`, so a few reads and a one-statement
 * write share one checkout. No retry of its own: the caller's `withoutTransaction` re-runs its
 * whole work on a deadlock or serialization failure. Four parameters, as `withTenant`.
 */
// eslint-disable-next-line max-params
export async function inTenantTransaction<T>(client: PoolClient, tenantId: string, fn: (client: PoolClient) => Promise<T>, isolation?: Isolation): Promise<T> {
  assertTenantId(tenantId);
  await client.query(tenantBegin(tenantId, isolation));
  const result = await fn(client);
  await client.query('COMMIT');
  return result;
}

/** Refuses a tenant id that is not a UUID with `VALIDATION`, before it reaches SQL (inlined or as a parameter). */
export function assertTenantId(tenantId: string): void {
  if (!uuidPattern.test(tenantId)) {
    throw new BookingError('VALIDATION', `tenantId must be a UUID, got ${JSON.stringify(tenantId).slice(0, 60)}`, { field: 'tenantId' });
  }
}

/**
 * Runs `fn` on one connection with no transaction around it: each statement is its own transaction
 * (autocommit), so a lock a statement takes ends with it, never a round trip later. For statements
 * that enter the tenant themselves — functions that call `gomomo_enter_tenant` (migration 0011) —
 * and so need neither BEGIN, the tenant settings nor COMMIT: one round trip instead of three.
 * Deadlocks and serialization failures re-run `fn`, as in `withTenant`.
 */
export function withoutTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>, options: Pick<TransactionOptions, 'maxAttempts'> = {}): Promise<T> {
  return runAttempts(pool, null, fn, { maxAttempts: options.maxAttempts ?? 10 });
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
export function withTenant<T>(pool: Pool, tenantId: string, fn: (client: PoolClient) => Promise<T>, options: Omit<TransactionOptions, 'opening'> = {}): Promise<T> {
  assertTenantId(tenantId);
  return runAttempts(pool, tenantBegin(tenantId, options.isolation), fn, { maxAttempts: options.maxAttempts ?? 10 });
}
