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

/**
 * Enqueues several jobs in one statement, inside the caller's transaction: graphile-worker's
 * `add_jobs`, so one call (one task/queue upsert, one 'jobs:insert' NOTIFY) for all of them rather
 * than one `add_job` each (issue 15). A job whose key is already queued is replaced, as `addJob`'s
 * default `replace` mode does.
 */
export async function addJobs(client: Queryable, jobs: Omit<AddJobOptions, 'jobKeyMode'>[]): Promise<void> {
  if (jobs.length === 0) return;
  const specs = jobs.map((job) => ({
    task: job.task,
    payload: job.payload,
    queue_name: job.queueName ?? null,
    run_at: job.runAt?.toISOString() ?? null,
    max_attempts: job.maxAttempts ?? null,
    job_key: job.jobKey ?? null,
  }));
  await client.query(
    `SELECT count(*) FROM graphile_worker.add_jobs(
       ARRAY(SELECT (j.task, j.payload, j.queue_name, j.run_at, j.max_attempts::smallint, j.job_key, NULL::smallint, NULL::text[])::graphile_worker.job_spec
               FROM json_to_recordset($1::json) AS j (task text, payload json, queue_name text, run_at timestamptz, max_attempts integer, job_key text)),
       false)`,
    [JSON.stringify(specs)],
  );
}

/** Removes a pending job by key (a no-op when it ran already or never existed). */
export async function removeJob(client: Queryable, jobKey: string): Promise<void> {
  await client.query('SELECT graphile_worker.remove_job($1)', [jobKey]);
}
