import { withTransaction, type OpeningStatement, type Pool, type PoolClient, type QueryResult } from '@gomomo/core';

/**
 * One read-committed transaction as the owner role (it may call graphile_worker's functions) with
 * the tenant set, so Row-Level Security still confines every query to that tenant. The tenant is
 * set in the BEGIN round trip, and so is the work's first statement when it has one (`opening`,
 * whose result `fn` gets): issue 15, a job's round trips are most of its cost.
 */
export async function withTenantWork<T>(
  pool: Pool,
  scope: { tenantId: string; opening?: OpeningStatement | undefined },
  fn: (client: PoolClient, opened?: QueryResult) => Promise<T>,
): Promise<T> {
  return withTransaction(pool, fn, { isolation: 'read committed', tenantId: scope.tenantId, ...(scope.opening ? { opening: scope.opening } : {}) });
}
