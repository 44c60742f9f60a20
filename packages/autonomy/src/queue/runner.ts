import type { Pool } from '@gomomo/core';
import { parseCronItems, run, type CronItem, type JobHelpers, type Runner, type TaskList } from 'graphile-worker';
import { recordDeadLetter } from './dead-letter.js';
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
  /**
   * Recurring jobs (graphile-worker cron: each period's job is added once across all processes, by
   * its `identifier`). Default none; never read from a `crontab` file in the working directory.
   */
  cron?: CronItem[] | undefined;
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

/** Wraps each handler with the time limit: graphile-worker has none of its own. */
function wrapTasks(options: JobRunnerOptions): TaskList {
  const list: TaskList = {};
  for (const [name, handler] of Object.entries(options.tasks)) {
    list[name] = async (payload, helpers) => {
      await withTimeout(handler(isRecord(payload) ? payload : {}, helpers), options.jobTimeoutMs, `Job ${name} #${helpers.job.id}`);
    };
  }
  return list;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The hold sweep: every minute, so a hold lapses at most a minute late. No backfill (a missed minute
 * is covered by the next, which sweeps everything lapsed so far), one attempt (the next minute is the
 * retry), and one job key so a slow sweep never piles up behind itself.
 */
export const holdSweepCron: CronItem = {
  task: 'expire_holds',
  match: '* * * * *',
  identifier: 'gomomo_expire_holds',
  options: { backfillPeriod: 0, maxAttempts: 1, jobKey: 'expire_holds', jobKeyMode: 'replace' },
};

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
  const runner = await run({
    pgPool: options.pool,
    concurrency: options.concurrency,
    noHandleSignals: options.noHandleSignals ?? true,
    pollInterval: 2000,
    taskList: wrapTasks(options),
    parsedCronItems: parseCronItems(options.cron ?? []),
    logger: quietLogger(options.log),
  });
  // graphile-worker emits job:failed for every job on its last attempt — a handler that threw or
  // timed out, and also a task nobody serves — so every one gets a dead letter.
  runner.events.on('job:failed', ({ job, error }) => {
    recordDeadLetter(options.pool, { job, error }).catch((inner: unknown) => options.log?.(`[worker] dead letter for job ${job.id} not recorded: ${String(inner)}`));
  });
  return runner;
}
