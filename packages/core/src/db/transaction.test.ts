// `withTransaction({ tenantId })` sets the tenant in the BEGIN round trip for owner work (the
// autonomy worker's jobs, issue 15). It must set what the separate `set_config` it replaces set (the
// tenant Row-Level Security reads for a non-superuser owner), keep the owner role, and end with the
// transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookingTenant, type BookingTenant } from '../../test/fixtures.js';
import { createTestDatabase, recordStatements, type TestDatabase } from '../testing/index.js';
import { withTransaction } from './transaction.js';

let db: TestDatabase;
let ours: BookingTenant;

beforeAll(async () => {
  // One connection, so the statement after the transaction runs on the very connection it used.
  db = await createTestDatabase({ max: 1 });
  ours = await createBookingTenant(db.pool, 'owner-tenant-ours');
});
afterAll(async () => {
  await db.drop();
});

describe('withTransaction with a tenant', () => {
  it('sets the tenant for the transaction only and keeps the owner role', async () => {
    const seen = await withTransaction(
      db.pool,
      async (client) => {
        const { rows } = await client.query<{ role: string; setting: string }>(
          `SELECT current_user AS role, current_setting('app.tenant_id') AS setting`,
        );
        return rows;
      },
      { isolation: 'read committed', tenantId: ours.tenant.id.toUpperCase() },
    );
    expect(seen.map((row) => row.setting)).toEqual([ours.tenant.id.toLowerCase()]);
    expect(seen[0]!.role).not.toBe('gomomo_app');
    const { rows: after } = await db.pool.query<{ tenant: string | null }>(`SELECT nullif(current_setting('app.tenant_id', true), '') AS tenant`);
    expect(after).toEqual([{ tenant: null }]);
  });

  it('refuses a tenant id that is not a UUID before it reaches SQL', async () => {
    await expect(withTransaction(db.pool, async () => 1, { tenantId: "x'; DROP TABLE tenants; --" })).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

describe('withTransaction with an opening statement', () => {
  const opening = (tenantId: string, n: number) => ({
    name: 'core_test_opening',
    text: `SELECT $1::uuid AS tenant, $2::bigint AS n, current_setting('app.tenant_id') AS setting, (SELECT count(*) FROM pg_prepared_statements WHERE name = 'core_test_opening') AS prepared`,
    types: ['uuid', 'bigint'],
    values: [tenantId, n],
  });

  it('sends it with BEGIN in one round trip, inside the transaction, preparing it once per connection', async () => {
    const run = (n: number) =>
      withTransaction(db.pool, async (_client, opened) => opened?.rows[0], { isolation: 'read committed', tenantId: ours.tenant.id, opening: opening(ours.tenant.id, n) });
    const { result: first, statements } = await recordStatements(db.pool, () => run(1));
    expect(first).toEqual({ tenant: ours.tenant.id, n: 1, setting: ours.tenant.id, prepared: 1 });
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/^BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL app\.tenant_id = .*; PREPARE core_test_opening \(uuid, bigint\) AS SELECT .*; EXECUTE core_test_opening\('[0-9a-f-]{36}', 1\)$/);
    expect(statements[1]).toBe('COMMIT');
    // The same connection (the pool has one): EXECUTE only.
    const { result: second, statements: again } = await recordStatements(db.pool, () => run(2));
    expect(second).toMatchObject({ n: 2, prepared: 1 });
    expect(again[0]).not.toMatch(/PREPARE/);
    expect(again[0]).toMatch(/; EXECUTE core_test_opening\('[0-9a-f-]{36}', 2\)$/);
  });

  it('inlines only UUIDs and safe integers, refusing anything else before it reaches SQL', async () => {
    for (const values of [["x'); DROP TABLE tenants; --", 1], [ours.tenant.id, 1.5], [ours.tenant.id, Number.MAX_SAFE_INTEGER + 2]] as (string | number)[][]) {
      await expect(withTransaction(db.pool, async () => 1, { tenantId: ours.tenant.id, opening: { ...opening(ours.tenant.id, 1), values } })).rejects.toMatchObject({ code: 'VALIDATION', field: 'opening.values' });
    }
    await expect(withTransaction(db.pool, async () => 1, { tenantId: ours.tenant.id, opening: { ...opening(ours.tenant.id, 1), name: 'x; DROP TABLE tenants' } })).rejects.toMatchObject({ code: 'VALIDATION', field: 'opening.name' });
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM tenants');
    expect(rows[0]!.n).toBeGreaterThan(0);
  });

  it('lets go of a connection whose opening round trip failed, since a PREPARE outlives the rollback', async () => {
    const failing = { name: 'core_test_failing', text: 'SELECT 1 / ($1::bigint - 1) AS n', types: ['bigint'], values: [1] };
    const pidOf = async () => (await db.pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const before = await pidOf();
    await expect(withTransaction(db.pool, async () => 1, { isolation: 'read committed', opening: failing })).rejects.toMatchObject({ code: '22012' });
    // A new connection, on which the statement prepares afresh and runs.
    expect(await pidOf()).not.toBe(before);
    const n = await withTransaction(db.pool, async (_client, opened) => opened?.rows[0]?.n, { isolation: 'read committed', opening: { ...failing, values: [2] } });
    expect(n).toBe(1);
  });
});
