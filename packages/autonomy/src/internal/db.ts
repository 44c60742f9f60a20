import { withTransaction, type Pool, type PoolClient } from '@gomomo/core';

/**
 * One read-committed transaction as the owner role (it may call graphile_worker's functions) with
 * the tenant set, so Row-Level Security still confines every query to that tenant. The tenant is
 * set in the BEGIN round trip (issue 15: a job's round trips are most of its cost).
 */
export async function withTenantWork<T>(pool: Pool, tenantId: string, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(pool, fn, { isolation: 'read committed', tenantId });
}
