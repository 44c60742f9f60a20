// Issue 15: two functions another package's statement calls once per booking were written in
// `LANGUAGE sql` to be inlined, and Postgres inlined neither: not `gomomo_waitlist_offer_open`
// (its body holds a subquery) and not `gomomo_audit_append_batch` (VOLATILE and set-returning). So
// every call parsed and planned its body afresh. Counted here by pg_stat_statements, which needs a
// cluster started with it preloaded: one of this file's own.
import type pg from 'pg';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Pool } from '../../src/db/pool.js';
import { useStatementStatsCluster } from '../fixtures.js';

const statsPool = useStatementStatsCluster();
let pool: Pool;
beforeEach(() => {
  pool = statsPool();
});

/** Runs `call` `times` on one connection after a warm-up, and counts the plans made for statements matching `inner` meanwhile. */
async function plansWhileCalling(inner: string, times: number, call: (client: pg.PoolClient, n: number) => Promise<unknown>): Promise<{ calls: number; plans: number }> {
  const client = await pool.connect();
  try {
    // Statements inside functions too, and how often each was planned (both settings are the superuser's to set).
    await client.query("SET pg_stat_statements.track = 'all'");
    await client.query('SET pg_stat_statements.track_planning = on');
    // A PL/pgSQL statement is planned for its first few calls (custom plans), then keeps a generic one.
    for (let n = 0; n < 10; n++) await call(client, n);
    await client.query('SELECT pg_stat_statements_reset()');
    for (let n = 10; n < 10 + times; n++) await call(client, n);
    const { rows } = await client.query<{ calls: string; plans: string }>(
      'SELECT coalesce(sum(calls), 0) AS calls, coalesce(sum(plans), 0) AS plans FROM pg_stat_statements WHERE query LIKE $1',
      [`%${inner}%`],
    );
    return { calls: Number(rows[0]!.calls), plans: Number(rows[0]!.plans) };
  } finally {
    client.release();
  }
}

describe('a function another package calls per booking', () => {
  it('gomomo_waitlist_offer_open keeps its plan on a connection', async () => {
    const { rows } = await pool.query<{ id: string }>("INSERT INTO tenants (slug, name, time_zone) VALUES ('planned-once-offer', 'Planned Once', 'UTC') RETURNING id");
    const tenantId = rows[0]!.id;
    const counted = await plansWhileCalling('FROM waitlist_entries w WHERE w.tenant_id = p_tenant', 20, (client) =>
      client.query('SELECT gomomo_waitlist_offer_open($1, gen_random_uuid()) AS open', [tenantId]),
    );
    expect(counted.calls).toBe(20);
    expect(counted.plans).toBe(0);
  });

  it('gomomo_audit_append_batch keeps its plan on a connection, and still appends in order', async () => {
    const { rows } = await pool.query<{ id: string }>("INSERT INTO tenants (slug, name, time_zone) VALUES ('planned-once-audit', 'Planned Once', 'UTC') RETURNING id");
    const tenantId = rows[0]!.id;
    // Two entries a call, in the parameter order of gomomo_audit_append_v2 (policy's auditBatchOf writes these).
    const entry = (n: number, k: number) => [tenantId, new Date(Date.UTC(2026, 10, 29, 9, 0, n)).toISOString(), 'autonomous', 'system', `test.${k}`, null, 'allowed', `call ${n}`, null, null, null, null, null, '{}', '{"n":', `,"k":${k}}`];
    const appendTwo = async (client: pg.PoolClient, n: number) => {
      await client.query('BEGIN');
      await client.query('SELECT id, seq FROM gomomo_audit_append_batch($1::jsonb)', [JSON.stringify([entry(n, 1), entry(n, 2)])]);
      await client.query('COMMIT');
    };
    // Every statement that reads the batch (migration 0029: a tenant check, the hashing loop, the insert)…
    const reads = await plansWhileCalling('FROM jsonb_array_elements(p_rows)', 20, appendTwo);
    expect(reads.calls).toBeGreaterThanOrEqual(20);
    expect(reads.plans).toBe(0);
    // …and the one insert of the whole batch, once a call.
    const counted = await plansWhileCalling('p_seqs[e.n]', 20, (client, n) => appendTwo(client, n + 20));
    expect(counted.calls).toBe(20);
    expect(counted.plans).toBe(0);
    const log = await pool.query<{ seq: string; action: string; reason: string }>('SELECT seq, action, reason FROM audit_log WHERE tenant_id = $1 ORDER BY seq', [tenantId]);
    expect(log.rows).toHaveLength(120);
    expect(log.rows.slice(-2).map((row) => [Number(row.seq), row.action, row.reason])).toEqual([
      [119, 'test.1', 'call 49'],
      [120, 'test.2', 'call 49'],
    ]);
  });
});
