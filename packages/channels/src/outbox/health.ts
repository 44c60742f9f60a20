import type { Pool } from '@gomomo/core';

/** The outbox at a glance, all tenants: for metrics and the operators' doctor. */
export interface OutboxHealth {
  /** Messages by status. */
  byStatus: Record<string, number>;
  /** How long the oldest due, unsent message has waited, in seconds (0 when none). */
  oldestDueSeconds: number;
  permanentlyFailed: number;
}

/** Reads the outbox's health in one statement (as the owner role: across tenants). */
export async function readOutboxHealth(pool: Pick<Pool, 'query'>): Promise<OutboxHealth> {
  const { rows } = await pool.query<{ status: string | null; n: string; age: number | null }>(
    `SELECT status, count(*) AS n,
            extract(epoch FROM now() - min(next_attempt_at) FILTER (WHERE status IN ('pending', 'rate_limited', 'failed') AND next_attempt_at <= now()))::float8 AS age
       FROM notification_outbox GROUP BY ROLLUP (status)`,
  );
  const byStatus: Record<string, number> = {};
  let oldestDueSeconds = 0;
  for (const row of rows) {
    if (row.status === null) oldestDueSeconds = Math.max(0, row.age ?? 0);
    else byStatus[row.status] = Number(row.n);
  }
  return { byStatus, oldestDueSeconds, permanentlyFailed: byStatus.permanently_failed ?? 0 };
}
