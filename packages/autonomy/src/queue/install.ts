import type { Pool } from '@gomomo/core';
import { Logger, runMigrations } from 'graphile-worker';

/**
 * Installs or upgrades graphile-worker's own schema (its migrator, under its own lock). From then
 * on, the domain_events trigger (migrations 0050, 0054) enqueues a job in the event's transaction,
 * without a NOTIFY of its own: the runner wakes on the event's notification (runner.ts).
 */
export async function installQueue(pool: Pool): Promise<void> {
  await runMigrations({ pgPool: pool, logger: quietLogger() });
}

/**
 * Enqueues events written before the queue's schema existed (or while it was being installed):
 * every event in the window that some handler acts on (migration 0180), without a receipt and
 * without a pending job. Handlers are idempotent,
 * so an event enqueued twice is still handled once.
 */
export async function catchUpEvents(pool: Pool, input: { since: Date }): Promise<number> {
  const { rows } = await pool.query<{ count: number }>(
    `WITH missing AS (
       SELECT e.id, e.tenant_id FROM domain_events e
        WHERE e.created_at >= $1
          AND gomomo_event_needs_job(e.type)
          AND NOT EXISTS (SELECT 1 FROM autonomy_event_receipts r WHERE r.event_id = e.id)
          AND NOT EXISTS (SELECT 1 FROM graphile_worker._private_jobs j WHERE j.key = 'domain_event:' || e.id)
        ORDER BY e.id)
     SELECT count(graphile_worker.add_job('domain_event', json_build_object('id', id, 'tenantId', tenant_id),
                                          job_key => 'domain_event:' || id, job_key_mode => 'unsafe_dedupe', max_attempts => 8))::int AS count
       FROM missing`,
    [input.since],
  );
  return rows[0]?.count ?? 0;
}

/** graphile-worker logs every job at info level; we keep warnings and errors only. */
export function quietLogger(sink: (line: string) => void = (line) => console.error(line)): Logger {
  return new Logger(() => (level, message) => {
    if (level === 'error' || level === 'warning') sink(`[worker:${level}] ${message}`);
  });
}
