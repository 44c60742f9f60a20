import type { Pool } from '@gomomo/core';
import { run, type JobHelpers, type Runner, type TaskList } from 'graphile-worker';
import { AutonomyError } from '../errors.js';
import { quietLogger } from './install.js';

/** A job handler: payload in, nothing out; throwing fails the attempt (retried with backoff). */
export type TaskHandler = (payload: Record<string, unknown>, helpers: JobHelpers) => Promise<void>;

export interface JobRunnerOptions {
  pool: Pool;
  tasks: Record<string, TaskHandler>;
  /** Jobs at once in this process. */
  concurrency: number;
  /** Per-job time limit: graphile-worker has none of its own. */
  jobTimeoutMs: number;
  /** Leave SIGINT/SIGTERM to the host (the API process owns its signals). */
  noHandleSignals?: boolean | undefined;
  log?: ((line: string) => void) | undefined;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AutonomyError('TIMEOUT', `${label} ran longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Records a job that failed its last attempt where staff can see it, with its tenant and error. */
async function recordDeadLetter(pool: Pool, helpers: JobHelpers, error: unknown): Promise<void> {
  const payload = (helpers.job.payload ?? {}) as Record<string, unknown>;
  const tenantId = typeof payload.tenantId === 'string' ? payload.tenantId : null;
  if (!tenantId) return;
  await pool.query(
    `INSERT INTO job_dead_letters (tenant_id, task, job_id, payload, attempts, last_error) VALUES ($1, $2, $3, $4, $5, $6)`,
    [tenantId, helpers.job.task_identifier, Number(helpers.job.id), JSON.stringify(payload), helpers.job.attempts, String((error as Error)?.message ?? error).slice(0, 2000)],
  );
}

/** Wraps each handler with the time limit and the dead letter on the final attempt. */
function wrapTasks(options: JobRunnerOptions): TaskList {
  const list: TaskList = {};
  for (const [name, handler] of Object.entries(options.tasks)) {
    list[name] = async (payload, helpers) => {
      try {
        await withTimeout(handler((payload ?? {}) as Record<string, unknown>, helpers), options.jobTimeoutMs, `Job ${name} #${helpers.job.id}`);
      } catch (error) {
        // graphile-worker counts the attempt before running it, so attempts === max_attempts is the last.
        if (helpers.job.attempts >= helpers.job.max_attempts) {
          await recordDeadLetter(options.pool, helpers, error).catch((inner: unknown) => options.log?.(`dead letter failed: ${String(inner)}`));
        }
        throw error;
      }
    };
  }
  return list;
}

const clientsGuarded = new WeakSet<Pool>();

/**
 * Starts graphile-worker on our pool: woken by LISTEN/NOTIFY when a job is added, jobs claimed with
 * SKIP LOCKED so two processes never run one job twice, retries with exponential backoff.
 */
export async function startJobRunner(options: JobRunnerOptions): Promise<Runner> {
  // A checked-out client losing its connection must fail its job, not crash the process.
  if (!clientsGuarded.has(options.pool)) {
    clientsGuarded.add(options.pool);
    options.pool.on('connect', (client) => client.on('error', (error) => options.log?.(`[worker] connection error: ${error.message}`)));
  }
  return run({
    pgPool: options.pool,
    concurrency: options.concurrency,
    noHandleSignals: options.noHandleSignals ?? true,
    pollInterval: 2000,
    taskList: wrapTasks(options),
    logger: quietLogger(options.log),
  });
}
