import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlState, withTenant, type Tenant } from '@gomomo/core';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { createTestTenant } from '../../test/helpers.js';
import { isPolicyError } from '../errors.js';
import { appendAudit, appendAudits, appendAuditsIn, auditBatchOf } from './append.js';
import { queryAudit } from './query.js';
import { verifyAuditChain } from './verify.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ max: 12 });
});
afterAll(async () => {
  await db.drop();
});

const base = { actor: 'customer', channel: 'web', action: 'booking.hold', outcome: 'allowed' } as const;

async function appendMany(tenant: Tenant, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await appendAudit(db.pool, { ...base, tenantId: tenant.id, sessionId: `s-${i}`, occurredAt: new Date(Date.UTC(2026, 11, 1, 15, i)) });
  }
}

describe('appendAudit', () => {
  it('chains each row to the previous one and stores details redacted', async () => {
    const tenant = await createTestTenant(db.pool);
    const first = await appendAudit(db.pool, { ...base, tenantId: tenant.id, details: { clientEmail: 'ann@example.com', memo: 'call +1 (555) 123-4567', slot: '2026-12-01T15:00:00Z' } });
    const second = await appendAudit(db.pool, { ...base, tenantId: tenant.id, outcome: 'denied', reason: 'no rule' });
    expect([first.seq, second.seq]).toEqual([1, 2]);
    const { entries } = await queryAudit(db.pool, { tenantId: tenant.id, order: 'asc' });
    expect(entries[1]!.prevHash).toBe(first.hash);
    expect(entries[0]!.details).toEqual({ clientEmail: '[redacted]', memo: 'call [phone]', slot: '2026-12-01T15:00:00Z' });
    expect(await verifyAuditChain(db.pool, tenant.id)).toEqual({ ok: true, count: 2, head: { seq: 2, hash: second.hash } });
  });

  it('stores a client key only as a pseudonym', async () => {
    const tenant = await createTestTenant(db.pool);
    await appendAudit(db.pool, { ...base, tenantId: tenant.id, clientKey: 'ann@example.com' });
    const { rows } = await db.pool.query<{ row: string }>('SELECT row_to_json(a)::text AS row FROM audit_log a WHERE tenant_id = $1', [tenant.id]);
    expect(rows[0]!.row).not.toContain('ann@example.com');
    expect(rows[0]!.row).toMatch(/"client_ref":"[0-9a-f]{64}"/);
  });

  it('never forks the chain under concurrent appends', async () => {
    const tenant = await createTestTenant(db.pool);
    await Promise.all(Array.from({ length: 40 }, (_, i) => appendAudit(db.pool, { ...base, tenantId: tenant.id, sessionId: `c-${i}` })));
    const { rows } = await db.pool.query<{ n: number; seqs: number; prevs: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT seq)::int AS seqs, count(DISTINCT prev_hash)::int AS prevs FROM audit_log WHERE tenant_id = $1',
      [tenant.id],
    );
    expect(rows[0]).toEqual({ n: 40, seqs: 40, prevs: 40 });
    expect(await verifyAuditChain(db.pool, tenant.id)).toMatchObject({ ok: true, count: 40 });
  });

  it('appends concurrent entries of one tenant in the order they were asked, sharing statements (group commit)', async () => {
    const tenant = await createTestTenant(db.pool);
    const appended = await Promise.all(Array.from({ length: 30 }, (_, i) => appendAudit(db.pool, { ...base, tenantId: tenant.id, sessionId: `g-${i}` })));
    expect(appended.map((row) => row.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const { rows } = await db.pool.query<{ sessions: string[]; transactions: number }>(
      'SELECT array_agg(session_id ORDER BY seq) AS sessions, count(DISTINCT xmin::text)::int AS transactions FROM audit_log WHERE tenant_id = $1',
      [tenant.id],
    );
    expect(rows[0]!.sessions).toEqual(Array.from({ length: 30 }, (_, i) => `g-${i}`));
    // The first is sent at once; the 29 asked while it ran wait for it and go together.
    expect(rows[0]!.transactions).toBeLessThanOrEqual(2);
    expect(await verifyAuditChain(db.pool, tenant.id)).toMatchObject({ ok: true, count: 30 });
  });

  it("fails only the call whose entry Postgres refuses when calls share a statement", async () => {
    const tenant = await createTestTenant(db.pool);
    const calls = [
      appendAudit(db.pool, { ...base, tenantId: tenant.id, sessionId: 'first' }),
      appendAudit(db.pool, { ...base, tenantId: tenant.id, sessionId: 'second' }),
      // Past Postgres' integer: refused by the statement, not by the checks before it.
      appendAudit(db.pool, { ...base, tenantId: tenant.id, sessionId: 'refused', ruleVersion: 2 ** 40 }),
      appendAudits(db.pool, [{ ...base, tenantId: tenant.id, sessionId: 'third' }, { ...base, tenantId: tenant.id, sessionId: 'fourth' }]),
    ];
    const settled = await Promise.allSettled(calls);
    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const { entries } = await queryAudit(db.pool, { tenantId: tenant.id, order: 'asc' });
    expect(entries.map((entry) => entry.sessionId)).toEqual(['first', 'second', 'third', 'fourth']);
    expect(await verifyAuditChain(db.pool, tenant.id)).toMatchObject({ ok: true, count: 4 });
  });

  it('keeps tenants apart when their appends are asked at once', async () => {
    const [one, two] = [await createTestTenant(db.pool), await createTestTenant(db.pool)];
    await Promise.all(Array.from({ length: 20 }, (_, i) => appendAudit(db.pool, { ...base, tenantId: (i % 2 === 0 ? one : two).id, sessionId: `t-${i}` })));
    for (const [tenant, parity] of [[one, 0], [two, 1]] as const) {
      const { entries } = await queryAudit(db.pool, { tenantId: tenant.id, order: 'asc' });
      expect(entries.map((entry) => entry.sessionId)).toEqual(Array.from({ length: 10 }, (_, i) => `t-${2 * i + parity}`));
      expect(await verifyAuditChain(db.pool, tenant.id)).toMatchObject({ ok: true, count: 10 });
    }
  });

  it('rejects an entry with an unknown outcome before touching the database', async () => {
    const tenant = await createTestTenant(db.pool);
    const error = await appendAudit(db.pool, { ...base, tenantId: tenant.id, outcome: 'maybe' as never }).catch((e: unknown) => e);
    expect(isPolicyError(error, 'VALIDATION') && error.field).toBe('outcome');
  });
});

describe('the chain head (migration 0026)', () => {
  const head = async (tenant: Tenant) =>
    (await db.pool.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_chain_heads WHERE tenant_id = $1', [tenant.id])).rows[0];

  it('keeps the head in a row of its own, moved with each append', async () => {
    const tenant = await createTestTenant(db.pool);
    await appendAudits(db.pool, Array.from({ length: 60 }, (_, i) => ({ ...base, tenantId: tenant.id, sessionId: `h-${i}` })));
    const last = await appendAudit(db.pool, { ...base, tenantId: tenant.id });
    expect(await head(tenant)).toEqual({ seq: 61, hash: last.hash });
  });

  it.each([
    ['behind the log', "UPDATE audit_chain_heads h SET seq = a.seq, hash = a.hash, entry_id = a.id FROM audit_log a WHERE h.tenant_id = $1 AND a.tenant_id = $1 AND a.seq = 2"],
    ['ahead of the log', "UPDATE audit_chain_heads SET seq = seq + 5, hash = repeat('a', 64) WHERE tenant_id = $1"],
    ['with a hash the log does not have', "UPDATE audit_chain_heads SET hash = repeat('b', 64) WHERE tenant_id = $1"],
    ['missing', 'DELETE FROM audit_chain_heads WHERE tenant_id = $1'],
  ])('never forks the chain when the head row is %s: the head is read from the log', async (_case, sql) => {
    const tenant = await createTestTenant(db.pool);
    await appendMany(tenant, 4);
    await db.pool.query(sql, [tenant.id]);
    const next = await appendAudit(db.pool, { ...base, tenantId: tenant.id, reason: 'after' });
    expect(next.seq).toBe(5);
    expect(await head(tenant)).toEqual({ seq: 5, hash: next.hash });
    expect(await verifyAuditChain(db.pool, tenant.id)).toEqual({ ok: true, count: 5, head: { seq: 5, hash: next.hash } });
  });

  it.each([
    ['behind the log', "UPDATE audit_chain_heads h SET seq = a.seq, hash = a.hash, entry_id = a.id FROM audit_log a WHERE h.tenant_id = $1 AND a.tenant_id = $1 AND a.seq = 2"],
    ['ahead of the log', "UPDATE audit_chain_heads SET seq = seq + 5, hash = repeat('a', 64) WHERE tenant_id = $1"],
    ['missing', 'DELETE FROM audit_chain_heads WHERE tenant_id = $1'],
  ])('never forks the chain when the head row is %s and a batch follows (migration 0029)', async (_case, sql) => {
    const tenant = await createTestTenant(db.pool);
    await appendMany(tenant, 4);
    await db.pool.query(sql, [tenant.id]);
    const batch = [{ ...base, tenantId: tenant.id, reason: 'after 1' }, { ...base, tenantId: tenant.id, reason: 'after 2' }];
    const appended = await withTenant(db.pool, tenant.id, (client) => appendAuditsIn(client, batch), { isolation: 'read committed' });
    expect(appended.map((row) => row.seq)).toEqual([5, 6]);
    expect(await head(tenant)).toEqual({ seq: 6, hash: appended[1]!.hash });
    expect(await verifyAuditChain(db.pool, tenant.id)).toEqual({ ok: true, count: 6, head: { seq: 6, hash: appended[1]!.hash } });
  });

  it("shows a tenant's transaction only its own head row", async () => {
    const [one, two] = [await createTestTenant(db.pool), await createTestTenant(db.pool)];
    await appendMany(one, 1);
    await appendMany(two, 1);
    const seen = await withTenant(db.pool, one.id, async (client) => (await client.query<{ tenantId: string }>('SELECT tenant_id AS "tenantId" FROM audit_chain_heads')).rows);
    expect(seen).toEqual([{ tenantId: one.id }]);
  });
});

describe('appendAudits', () => {
  it('appends several entries in one statement, in order, on an intact chain, with the same content as one by one', async () => {
    const tenant = await createTestTenant(db.pool);
    await appendAudit(db.pool, { ...base, tenantId: tenant.id, reason: 'first, alone' });
    const batch = await appendAudits(db.pool, [
      { ...base, tenantId: tenant.id, outcome: 'succeeded', reason: 'second', details: { memo: 'call +1 (555) 123-4567', eventId: 7 }, occurredAt: new Date('2026-12-01T15:00:00.123Z') },
      { ...base, tenantId: tenant.id, outcome: 'failed', reason: 'third', ruleId: 'r-1', ruleVersion: 2, clientKey: 'ann@example.com' },
    ]);
    expect(batch.map((row) => row.seq)).toEqual([2, 3]);
    const { entries } = await queryAudit(db.pool, { tenantId: tenant.id, order: 'asc' });
    expect(entries.map((entry) => [entry.reason, entry.outcome])).toEqual([['first, alone', 'allowed'], ['second', 'succeeded'], ['third', 'failed']]);
    expect(entries[1]).toMatchObject({ details: { memo: 'call [phone]', eventId: 7 }, occurredAt: '2026-12-01T15:00:00.123Z' });
    expect(entries[2]).toMatchObject({ ruleId: 'r-1', ruleVersion: 2 });
    expect(await verifyAuditChain(db.pool, tenant.id)).toEqual({ ok: true, count: 3, head: { seq: 3, hash: batch[1]!.hash } });
  });

  it('appends nothing when one entry is malformed (all or none)', async () => {
    const tenant = await createTestTenant(db.pool);
    await expect(appendAudits(db.pool, [{ ...base, tenantId: tenant.id }, { ...base, tenantId: tenant.id, outcome: 'maybe' as never }])).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await verifyAuditChain(db.pool, tenant.id)).toEqual({ ok: true, count: 0, head: null });
  });
});

describe('appendAuditsIn', () => {
  it("appends in the caller's transaction: nothing if it rolls back, in order on an intact chain if it commits", async () => {
    const tenant = await createTestTenant(db.pool);
    await appendAudit(db.pool, { ...base, tenantId: tenant.id, reason: 'before' });
    const entries = [
      { ...base, tenantId: tenant.id, reason: 'decision' },
      { ...base, tenantId: tenant.id, outcome: 'succeeded' as const, reason: 'outcome', details: { memo: 'call +1 (555) 123-4567' } },
    ];
    await expect(
      withTenant(db.pool, tenant.id, async (client) => {
        await appendAuditsIn(client, entries);
        throw new Error('the work failed');
      }, { isolation: 'read committed' }),
    ).rejects.toThrow('the work failed');
    expect((await queryAudit(db.pool, { tenantId: tenant.id, order: 'asc' })).entries.map((entry) => entry.reason)).toEqual(['before']);

    const appended = await withTenant(db.pool, tenant.id, (client) => appendAuditsIn(client, entries), { isolation: 'read committed' });
    expect(appended.map((row) => row.seq)).toEqual([2, 3]);
    // A pool append after it continues the same chain.
    await appendAudit(db.pool, { ...base, tenantId: tenant.id, reason: 'after' });
    const { entries: logged } = await queryAudit(db.pool, { tenantId: tenant.id, order: 'asc' });
    expect(logged.map((entry) => [entry.seq, entry.reason])).toEqual([[1, 'before'], [2, 'decision'], [3, 'outcome'], [4, 'after']]);
    expect(logged[2]!.details).toEqual({ memo: 'call [phone]' });
    expect((await verifyAuditChain(db.pool, tenant.id)).ok).toBe(true);
  });

  it('keeps one chain when transactions and pool appends of a tenant race', async () => {
    const tenant = await createTestTenant(db.pool);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        i % 2 === 0
          ? withTenant(db.pool, tenant.id, (client) => appendAuditsIn(client, [{ ...base, tenantId: tenant.id, reason: `in ${i}.1` }, { ...base, tenantId: tenant.id, reason: `in ${i}.2` }]), { isolation: 'read committed' })
          : appendAudit(db.pool, { ...base, tenantId: tenant.id, reason: `alone ${i}` }),
      ),
    );
    expect(await verifyAuditChain(db.pool, tenant.id)).toMatchObject({ ok: true, count: 12 });
  });
});

describe('gomomo_audit_append_batch', () => {
  it("appends a batch naming two tenants to each tenant's own chain, in order", async () => {
    const [one, two] = [await createTestTenant(db.pool), await createTestTenant(db.pool)];
    await appendMany(one, 1);
    const batch = auditBatchOf([
      { ...base, tenantId: one.id, reason: 'one a' },
      { ...base, tenantId: two.id, reason: 'two a' },
      { ...base, tenantId: one.id, reason: 'one b' },
    ]);
    const { rows } = await db.pool.query<{ seq: string }>('SELECT seq FROM gomomo_audit_append_batch($1::jsonb)', [batch]);
    expect(rows.map((row) => Number(row.seq))).toEqual([2, 1, 3]);
    expect((await queryAudit(db.pool, { tenantId: one.id, order: 'asc' })).entries.map((entry) => entry.reason)).toEqual([null, 'one a', 'one b']);
    expect(await verifyAuditChain(db.pool, one.id)).toMatchObject({ ok: true, count: 3 });
    expect(await verifyAuditChain(db.pool, two.id)).toMatchObject({ ok: true, count: 1 });
  });

  it('reports a chain that moved on after a REPEATABLE READ snapshot as a serialization failure (40001), which a retry gets past', async () => {
    const tenant = await createTestTenant(db.pool);
    await appendMany(tenant, 1);
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await client.query('SELECT count(*) FROM audit_log');
      // Another transaction appends and commits after this snapshot was taken.
      await appendAudit(db.pool, { ...base, tenantId: tenant.id, reason: 'meanwhile' });
      const error = await client.query('SELECT seq FROM gomomo_audit_append_batch($1::jsonb)', [auditBatchOf([{ ...base, tenantId: tenant.id, reason: 'late' }])]).catch((e: unknown) => e);
      expect(sqlState(error)).toBe('40001');
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
    let attempts = 0;
    await withTenant(db.pool, tenant.id, async (tx) => {
      attempts++;
      // The snapshot is taken by the transaction's first statement; the chain moves on after it, once.
      await tx.query('SELECT count(*) FROM audit_log');
      if (attempts === 1) await appendAudit(db.pool, { ...base, tenantId: tenant.id, reason: 'meanwhile again' });
      return appendAuditsIn(tx, [{ ...base, tenantId: tenant.id, reason: 'retried' }, { ...base, tenantId: tenant.id, reason: 'retried too' }]);
    }, { isolation: 'repeatable read' });
    expect(attempts).toBe(2);
    const { entries } = await queryAudit(db.pool, { tenantId: tenant.id, order: 'asc' });
    expect(entries.map((entry) => entry.reason)).toEqual([null, 'meanwhile', 'meanwhile again', 'retried', 'retried too']);
    expect(await verifyAuditChain(db.pool, tenant.id)).toMatchObject({ ok: true, count: 5 });
  });
});

describe('auditBatchOf', () => {
  it("is appended by gomomo_audit_append_batch inside the caller's own statement, in order, and rolls back with it", async () => {
    const tenant = await createTestTenant(db.pool);
    await appendAudit(db.pool, { ...base, tenantId: tenant.id, reason: 'before' });
    const batch = auditBatchOf([
      { ...base, tenantId: tenant.id, reason: 'decision' },
      { ...base, tenantId: tenant.id, outcome: 'succeeded', reason: 'outcome', details: { clientEmail: 'ann@example.com' } },
    ]);
    // A statement of the caller's making that writes its own work and appends the batch.
    const closing = `WITH work AS (SELECT set_config('gomomo.test_work', 'done', true)), audited AS (SELECT seq FROM gomomo_audit_append_batch($1::jsonb))
                     SELECT (SELECT count(*) FROM work) AS work, array(SELECT seq FROM audited ORDER BY seq) AS seqs`;
    await expect(
      withTenant(db.pool, tenant.id, async (client) => {
        await client.query(closing, [batch]);
        throw new Error('COMMIT failed');
      }, { isolation: 'read committed' }),
    ).rejects.toThrow('COMMIT failed');
    const { rows } = await withTenant(db.pool, tenant.id, (client) => client.query<{ seqs: string[] }>(closing, [batch]), { isolation: 'read committed' });
    expect(rows[0]!.seqs.map(Number)).toEqual([2, 3]);
    const { entries: logged } = await queryAudit(db.pool, { tenantId: tenant.id, order: 'asc' });
    expect(logged.map((entry) => [entry.seq, entry.reason])).toEqual([[1, 'before'], [2, 'decision'], [3, 'outcome']]);
    expect(logged[2]!.details).toEqual({ clientEmail: '[redacted]' });
    expect((await verifyAuditChain(db.pool, tenant.id)).ok).toBe(true);
  });

  it('refuses an entry that is not valid before anything reaches Postgres, naming the field', () => {
    expect(() => auditBatchOf([{ ...base, tenantId: 'not-a-uuid' }])).toThrow(/audit entry tenantId: must be a UUID/);
  });
});

describe('audit_log append-only', () => {
  it.each([
    ['UPDATE', "UPDATE audit_log SET reason = 'edited' WHERE tenant_id = $1"],
    ['DELETE', 'DELETE FROM audit_log WHERE tenant_id = $1'],
  ])('refuses %s even for the table owner', async (_op, sql) => {
    const tenant = await createTestTenant(db.pool);
    await appendMany(tenant, 1);
    const error = await db.pool.query(sql, [tenant.id]).catch((e: unknown) => e);
    expect(sqlState(error)).toBe('42501');
    expect(String(error)).toMatch(/append-only/);
  });

  it('refuses TRUNCATE', async () => {
    expect(sqlState(await db.pool.query('TRUNCATE audit_log').catch((e: unknown) => e))).toBe('42501');
  });

  it('gives the app role no UPDATE or DELETE privilege at all', async () => {
    const tenant = await createTestTenant(db.pool);
    await appendMany(tenant, 1);
    const error = await withTenant(db.pool, tenant.id, (client) => client.query('DELETE FROM audit_log')).catch((e: unknown) => e);
    expect(String(error)).toMatch(/permission denied/);
  });

  it('shows a tenant-scoped transaction only its own tenant\'s rows (Row-Level Security)', async () => {
    const [a, b] = [await createTestTenant(db.pool), await createTestTenant(db.pool)];
    await appendMany(a, 2);
    await appendMany(b, 1);
    const seen = await withTenant(db.pool, a.id, async (client) => (await client.query<{ tenant_id: string }>('SELECT tenant_id FROM audit_log')).rows);
    expect(seen.map((row) => row.tenant_id)).toEqual([a.id, a.id]);
  });

  it('lets a whole tenant be erased, its audit rows with it', async () => {
    const tenant = await createTestTenant(db.pool);
    await appendMany(tenant, 2);
    await db.pool.query('DELETE FROM tenants WHERE id = $1', [tenant.id]);
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1', [tenant.id]);
    expect(rows[0]!.n).toBe(0);
  });
});

describe('verifyAuditChain', () => {
  async function tamper(sql: string, params: unknown[]): Promise<void> {
    await db.pool.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    try {
      await db.pool.query(sql, params);
    } finally {
      await db.pool.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    }
  }

  async function rowId(tenant: Tenant, seq: number): Promise<number> {
    const { rows } = await db.pool.query<{ id: number }>('SELECT id FROM audit_log WHERE tenant_id = $1 AND seq = $2', [tenant.id, seq]);
    return rows[0]!.id;
  }

  it.each([
    ['a changed outcome', "UPDATE audit_log SET outcome = 'allowed', reason = 'ok' WHERE tenant_id = $1 AND seq = 3", /row 3 was changed/, 3],
    ['changed details', `UPDATE audit_log SET details = '{"x":1}' WHERE tenant_id = $1 AND seq = 4`, /row 4 was changed/, 4],
    ['a deleted row', 'DELETE FROM audit_log WHERE tenant_id = $1 AND seq = 2', /row 2 is missing/, 3],
    ['a re-linked row', "UPDATE audit_log SET prev_hash = repeat('0', 64) WHERE tenant_id = $1 AND seq = 5", /row 5 does not link/, 5],
  ])('finds %s', async (_name, sql, reason, brokenSeq) => {
    const tenant = await createTestTenant(db.pool);
    await appendMany(tenant, 6);
    const expectedId = await rowId(tenant, brokenSeq);
    await tamper(sql, [tenant.id]);
    const result = await verifyAuditChain(db.pool, tenant.id);
    expect(result).toMatchObject({ ok: false, brokenAt: expectedId, seq: brokenSeq });
    expect(result.ok === false && result.reason).toMatch(reason);
  });

  it('reports an empty chain as intact', async () => {
    const tenant = await createTestTenant(db.pool);
    expect(await verifyAuditChain(db.pool, tenant.id)).toEqual({ ok: true, count: 0, head: null });
  });
});

describe('queryAudit', () => {
  it('filters by actor, action, outcome and time range, and pages with a cursor without skipping rows', async () => {
    const tenant = await createTestTenant(db.pool);
    await appendMany(tenant, 7);
    await appendAudit(db.pool, { tenantId: tenant.id, actor: 'autonomous', channel: 'system', action: 'notify.sms', outcome: 'denied', occurredAt: new Date(Date.UTC(2026, 11, 2)) });
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await queryAudit(db.pool, { tenantId: tenant.id, actor: 'customer', limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.entries.map((entry) => entry.seq));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1]);
    const ranged = await queryAudit(db.pool, { tenantId: tenant.id, from: '2026-12-01T15:02:00Z', to: '2026-12-01T15:04:00Z', order: 'asc' });
    expect(ranged.entries.map((entry) => entry.sessionId)).toEqual(['s-2', 's-3']);
    const denied = await queryAudit(db.pool, { tenantId: tenant.id, action: 'notify.sms', outcome: 'denied' });
    expect(denied.entries).toHaveLength(1);
    expect(denied.entries[0]).toMatchObject({ actor: 'autonomous', channel: 'system', occurredAt: '2026-12-02T00:00:00.000Z' });
  });

  it('names the bad field of a malformed query', async () => {
    const error = await queryAudit(db.pool, { tenantId: 'nope' }).catch((e: unknown) => e);
    expect(isPolicyError(error, 'VALIDATION') && error.field).toBe('tenantId');
  });
});
