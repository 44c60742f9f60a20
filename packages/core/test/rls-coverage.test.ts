// Row-Level Security is the backstop behind `tenant_id` in every query (docs/architecture.md,
// "Tenant isolation"). It is easy to forget on a new table, and nothing else would notice: every
// query of ours is scoped anyway. So the schema itself is checked here, after all migrations, and a
// new table with a `tenant_id` column and no forced RLS or no tenant policy fails CI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

/** Tables that carry no `tenant_id` on purpose, each with the reason. */
const unscopedTables: Record<string, string> = {
  gomomo_migrations: 'the migrator’s own bookkeeping, shared by the whole database',
  tenants: 'the tenant row itself; scoped by its `id` (checked below)',
  inbound_sms_unrouted: 'texts to numbers no tenant owns: there is no tenant to scope them to',
  voice_calls_unrouted: 'calls to numbers no tenant takes calls on: there is no tenant to scope them to',
  autonomy_workers: 'job runners’ heartbeats: one row per worker process, no tenant data',
};

interface TableSecurity {
  table: string;
  isRlsEnabled: boolean;
  isRlsForced: boolean;
  policies: { command: string; using: string | null; check: string | null }[];
}

async function tableSecurity(where: string): Promise<TableSecurity[]> {
  const { rows } = await db.pool.query<TableSecurity>(`
    SELECT k.relname AS "table",
           k.relrowsecurity AS "isRlsEnabled",
           k.relforcerowsecurity AS "isRlsForced",
           coalesce((SELECT json_agg(json_build_object('command', p.cmd, 'using', p.qual, 'check', p.with_check))
                       FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = k.relname), '[]') AS policies
      FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace
     WHERE n.nspname = 'public' AND k.relkind IN ('r', 'p') AND ${where}
     ORDER BY k.relname`);
  return rows;
}

/** A policy scopes by tenant when both its USING and its WITH CHECK test the row's tenant. */
function isTenantPolicy(policy: TableSecurity['policies'][number], column: string): boolean {
  const scopes = (expression: string | null) => expression !== null && expression.includes(`gomomo_row_visible(${column})`);
  return policy.command === 'ALL' && scopes(policy.using) && scopes(policy.check);
}

describe('row-level security', () => {
  it('is enabled, forced and tenant-scoped on every table with a tenant_id column', async () => {
    const tables = await tableSecurity(`EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = k.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)`);
    expect(tables.length).toBeGreaterThan(25);
    const unprotected = tables
      .filter((t) => !t.isRlsEnabled || !t.isRlsForced || !t.policies.some((p) => isTenantPolicy(p, 'tenant_id')))
      .map((t) => `${t.table}: enabled=${t.isRlsEnabled} forced=${t.isRlsForced} policies=${JSON.stringify(t.policies)}`);
    expect(unprotected).toEqual([]);
  });

  it('scopes the tenants table by its own id', async () => {
    const [tenants] = await tableSecurity(`k.relname = 'tenants'`);
    expect(tenants).toMatchObject({ isRlsEnabled: true, isRlsForced: true });
    expect(tenants!.policies.some((p) => isTenantPolicy(p, 'id'))).toBe(true);
  });

  it('leaves only the listed tables without a tenant_id column', async () => {
    const tables = await tableSecurity(`NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = k.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)`);
    expect(tables.map((t) => t.table).sort()).toEqual(Object.keys(unscopedTables).sort());
  });

  it('gives the role the API runs as no way around it', async () => {
    const { rows } = await db.pool.query<{ rolbypassrls: boolean; rolsuper: boolean }>(`SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = 'gomomo_app'`);
    expect(rows).toEqual([{ rolbypassrls: false, rolsuper: false }]);
    const { rows: owned } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tableowner = 'gomomo_app'`);
    expect(owned[0]!.n).toBe(0);
  });
});
