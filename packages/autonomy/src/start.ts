import { createOutboxSender, createTransports, type OutboxSenderOptions, type Transports } from '@gomomo/channels';
import { openNotificationFeed, systemClock, type BookingEngine, type Clock, type NotificationFeed, type Pool } from '@gomomo/core';
import { databaseCalendarProvider, type CalendarProvider } from './calendar/provider.js';
import { defaultAutonomyConfig, type AutonomyConfig } from './config.js';
import { createTasks, type TaskHooks } from './handlers/tasks.js';
import { createPolicyEngine, type Authorizer } from '@gomomo/policy';
import { createAutonomyGate } from './policy/gate.js';
import { catchUpEvents, installQueue } from './queue/install.js';
import { calendarBusyCron, holdSweepCron, startJobRunner } from './queue/runner.js';
import type { OfferLinkIssuer, ToolContext } from './tools/context.js';

export interface StartAutonomyOptions {
  pool: Pool;
  /**
   * A direct, session-mode pool (DATABASE_LISTEN_URL) for what cannot run through a transaction
   * pooler: the job queue (graphile-worker LISTENs for new jobs on its own connections) and the
   * outbox sender's LISTEN. Default: `pool`.
   */
  listenPool?: Pool | undefined;
  /**
   * The host's shared LISTEN connection (the API's event hub, `EventHub.notifications`): the job
   * runner and the outbox sender wake on it instead of each holding a LISTEN connection (issue 15:
   * Postgres wakes every listening connection on every NOTIFY). Default: one LISTEN connection of
   * its own, which the two share.
   */
  notifications?: NotificationFeed | undefined;
  config?: Partial<AutonomyConfig> | undefined;
  clock?: Clock | undefined;
  /** Default: built from `config.delivery` (the log transport when nothing is configured). */
  transports?: Transports | undefined;
  calendar?: CalendarProvider | undefined;
  /** Lets offer_waitlist_slot take holds. */
  engine?: BookingEngine | undefined;
  /** Lets waitlist offers carry a link that opens the widget on the held slot (the agent's `issueOfferLink`). */
  issueOfferLink?: OfferLinkIssuer | undefined;
  /**
   * The policy engine every tool call is authorised by and audited in (`evaluate` + `audit`, e.g. the
   * API's own `createPolicyEngine(...)`, so kill switches set there apply at once). Default: a new
   * engine on `pool` with `clock`.
   */
  policy?: Authorizer | undefined;
  /** Outbox sender tuning (batch size, timeouts, retry delays). */
  sender?: Partial<Omit<OutboxSenderOptions, 'pool' | 'transports' | 'clock'>> | undefined;
  /** The host owns SIGINT/SIGTERM (default true: the API process decides when to stop). */
  noHandleSignals?: boolean | undefined;
  hooks?: TaskHooks | undefined;
  log?: ((line: string) => void) | undefined;
}

export interface AutonomyHandle {
  /** Graceful: running jobs and the sender's batch in flight finish, then everything lets go. */
  stop(): Promise<void>;
}

/**
 * Starts the autonomous side in this process: installs the job queue's schema, enqueues events
 * that arrived before it, runs the job runner and the outbox sender. The API calls this at start
 * (in-API mode); `gomomo-worker` calls it in a process of its own.
 */
export async function startAutonomy(options: StartAutonomyOptions): Promise<AutonomyHandle> {
  const config: AutonomyConfig = { ...defaultAutonomyConfig, ...options.config };
  const clock = options.clock ?? systemClock;
  const log = options.log ?? ((line: string) => console.error(line));
  const transports = options.transports ?? createTransports(config.delivery);
  const ctx: ToolContext = {
    pool: options.pool,
    clock,
    config,
    gate: createAutonomyGate({ enabled: config.enabled, policy: options.policy ?? createPolicyEngine({ pool: options.pool, clock }) }),
    calendar: options.calendar ?? databaseCalendarProvider,
    engine: options.engine,
    issueOfferLink: options.issueOfferLink,
    // A separate session-mode pool for LISTEN says `pool` may go through a transaction pooler.
    isPoolDirect: options.listenPool === undefined || options.listenPool === options.pool,
  };
  const queuePool = options.listenPool ?? options.pool;
  await installQueue(queuePool);
  const caughtUp = await catchUpEvents(options.pool, { since: new Date(clock.now().getTime() - config.catchUpWindowMs) });
  if (caughtUp > 0) log(`[autonomy] enqueued ${caughtUp} events written before the queue was installed`);
  // The runner and the sender wake on one LISTEN connection: the host's, or one of ours.
  const ownFeed = options.notifications ? undefined : openNotificationFeed(queuePool, { channels: ['gomomo_events', 'gomomo_outbox'], onError: (error) => log(`[autonomy] listener: ${String(error)}`) });
  const notifications = options.notifications ?? ownFeed;
  await ownFeed?.ready;
  let runner: Awaited<ReturnType<typeof startJobRunner>>;
  try {
    runner = await startJobRunner({
      pool: queuePool,
      tasks: createTasks(ctx, options.hooks),
      concurrency: config.concurrency,
      jobTimeoutMs: config.jobTimeoutMs,
      notifications,
      cron: [...(config.sweepHolds ? [holdSweepCron] : []), ...(options.calendar?.refreshBusy ? [calendarBusyCron] : [])],
      noHandleSignals: options.noHandleSignals ?? true,
      log,
    });
  } catch (error) {
    await ownFeed?.close();
    throw error;
  }
  const sender = config.runSender
    ? createOutboxSender({ pool: options.pool, listenPool: options.listenPool, notifications, transports, clock, smsRateLimit: config.smsRateLimit, onError: (error) => log(`[outbox] ${String(error)}`), ...options.sender }).start()
    : null;
  return {
    async stop() {
      await Promise.all([runner.stop(), sender?.stop()]);
      await ownFeed?.close();
    },
  };
}
