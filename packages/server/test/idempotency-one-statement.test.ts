// Issue 15: an Idempotency-Key cost two tenant transactions of three round trips each. Claim and
// finish are now one autocommit statement apiece (migration 0141); these tests pin that, and that
// the one statement keeps what the transactions guaranteed: one winner among racing requests, the
// tenant's Row-Level Security, and nothing left set on the pooled connection.
import type { Pool } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIdempotent } from '../src/http/idempotency.js';
import { createHarness, type Harness, type TestTenant } from './harness.js';

let h: Harness;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  h = await createHarness();
  a = await h.onboard('idem-one-a', 'https://a.example');
  b = await h.onboard('idem-one-b', 'https://b.example');
});
afterAll(() => h.close());

/**
 * The pool's one-statement queries and its checkouts while `fn` runs. `pool.query` checks a client
 * out itself, so checkouts equal queries exactly when no transaction (BEGIN … COMMIT on a client held
 * across round trips) was opened.
 */
async function countRoundTrips<T>(pool: Pool, fn: () => Promise<T>): Promise<{ result: T; queries: number; checkouts: number }> {
  const query = pool.query.bind(pool);
  const connect = pool.connect.bind(pool);
  let queries = 0;
  let checkouts = 0;
  const counted = pool as unknown as { query: unknown; connect: unknown };
  counted.query = (...args: Parameters<Pool['query']>) => {
    queries++;
    return (query as (...a: unknown[]) => unknown)(...args);
  };
  counted.connect = (...args: unknown[]) => {
    checkouts++;
    return (connect as (...a: unknown[]) => unknown)(...args);
  };
  try {
    return { result: await fn(), queries, checkouts };
  } finally {
    counted.query = query;
    counted.connect = connect;
  }
}

const call = (tenantId: string, key: string, run: () => Promise<unknown>) => ({ pool: h.db.pool, tenantId, key, procedure: 'bookings.confirm', input: { n: 1 }, run, now: h.clock.now() });

describe('runIdempotent', () => {
  it('claims a key and stores the result in one round trip each, and answers a retry in one', async () => {
    const first = await countRoundTrips(h.db.pool, () => runIdempotent(call(a.id, 'one-trip', async () => ({ booked: 1 }))));
    expect(first).toEqual({ result: { booked: 1 }, queries: 2, checkouts: 2 });
    const retry = await countRoundTrips(h.db.pool, () => runIdempotent(call(a.id, 'one-trip', async () => ({ booked: 2 }))));
    expect(retry).toEqual({ result: { booked: 1 }, queries: 1, checkouts: 1 });
  });

  it('runs one of two racing requests with the same key; the other is told it is in progress', async () => {
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = runIdempotent(call(a.id, 'race', async () => {
      runs++;
      await gate;
      return { booked: 1 };
    }));
    await expect(runIdempotent(call(a.id, 'race', async () => ++runs))).rejects.toMatchObject({ code: 'IDEMPOTENCY_IN_PROGRESS' });
    release();
    expect(await slow).toEqual({ booked: 1 });
    expect(runs).toBe(1);
  });

  it('frees the key after a failed attempt, so the retry really runs', async () => {
    await expect(runIdempotent(call(a.id, 'fails-once', async () => Promise.reject(new Error('engine down'))))).rejects.toThrow('engine down');
    expect(await runIdempotent(call(a.id, 'fails-once', async () => 'ran'))).toBe('ran');
  });

  it("keeps tenants' keys apart and leaves no tenant or role set on the pooled connection", async () => {
    await runIdempotent(call(a.id, 'shared-key', async () => 'a'));
    expect(await runIdempotent(call(b.id, 'shared-key', async () => 'b'))).toBe('b');
    const { rows } = await h.db.pool.query<{ tenant: string | null; role: string }>(`SELECT nullif(current_setting('app.tenant_id', true), '') AS tenant, current_user AS role`);
    expect(rows[0]).toMatchObject({ tenant: null });
    expect(rows[0]!.role).not.toBe('gomomo_app');
  });
});
