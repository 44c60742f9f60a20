// `withTransaction({ tenantId })` sets the tenant in the BEGIN round trip for owner work (the
// autonomy worker's jobs, issue 15). It must set what the separate `set_config` it replaces set (the
// tenant Row-Level Security reads for a non-superuser owner), keep the owner role, and end with the
// transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookingTenant, type BookingTenant } from '../../test/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
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
