// Issue 15: the autonomy worker appends a booking's audit entries (its confirmation's and its
// reminders' decisions and outcomes, four in all) in one batch, and the batch appended them one at
// a time: per entry a lock call, a read of the chain head, its confirmation in the log, an insert and
// a move of the head row. That was about half of the worker's Postgres time per booking. Migration
// 0029 locks, reads and moves the head once per batch and inserts its entries in one statement,
// writing the same chain.
import { withTenant } from '@gomomo/core';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, appendAuditsIn } from '../../src/audit/append.js';
import { verifyAuditChain } from '../../src/audit/verify.js';
import { createTestTenant } from '../helpers.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ max: 4 });
});
afterAll(async () => {
  await db.drop();
});

/** Rows updated and inserted in a table of this database so far, as the statistics count them. */
async function writesTo(table: string): Promise<{ updated: number; inserted: number }> {
  const client = await db.pool.connect();
  try {
    await client.query('SELECT pg_stat_force_next_flush()');
    await client.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ updated: string; inserted: string }>('SELECT n_tup_upd AS updated, n_tup_ins AS inserted FROM pg_stat_user_tables WHERE relname = $1', [table]);
    return { updated: Number(rows[0]!.updated), inserted: Number(rows[0]!.inserted) };
  } finally {
    client.release();
  }
}

describe('regression: a batch of audit entries moved the chain head once per entry', () => {
  it('moves the head once for a batch of four, and writes the chain entry by entry would have', async () => {
    const tenant = await createTestTenant(db.pool);
    const first = await appendAudit(db.pool, { tenantId: tenant.id, actor: 'customer', channel: 'web', action: 'booking.hold', outcome: 'allowed' });
    const entries = ['send_confirmation', 'schedule_reminders'].flatMap((tool) =>
      (['allowed', 'succeeded'] as const).map((outcome) => ({ tenantId: tenant.id, actor: 'autonomous' as const, channel: 'system' as const, action: `tool.${tool}`, tool, outcome })),
    );
    const headsBefore = await writesTo('audit_chain_heads');
    const logBefore = await writesTo('audit_log');
    const appended = await withTenant(db.pool, tenant.id, (client) => appendAuditsIn(client, entries), { isolation: 'read committed' });
    expect(appended.map((row) => row.seq)).toEqual([2, 3, 4, 5]);
    expect((await writesTo('audit_chain_heads')).updated - headsBefore.updated).toBe(1);
    expect((await writesTo('audit_log')).inserted - logBefore.inserted).toBe(4);
    // verifyAuditChain recomputes every hash from the stored content: the batch chained as one by one.
    expect(await verifyAuditChain(db.pool, tenant.id)).toEqual({ ok: true, count: 5, head: { seq: 5, hash: appended[3]!.hash } });
    const { rows } = await db.pool.query<{ seq: string; prev: string }>('SELECT seq, prev_hash AS prev FROM audit_log WHERE tenant_id = $1 AND seq = 2', [tenant.id]);
    expect(rows[0]!.prev).toBe(first.hash);
  });
});
