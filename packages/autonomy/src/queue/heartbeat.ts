import { randomUUID } from 'node:crypto';
import type { Pool } from '@gomomo/core';

export interface HeartbeatOptions {
  pool: Pool;
  /** The ids this process's graphile-worker pool and workers lock jobs under. */
  workerIds: () => string[];
  /** Wakes this process's idle workers after jobs were released (graphile-worker sends no NOTIFY then). */
  nudge?: (() => void) | undefined;
  /** The per-job time limit: a process silent for this long is taken for dead. */
  jobTimeoutMs: number;
  /** Between beats; default a third of the job timeout (at most 10 s). */
  intervalMs?: number | undefined;
  log?: ((line: string) => void) | undefined;
}

export interface Heartbeat {
  /** This process's row id. */
  readonly processId: string;
  /** Beats and releases the jobs of dead workers now; resolves to how many workers were unlocked. */
  beat(): Promise<number>;
  /** Stops beating and removes this process's row (its jobs were finished or released by the runner). */
  stop(): Promise<void>;
}

// One statement: beat, forget processes silent for longer than the timeout, and name every worker
// that holds a job (or a queue) locked for longer than the timeout without belonging to a process
// that beat within it. Database time throughout, so processes on machines with skewed clocks agree.
// A job that timed out but is still running in a live process keeps its lock: it never runs twice.
const beatSql = `
WITH beat AS (
  INSERT INTO autonomy_workers AS w (id, worker_ids, beat_at) VALUES ($1, $2, now())
  ON CONFLICT (id) DO UPDATE SET worker_ids = EXCLUDED.worker_ids, beat_at = now()
), forgotten AS (
  DELETE FROM autonomy_workers WHERE id <> $1 AND beat_at < now() - make_interval(secs => $3::double precision / 1000)
), live AS (
  SELECT unnest(worker_ids) AS worker_id FROM autonomy_workers WHERE id <> $1 AND beat_at >= now() - make_interval(secs => $3::double precision / 1000)
  UNION ALL SELECT unnest($2::text[])
), locked AS (
  SELECT locked_by FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL AND locked_at < now() - make_interval(secs => $3::double precision / 1000)
  UNION SELECT locked_by FROM graphile_worker._private_job_queues WHERE locked_by IS NOT NULL AND locked_at < now() - make_interval(secs => $3::double precision / 1000)
)
SELECT coalesce(array_agg(DISTINCT locked_by), '{}') AS dead FROM locked WHERE locked_by NOT IN (SELECT worker_id FROM live)`;

/**
 * Crash recovery in seconds: graphile-worker 0.17 unlocks a crashed worker's jobs only after four
 * hours. Every runner beats in `autonomy_workers`; any live runner releases (with graphile-worker's
 * own `force_unlock_workers`) the jobs of workers whose process stopped beating. A dead process's
 * jobs are free within timeout + interval ≤ 2 × the job timeout of its last beat.
 */
export function startHeartbeat(options: HeartbeatOptions): Heartbeat {
  const processId = `runner-${randomUUID()}`;
  const intervalMs = options.intervalMs ?? Math.min(10_000, Math.max(250, Math.floor(options.jobTimeoutMs / 3)));
  let running: Promise<number> | null = null;
  let isStopped = false;

  async function beatOnce(): Promise<number> {
    const { rows } = await options.pool.query<{ dead: string[] }>(beatSql, [processId, options.workerIds(), options.jobTimeoutMs]);
    const dead = rows[0]?.dead ?? [];
    if (dead.length === 0) return 0;
    await options.pool.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [dead]);
    options.nudge?.();
    options.log?.(`[worker] released the jobs of ${dead.length} worker(s) that stopped beating`);
    return dead.length;
  }

  function beat(): Promise<number> {
    // One beat at a time: a slow database must not pile them up.
    running ??= beatOnce().finally(() => (running = null));
    return running;
  }

  const timer = setInterval(() => {
    if (!isStopped) beat().catch((error: unknown) => options.log?.(`[worker] heartbeat failed: ${String(error)}`));
  }, intervalMs);
  timer.unref();

  return {
    processId,
    beat,
    async stop() {
      isStopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
      await options.pool.query('DELETE FROM autonomy_workers WHERE id = $1', [processId]).catch(() => undefined);
    },
  };
}
