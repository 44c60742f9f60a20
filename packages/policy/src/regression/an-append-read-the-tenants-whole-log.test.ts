// Issue 15, a sibling it did not list: an audit append confirms the chain head, then asks whether
// the log already holds an entry after it. Asked as `tenant_id = … AND seq = head + 1`, the unique
// (tenant_id, seq) key and audit_log_time (tenant_id, occurred_at) cost the same to a planner that
// has never seen the log analysed, and it took audit_log_time. A connection keeps that plan until
// the table is analysed, so on a new install whose log grew within autovacuum's first minute (or a
// benchmark), every append read the tenant's whole log. The question now goes to the key in its
// order (migration 0190).
import { createPool, type Pool } from '@gomomo/core';
import { createTestDatabase, tableRowsRead, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryInput } from '../audit/types.js';
import { verifyAuditChain } from '../audit/verify.js';
import { createPolicyEngine } from '../engine/policy-engine.js';
import { createTestTenant } from '../../test/helpers.js';

let db: TestDatabase;
// One connection, so the plan the appends use, and the statistics it flushes, are one backend's.
let one: Pool;
beforeAll(async () => {
  db = await createTestDatabase();
  one = createPool(db.url, { max: 1 });
});
afterAll(async () => {
  await one?.end();
  await db?.drop();
});

describe('an audit append', () => {
  it('reads a handful of entries, not the tenant’s log, on a connection that planned it when the log was new', async () => {
    const tenant = await createTestTenant(db.pool);
    const policy = createPolicyEngine({ pool: one });
    const entry = (n: number): AuditEntryInput => ({
      tenantId: tenant.id, actor: 'autonomous', channel: 'system', action: 'notify.email', tool: 'send_confirmation', outcome: 'succeeded', reason: 'done', details: { n },
    });
    const { rows: analysed } = await db.pool.query<{ reltuples: number }>("SELECT reltuples FROM pg_class WHERE relname = 'audit_log'");
    expect(analysed[0]!.reltuples).toBe(-1);
    // As the autonomy worker appends: a batch in the statement that closes its transaction.
    const append = async (entries: AuditEntryInput[]) => {
      await one.query('BEGIN');
      await one.query('SELECT count(*) FROM gomomo_audit_append_batch($1::jsonb)', [policy.auditBatchOf(entries)]);
      await one.query('COMMIT');
    };
    // The connection plans the append while the log is new and has never been analysed…
    for (let n = 0; n < 8; n++) await append([entry(n), entry(n)]);
    // …then the log grows to 4,000 entries.
    await append(Array.from({ length: 4000 }, (_, n) => entry(n)));

    const before = await tableRowsRead(db.pool, 'audit_log', one);
    await append([entry(1), entry(2)]);
    const read = (await tableRowsRead(db.pool, 'audit_log', one)) - before;

    // The head row, by id. Through audit_log_time it was every entry of the tenant: 4,016.
    expect(read).toBeLessThanOrEqual(5);
    expect(await verifyAuditChain(db.pool, tenant.id)).toMatchObject({ ok: true, count: 4018 });
  });
});
