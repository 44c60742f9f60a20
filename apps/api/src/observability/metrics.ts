import { timingSafeEqual } from 'node:crypto';
import type { BookingEngine, Pool } from '@gomomo/core';
import type { Receptionist, TurnResult } from '@gomomo/server';
import { readOutboxHealth, type OutboxHealth } from '@gomomo/channels';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The process's Prometheus registry and the instruments the app feeds. */
export interface AppMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  requestSeconds: Histogram<'method' | 'route'>;
  bookings: Counter<'action'>;
  holds: Counter<'outcome'>;
  turns: Counter<'brain' | 'outcome'>;
}

/**
 * Creates the registry. The database-wide figures (outbox by status, queue depth and age, failed
 * jobs) are read at scrape time, so every instance reports the same values for them:
 * aggregate those with max(), not sum(). The counters are per process: sum() them.
 */
export function createAppMetrics(options: { pool: Pool }): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gomomo_process_' });
  const { pool } = options;
  let outbox: OutboxHealth = { byStatus: {}, oldestDueSeconds: 0, permanentlyFailed: 0 };
  new Gauge({
    name: 'gomomo_outbox_messages',
    help: 'Outbox messages by status (database-wide).',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      outbox = await readOutboxHealth(pool);
      this.reset();
      for (const [status, n] of Object.entries(outbox.byStatus)) this.set({ status }, n);
    },
  });
  new Gauge({ name: 'gomomo_outbox_oldest_pending_seconds', help: 'Age of the oldest due outbox message not yet sent (0 when none).', registers: [registry], collect() { this.set(outbox.oldestDueSeconds); } });
  const queue = { due: 0, locked: 0, age: 0, failed: 0, retrying: 0 };
  const readQueue = async () => Object.assign(queue, await readQueueHealth(pool));
  new Gauge({ name: 'gomomo_queue_jobs_due', help: 'Jobs due and not locked (graphile-worker).', registers: [registry], async collect() { await readQueue(); this.set(queue.due); } });
  new Gauge({ name: 'gomomo_queue_jobs_locked', help: 'Jobs locked by a worker right now.', registers: [registry], collect() { this.set(queue.locked); } });
  new Gauge({ name: 'gomomo_queue_oldest_due_seconds', help: 'How long the oldest due job has waited (0 when none).', registers: [registry], collect() { this.set(queue.age); } });
  new Gauge({ name: 'gomomo_jobs_failed', help: 'Jobs that used up their attempts (kept for inspection).', registers: [registry], collect() { this.set(queue.failed); } });
  new Gauge({ name: 'gomomo_jobs_retrying', help: 'Jobs whose last attempt failed and that will be retried.', registers: [registry], collect() { this.set(queue.retrying); } });

  return {
    registry,
    requests: new Counter({ name: 'gomomo_http_requests_total', help: 'HTTP requests by method, route pattern and status.', labelNames: ['method', 'route', 'status'], registers: [registry] }),
    requestSeconds: new Histogram({
      name: 'gomomo_http_request_duration_seconds',
      help: 'HTTP request latency by method and route pattern.',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    bookings: new Counter({ name: 'gomomo_bookings_total', help: 'Bookings created, rescheduled and cancelled by this process.', labelNames: ['action'], registers: [registry] }),
    holds: new Counter({ name: 'gomomo_holds_total', help: 'Holds placed and released by this process.', labelNames: ['outcome'], registers: [registry] }),
    turns: new Counter({ name: 'gomomo_conversation_turns_total', help: 'Conversation turns by brain and outcome.', labelNames: ['brain', 'outcome'], registers: [registry] }),
  };
}

/**
 * Availability answers sent with bytes serialised for an earlier request (`reused`) or serialised
 * anew (`serialized`), read from the plugin at scrape time; reused ÷ total is the cache's hit ratio.
 */
export function countAvailabilityAnswers(metrics: AppMetrics, answers: Readonly<{ reused: number; serialized: number }>): void {
  new Counter({
    name: 'gomomo_availability_answers_total',
    help: 'Availability answers by whether their serialised bytes were reused or made anew.',
    labelNames: ['bytes'],
    registers: [metrics.registry],
    collect() {
      this.reset();
      this.inc({ bytes: 'reused' }, answers.reused);
      this.inc({ bytes: 'serialized' }, answers.serialized);
    },
  });
}

/** graphile-worker's queue health; zeros when its schema is not installed (no worker ever started). */
export async function readQueueHealth(pool: Pick<Pool, 'query'>): Promise<{ due: number; locked: number; age: number; failed: number; retrying: number }> {
  const { rows: present } = await pool.query<{ ok: boolean }>(`SELECT to_regclass('graphile_worker._private_jobs') IS NOT NULL AS ok`);
  if (!present[0]?.ok) return { due: 0, locked: 0, age: 0, failed: 0, retrying: 0 };
  const { rows } = await pool.query<{ due: string; locked: string; age: number | null; failed: string; retrying: string }>(
    `SELECT count(*) FILTER (WHERE locked_at IS NULL AND run_at <= now() AND attempts < max_attempts) AS due,
            count(*) FILTER (WHERE locked_at IS NOT NULL) AS locked,
            extract(epoch FROM now() - min(run_at) FILTER (WHERE locked_at IS NULL AND run_at <= now() AND attempts < max_attempts))::float8 AS age,
            count(*) FILTER (WHERE attempts >= max_attempts) AS failed,
            count(*) FILTER (WHERE last_error IS NOT NULL AND attempts < max_attempts) AS retrying
       FROM graphile_worker._private_jobs`,
  );
  const row = rows[0]!;
  return { due: Number(row.due), locked: Number(row.locked), age: Math.max(0, row.age ?? 0), failed: Number(row.failed), retrying: Number(row.retrying) };
}

/** The engine with its successful writes counted; reads pass through untouched. */
export function countEngineWrites(engine: BookingEngine, metrics: AppMetrics): BookingEngine {
  const counted = <A extends unknown[], R>(run: (...args: A) => Promise<R>, count: () => void) => async (...args: A) => {
    const result = await run(...args);
    count();
    return result;
  };
  return {
    ...engine,
    hold: counted(engine.hold.bind(engine), () => metrics.holds.inc({ outcome: 'placed' })),
    releaseHold: counted(engine.releaseHold.bind(engine), () => metrics.holds.inc({ outcome: 'released' })),
    confirm: counted(engine.confirm.bind(engine), () => metrics.bookings.inc({ action: 'created' })),
    reschedule: counted(engine.reschedule.bind(engine), () => metrics.bookings.inc({ action: 'rescheduled' })),
    cancel: counted(engine.cancel.bind(engine), () => metrics.bookings.inc({ action: 'cancelled' })),
  };
}

/** What a turn came to, for the turn counter: the strongest thing it did. */
export function turnOutcome(result: TurnResult): string {
  const booking = result.events.find((event) => event.type === 'booking');
  if (booking?.type === 'booking') return booking.action;
  if (result.events.some((event) => event.type === 'hold')) return 'held';
  if (result.events.some((event) => event.type === 'waitlist')) return 'waitlisted';
  if (result.events.some((event) => event.type === 'error')) return 'error';
  return 'replied';
}

/** The receptionist with its turns counted by brain and outcome (`failed` when the turn threw). */
export function countTurns(receptionist: Receptionist, options: { metrics: AppMetrics; brain: string }): Receptionist {
  const { metrics, brain } = options;
  return {
    ...receptionist,
    handleTurn: async (input) => {
      try {
        const result = await receptionist.handleTurn(input);
        metrics.turns.inc({ brain, outcome: turnOutcome(result) });
        return result;
      } catch (error) {
        metrics.turns.inc({ brain, outcome: 'failed' });
        throw error;
      }
    },
  };
}

function isTokenValid(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Counts every answer by its route PATTERN (never the raw URL: ids and tokens would explode the
 * label set and leak), and serves `/metrics` when a token is configured. Without METRICS_TOKEN the
 * route does not exist (404); with it, a missing or wrong `Authorization: Bearer` answer is a 404
 * too, so the endpoint's existence is not advertised to scanners.
 */
export function registerMetrics(app: FastifyInstance, options: { metrics: AppMetrics; token: string | undefined; notFound: (request: FastifyRequest, reply: FastifyReply) => unknown }): void {
  const { metrics, token } = options;
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route };
    metrics.requests.inc({ ...labels, status: String(reply.statusCode) });
    metrics.requestSeconds.observe(labels, reply.elapsedTime / 1000);
  });
  if (!token) return;
  app.get('/metrics', async (request, reply) => {
    if (!isTokenValid(request.headers.authorization, token)) return options.notFound(request, reply);
    reply.header('cache-control', 'no-store');
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
