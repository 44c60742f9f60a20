import { findTenantId, sqlState, type Pool } from '@gomomo/core';
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
 * tenant is resolved from `payload.tenantId` and left NULL when it is missing, not a UUID or
 * no longer exists (migration 0051), so the record itself can never fail on a bad payload.
 */
export async function recordDeadLetter(pool: Pool, input: { job: Job; error: unknown }): Promise<void> {
  const { job, error } = input;
  const payload = job.payload === undefined ? null : job.payload;
  const tenantId = payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>).tenantId : undefined;
  // The tenant is resolved through core; one deleted between that read and the insert fails the
  // foreign key, and the record is written without it rather than lost.
  const resolved = typeof tenantId === 'string' ? await findTenantId(pool, tenantId) : null;
  const insert = (tenant: string | null) =>
    pool.query(
      `INSERT INTO job_dead_letters (tenant_id, task, job_id, job_key, payload, attempts, last_error) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)`,
      [tenant, job.task_identifier, Number(job.id), job.key ?? null, JSON.stringify(payload), job.attempts, errorText(error).slice(0, 2000)],
    );
  try {
    await insert(resolved);
  } catch (cause) {
    if (resolved === null || sqlState(cause) !== '23503') throw cause;
    await insert(null);
  }
}
