import type { PoolClient } from '@gomomo/core';

export interface AddJobOptions {
  task: string;
  payload: Record<string, unknown>;
  runAt?: Date | undefined;
  /** A job with the same key is replaced (e.g. a reminder moved by a reschedule). */
  jobKey?: string | undefined;
  jobKeyMode?: 'replace' | 'preserve_run_at' | 'unsafe_dedupe' | undefined;
  maxAttempts?: number | undefined;
  /** Jobs in one named queue run one at a time, in order. */
  queueName?: string | undefined;
}

type Queryable = Pick<PoolClient, 'query'>;

/** Enqueues a graphile-worker job inside the caller's transaction: it exists only if that commits. */
export async function addJob(client: Queryable, options: AddJobOptions): Promise<void> {
  await client.query(
    `SELECT graphile_worker.add_job($1, $2::json, queue_name => $3, run_at => $4, max_attempts => $5, job_key => $6, job_key_mode => $7)`,
    [options.task, JSON.stringify(options.payload), options.queueName ?? null, options.runAt ?? null, options.maxAttempts ?? null, options.jobKey ?? null, options.jobKeyMode ?? 'replace'],
  );
}

/** One job as migration 0181's `gomomo_add_jobs_quietly` takes it. */
export interface QuietJob {
  task: string;
  payload: Record<string, unknown>;
  run_at: string | null;
  max_attempts: number | null;
  job_key: string | null;
}

function quietJobOf(job: Omit<AddJobOptions, 'jobKeyMode'>): QuietJob {
  return { task: job.task, payload: job.payload, run_at: job.runAt?.toISOString() ?? null, max_attempts: job.maxAttempts ?? null, job_key: job.jobKey ?? null };
}

/**
 * Enqueues several jobs in one statement, inside the caller's transaction, with `addJob`'s default
 * `replace` mode for a job key. Migration 0181's `gomomo_add_jobs_quietly` writes what
 * graphile-worker's `add_jobs` writes, but sends its 'jobs:insert' NOTIFY only when a job is
 * already due: a booking's reminders wake nobody, and its transaction keeps one notification
 * (issue 15).
 */
export async function addJobs(client: Queryable, jobs: Omit<AddJobOptions, 'jobKeyMode'>[]): Promise<void> {
  if (jobs.length === 0) return;
  // A named queue needs graphile-worker's own queue bookkeeping.
  if (jobs.some((job) => job.queueName !== undefined)) {
    for (const job of jobs) await addJob(client, job);
    return;
  }
  await client.query({ name: 'autonomy_add_jobs_quietly', text: 'SELECT gomomo_add_jobs_quietly($1::jsonb)', values: [JSON.stringify(jobs.map(quietJobOf))] });
}

/**
 * The jobs a tool call queued and the job keys it withdrew, both written by the statement that
 * closes its transaction (`closeToolWork`), not in round trips of their own (issue 15). That
 * statement withdraws first, then queues, which is what doing each at once, in order, would leave:
 * a job queued then withdrawn is dropped from `queued` here, and one withdrawn then queued again
 * replaces the job written before.
 */
export interface PendingJobs {
  queued: QuietJob[];
  /** Keys of jobs to remove (graphile-worker's `remove_job`: a no-op for a key that ran already or never existed). */
  withdrawn: string[];
}

/** Queues jobs as `addJobs` does, written when the call's transaction closes. */
export function queueJobs(pending: PendingJobs, jobs: Omit<AddJobOptions, 'jobKeyMode' | 'queueName'>[]): void {
  pending.queued.push(...jobs.map(quietJobOf));
}

/** Withdraws jobs by key when the call's transaction closes; those still queued in the call are never written. */
export function withdrawJobs(pending: PendingJobs, jobKeys: string[]): void {
  if (jobKeys.length === 0) return;
  const keys = new Set(jobKeys);
  pending.queued.splice(0, pending.queued.length, ...pending.queued.filter((job) => job.job_key === null || !keys.has(job.job_key)));
  pending.withdrawn.push(...jobKeys);
}
