import type { Pool } from '@gomomo/core';
import type { Job } from 'graphile-worker';

function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/**
 * Records a job that failed its last attempt where staff can see it, whatever its payload: the
 * tenant is resolved in SQL from `payload.tenantId` and left NULL when it is missing, not a UUID or
 * no longer exists (migration 0051), so the record itself can never fail on a bad payload.
 */
export async function recordDeadLetter(pool: Pool, input: { job: Job; error: unknown }): Promise<void> {
  const { job, error } = input;
  const payload = job.payload === undefined ? null : job.payload;
  const tenantId = payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>).tenantId : undefined;
  await pool.query(
    `INSERT INTO job_dead_letters (tenant_id, task, job_id, job_key, payload, attempts, last_error)
     VALUES ((SELECT id FROM tenants WHERE id::text = lower($1::text)), $2, $3, $4, $5::jsonb, $6, $7)`,
    [
      typeof tenantId === 'string' ? tenantId : null,
      job.task_identifier,
      Number(job.id),
      job.key ?? null,
      JSON.stringify(payload),
      job.attempts,
      errorText(error).slice(0, 2000),
    ],
  );
}
