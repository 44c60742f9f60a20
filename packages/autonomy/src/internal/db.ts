import { withTransaction, type Pool, type PoolClient } from '@gomomo/core';

/**
 * One read-committed transaction as the owner role (it may call graphile_worker's functions) with
 * the tenant set, so Row-Level Security still confines every query to that tenant.
 */
export async function withTenantWork<T>(pool: Pool, tenantId: string, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(
    pool,
    async (client) => {
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      return fn(client);
    },
    { isolation: 'read committed' },
  );
}
