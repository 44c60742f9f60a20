import { availableParallelism } from 'node:os';
import { deliveryConfigFromEnv, type DeliveryConfig, type SmsRateLimit } from '@gomomo/channels';
import { AutonomyError } from './errors.js';

export interface AutonomyConfig {
  /** AUTONOMY_ENABLED (default true): false stops every autonomous action (events are still receipted). */
  enabled: boolean;
  /** Jobs run at once per process (default 8). */
  concurrency: number;
  /**
   * Of those, jobs that only work in the database (domain events, reminders, follow-ups, offer
   * lapses, the hold sweep) run at most this many at once (default: the machine's cores, at least
   * 2). Beyond that they only take CPU from the customers' requests: on two cores, eight at once
   * cut bookings per second without finishing the work sooner, and four at once (twice the cores,
   * the default until then) still booked fewer per second than two and used more CPU per booking,
   * their jobs queueing on the tenant's audit chain lock (issue 15). Calendar jobs (network) are
   * not counted.
   */
  databaseConcurrency?: number | undefined;
  /** A job running longer than this fails and is retried (default 30 s). */
  jobTimeoutMs: number;
  /** Attempts before a job lands in the dead letters (default 8; graphile-worker backs off exp(attempt) s). */
  maxAttempts: number;
  /** Reminders before the start, e.g. 24 h and 2 h. Past ones are skipped. */
  reminderOffsetsMs: number[];
  /** An expired hold's follow-up waits this long (default 30 min). */
  holdFollowupCooldownMs: number;
  /** Calendar sync retry delays; after the last failure, staff are escalated (30 s, 120 s, 480 s). */
  calendarRetryDelaysMs: number[];
  /** Whether this process also runs the outbox sender (default true). */
  runSender: boolean;
  delivery: DeliveryConfig;
  smsRateLimit?: SmsRateLimit | undefined;
  /** Events at most this old without a receipt are enqueued at start (default 24 h). */
  catchUpWindowMs: number;
  /** HOLD_SWEEP (default true): expire lapsed holds every minute (graphile-worker cron, once across processes). */
  sweepHolds: boolean;
}

export const defaultAutonomyConfig: AutonomyConfig & { databaseConcurrency: number } = {
  enabled: true,
  concurrency: 8,
  // The machine's cores (at least 2): Postgres, on the same machine, does the other half of each job's work.
  databaseConcurrency: Math.max(2, availableParallelism()),
  jobTimeoutMs: 30_000,
  maxAttempts: 8,
  reminderOffsetsMs: [24 * 3_600_000, 2 * 3_600_000],
  holdFollowupCooldownMs: 30 * 60_000,
  calendarRetryDelaysMs: [30_000, 120_000, 480_000],
  runSender: true,
  delivery: {},
  catchUpWindowMs: 24 * 3_600_000,
  sweepHolds: true,
};

function parseBoolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new AutonomyError('VALIDATION', `${name} must be true or false, got ${JSON.stringify(value)}`, { field: name });
}

function parsePositive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new AutonomyError('VALIDATION', `${name} must be a positive integer, got ${JSON.stringify(value)}`, { field: name });
  return number;
}

/** Reads AUTONOMY_ENABLED, WORKER_CONCURRENCY, WORKER_DATABASE_CONCURRENCY, JOB_TIMEOUT_MS, OUTBOX_SENDER, HOLD_SWEEP and the delivery variables. */
export function autonomyConfigFromEnv(env: Record<string, string | undefined>): AutonomyConfig {
  return {
    ...defaultAutonomyConfig,
    enabled: parseBoolean('AUTONOMY_ENABLED', env.AUTONOMY_ENABLED, true),
    concurrency: parsePositive('WORKER_CONCURRENCY', env.WORKER_CONCURRENCY, defaultAutonomyConfig.concurrency),
    databaseConcurrency: parsePositive('WORKER_DATABASE_CONCURRENCY', env.WORKER_DATABASE_CONCURRENCY, defaultAutonomyConfig.databaseConcurrency),
    jobTimeoutMs: parsePositive('JOB_TIMEOUT_MS', env.JOB_TIMEOUT_MS, defaultAutonomyConfig.jobTimeoutMs),
    runSender: parseBoolean('OUTBOX_SENDER', env.OUTBOX_SENDER, true),
    sweepHolds: parseBoolean('HOLD_SWEEP', env.HOLD_SWEEP, true),
    delivery: deliveryConfigFromEnv(env),
  };
}
