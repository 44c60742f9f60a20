import type { PoolClient } from '@gomomo/core';

/** Anything that runs a query: a pool client inside a transaction, or the pool itself. */
export type Queryable = Pick<PoolClient, 'query'>;
