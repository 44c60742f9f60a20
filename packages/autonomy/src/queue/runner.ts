import { EventEmitter } from 'node:events';
import { openNotificationFeed, type DatabaseNotification, type NotificationFeed, type Pool } from '@gomomo/core';
import { parseCronItems, run, type CronItem, type JobHelpers, type Runner, type TaskList, type WorkerEvents, type WorkerPool } from 'graphile-worker';
import { startHeartbeat } from './heartbeat.js';
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
  /** Between heartbeats; default a third of the job timeout (at most 10 s). */
  heartbeatMs?: number | undefined;
  /**
   * Recurring jobs (graphile-worker cron: each period's job is added once across all processes, by
   * its `identifier`). Default none; never read from a `crontab` file in the working directory.
   */
  cron?: CronItem[] | undefined;
  /** How often idle workers look for due jobs without being woken (default 2000 ms). */
  pollIntervalMs?: number | undefined;
  /** Leave SIGINT/SIGTERM to the host (the API process owns its signals). */
  noHandleSignals?: boolean | undefined;
  /**
   * This process's shared LISTEN connection (the API's event hub): the workers are woken from it,
   * with no LISTEN connection of the runner's own (issue 15). Default: a connection of its own.
   * graphile-worker keeps its own LISTEN for jobs added through `add_job`.
   */
  notifications?: NotificationFeed | undefined;
  log?: ((line: string) => void) | undefined;
}

/**
 * The time limit. A handler past it fails its attempt, but its job stays locked until the handler
 * has actually finished: JavaScript cannot stop it, and letting the retry start meanwhile would run
 * the job twice at once. The attempt then fails with the timeout, and is retried with backoff.
 */
async function withTimeout<T>(promise: Promise<T>, input: { ms: number; label: string; log?: ((line: string) => void) | undefined }): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = Symbol('timeout');
  const timeout = new Promise<typeof timedOut>((resolve) => {
    timer = setTimeout(() => resolve(timedOut), input.ms);
  });
  try {
    const first = await Promise.race([promise, timeout]);
    if (first !== timedOut) return first;
  } finally {
    clearTimeout(timer);
  }
  input.log?.(`[worker] ${input.label} ran longer than ${input.ms} ms; its job stays locked until it finishes`);
  await promise.catch(() => undefined);
  throw new AutonomyError('TIMEOUT', `${input.label} ran longer than ${input.ms} ms`);
}

/** Wraps each handler with the time limit: graphile-worker has none of its own. */
function wrapTasks(options: JobRunnerOptions): TaskList {
  const list: TaskList = {};
  for (const [name, handler] of Object.entries(options.tasks)) {
    list[name] = async (payload, helpers) => {
      await withTimeout(handler(isRecord(payload) ? payload : {}, helpers), { ms: options.jobTimeoutMs, label: `Job ${name} #${helpers.job.id}`, log: options.log });
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

/** Every minute: connected calendars' busy time is refreshed when older than its staleness bound (issue 18). */
export const calendarBusyCron: CronItem = {
  task: 'calendar_busy_refresh',
  match: '* * * * *',
  identifier: 'gomomo_calendar_busy_refresh',
  options: { backfillPeriod: 0, maxAttempts: 1, jobKey: 'calendar_busy_refresh', jobKeyMode: 'replace' },
};

const clientsGuarded = new WeakSet<Pool>();

/**
 * Wakes the workers when events commit. Their jobs are enqueued in the event's transaction without
 * graphile-worker's own NOTIFY (migration 0054: one notification per transaction, core's
 * `gomomo_events`), so this listener stands in for graphile-worker's 'jobs:insert' one. A lost
 * connection is reopened after a second; meanwhile the 2 s poll finds the jobs.
 */
function wakeOnEvents(input: { pool: Pool; notifications?: NotificationFeed | undefined; nudge: (count: number) => void; log?: ((line: string) => void) | undefined }): { ready: Promise<void>; stop(): Promise<void> } {
  const onNotification = (message: DatabaseNotification): void => {
    // A shared feed carries other channels too (the outbox's, a conversation's typing).
    if (message.channel !== 'gomomo_events') return;
    const payload = message.payload ?? '';
    // '<tenant>:<id>;…' names one job per event; '*' (too many to list) wakes every worker.
    input.nudge(payload === '*' || payload.startsWith('*;') ? Number.POSITIVE_INFINITY : payload.split(';').filter((part) => part.includes(':')).length);
  };
  const own = input.notifications ? undefined : openNotificationFeed(input.pool, { channels: ['gomomo_events'], onError: (error) => input.log?.(`[worker] event listener: ${error instanceof Error ? error.message : String(error)}`) });
  const unsubscribe = (input.notifications ?? own!).subscribe(onNotification);
  return {
    // Resolves once listening (or once the first attempt failed: the poll covers until it is back).
    ready: own?.ready ?? Promise.resolve(),
    async stop() {
      unsubscribe();
      await own?.close();
    },
  };
}

/**
 * Starts graphile-worker on our pool: woken by LISTEN/NOTIFY when a job is added, jobs claimed with
 * SKIP LOCKED so two processes never run one job twice, retries with exponential backoff. The
 * process heartbeats (see heartbeat.ts), so the jobs of a runner that died are released within two
 * job timeouts.
 */
export async function startJobRunner(options: JobRunnerOptions): Promise<Runner> {
  // A checked-out client losing its connection must fail its job, not crash the process.
  if (!clientsGuarded.has(options.pool)) {
    clientsGuarded.add(options.pool);
    options.pool.on('connect', (client) => client.on('error', (error) => options.log?.(`[worker] connection error: ${error.message}`)));
  }
  // The ids job locks carry (graphile-worker 0.17 locks under the pool's id, and the workers'), as
  // graphile-worker creates them; and the pool, to wake its workers after a release.
  const workerIds = new Set<string>();
  const pools: WorkerPool[] = [];
  const events: WorkerEvents = new EventEmitter();
  events.on('pool:create', ({ workerPool }) => {
    workerIds.add(workerPool.id);
    pools.push(workerPool);
  });
  events.on('worker:create', ({ worker }) => workerIds.add(worker.workerId));
  const runner = await run({
    pgPool: options.pool,
    events,
    concurrency: options.concurrency,
    // Issue 15: one query fetches (and locks) up to a batch of due jobs for all of this process's
    // workers, instead of one query per job, and the jobs finished within 10 ms of each other are
    // deleted in one statement (in a burst, one delete per several jobs instead of one each). A job
    // is done once its own transaction committed; its row only waits to be deleted. Jobs a process
    // locked and never deleted are released by the heartbeat (it knows the pool's lock id) if the
    // process dies, and run again find their event's receipt and stop.
    preset: { worker: { localQueue: { size: options.concurrency + 1 }, completeJobBatchDelay: 10, failJobBatchDelay: 0 } },
    noHandleSignals: options.noHandleSignals ?? true,
    pollInterval: options.pollIntervalMs ?? 2000,
    taskList: wrapTasks(options),
    parsedCronItems: parseCronItems(options.cron ?? []),
    logger: quietLogger(options.log),
  });
  // graphile-worker emits job:failed for every job on its last attempt — a handler that threw or
  // timed out, and also a task nobody serves — so every one gets a dead letter.
  runner.events.on('job:failed', ({ job, error }) => {
    recordDeadLetter(options.pool, { job, error }).catch((inner: unknown) => options.log?.(`[worker] dead letter for job ${job.id} not recorded: ${String(inner)}`));
  });
  const heartbeat = startHeartbeat({ pool: options.pool, workerIds: () => [...workerIds], nudge: () => pools.forEach((p) => p.nudge(options.concurrency)), jobTimeoutMs: options.jobTimeoutMs, intervalMs: options.heartbeatMs, log: options.log });
  const wake = wakeOnEvents({
    pool: options.pool,
    notifications: options.notifications,
    nudge: (count) => {
      if (count > 0) pools.forEach((p) => p.nudge(Math.min(count, options.concurrency)));
    },
    log: options.log,
  });
  await wake.ready;
  // At once: jobs left locked by a process that died before this one started are released now.
  await heartbeat.beat().catch((error: unknown) => options.log?.(`[worker] first heartbeat failed: ${String(error)}`));
  const stop = runner.stop.bind(runner);
  runner.stop = async () => {
    await wake.stop();
    await stop();
    await heartbeat.stop();
  };
  return runner;
}
