import { appointmentViewColumns, appointmentViewOf, createBookingEngine, type AppointmentViewRow, type DomainEvent, type OpeningStatement, type PoolClient, type QueryResult } from '@gomomo/core';
import type { RevokedCalendar } from '../calendar/provider.js';
import { defaultAutonomyConfig } from '../config.js';
import { AutonomyError } from '../errors.js';
import type { ActionRecord, PendingAudit } from '../policy/gate.js';
import type { PendingJobs } from '../queue/add-job.js';
import { withTenantWork } from '../internal/db.js';
import type { TaskHandler } from '../queue/runner.js';
import type { ToolCall, ToolContext } from '../tools/context.js';
import { toolViewOf } from '../tools/appointment.js';
import { rememberAppointment } from '../tools/booking-notices.js';
import { escalateToStaff, runCalendarSync } from '../tools/calendar.js';
import { callTool } from '../tools/registry.js';
import { offerLapseTask } from '../tools/waitlist.js';
import { rememberNoOffer, runOfferLapse } from '../tools/waitlist-lapse.js';
import { eventHandlers } from './dispatch.js';

export interface TaskHooks {
  /** Called when a domain_event job starts, before any work (for latency measurement). */
  onEventStart?: ((eventId: number, startedAt: number) => void) | undefined;
  /**
   * Called once a domain event is handled, with the correlation id of the request that caused it
   * (for the host's log line; never customer data).
   */
  onEventHandled?: ((info: { eventId: number; type: string; correlationId: string | null; outcome: string }) => void) | undefined;
  /** Wraps every job run (e.g. in a trace span); the host's tracer stays out of this package. */
  aroundJob?: (<T>(task: string, run: () => Promise<T>) => Promise<T>) | undefined;
}

function tenantOf(payload: Record<string, unknown>): string {
  if (typeof payload.tenantId !== 'string') throw new AutonomyError('VALIDATION', 'job payload needs tenantId', { field: 'tenantId' });
  return payload.tenantId;
}

/** What handling a domain event came to, kept on its receipt (`autonomy_event_receipts.outcome`). */
export interface EventReceipt {
  eventId: number;
  outcome: string;
}

/**
 * The statement that closes a tool call's transaction (issue 15: each of these was a round trip of
 * its own): the call's action records, the receipt outcomes of the events it handled, the jobs the call
 * withdrew (`withdrawJobs`, through graphile-worker's `remove_job`) and then those it queued
 * (`queueJobs`, through migration 0181's `gomomo_add_jobs_quietly`), and its audit entries
 * (`AutonomyGate.seal`, through policy's `gomomo_audit_append_batch`, migration 0027). The audit
 * entries take the tenant's chain lock, held until COMMIT, which is the next round trip: they are
 * the statement's last work.
 */
export async function closeToolWork(
  client: Pick<PoolClient, 'query'>,
  work: { actions: ActionRecord[]; receipts?: EventReceipt[] | undefined; jobs: PendingJobs; audit?: string | undefined },
): Promise<void> {
  const { actions, receipts = [], jobs, audit } = work;
  if (actions.length === 0 && receipts.length === 0 && jobs.queued.length === 0 && jobs.withdrawn.length === 0 && audit === undefined) return;
  await client.query({
    name: 'autonomy_close_tool_work_v4',
    text: `WITH written AS (
             INSERT INTO autonomy_actions (tenant_id, tool, action, subject_id, event_id, decision, outcome, reason, detail)
             SELECT a."tenantId", a.tool, a.action, a."subjectId", a."eventId", a.decision, a.outcome, a.reason, a.detail
               FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e (v, n)
              CROSS JOIN LATERAL jsonb_to_record(e.v) AS a ("tenantId" uuid, tool text, action text, "subjectId" uuid, "eventId" bigint,
                                                            decision text, outcome text, reason text, detail jsonb)
              ORDER BY e.n
             RETURNING 1),
           -- By primary key, each receipt's outcome at its event id's place in $2. Joined to a
           -- recordset (which Postgres guesses at 100 rows) it was planned as a scan of every
           -- receipt ever written, on every closing statement.
           receipt AS (
             UPDATE autonomy_event_receipts AS r SET outcome = ($3::text[])[array_position($2::bigint[], r.event_id)]
              WHERE r.event_id = ANY ($2::bigint[])
             RETURNING 1),
           withdrawn AS (
             SELECT graphile_worker.remove_job(k) FROM unnest($4::text[]) AS k),
           queued AS (
             SELECT gomomo_add_jobs_quietly($5::jsonb) WHERE jsonb_array_length($5::jsonb) > 0),
           audited AS (
             SELECT id FROM gomomo_audit_append_batch($6::jsonb))
           -- In this order: Postgres runs a data-modifying CTE that nothing reads after the rest of
           -- the statement, so reading each one here puts the audit append, which takes the
           -- tenant's chain lock (held until COMMIT), after all the other work, and the withdrawals
           -- before the jobs queued.
           SELECT (SELECT count(*) FROM written) AS written, (SELECT count(*) FROM receipt) AS receipt,
                  (SELECT count(*) FROM withdrawn) AS withdrawn, (SELECT count(*) FROM queued) AS queued,
                  (SELECT count(*) FROM audited) AS audited`,
    values: [
      JSON.stringify(actions.map((action) => ({ ...action, reason: action.reason.slice(0, 500) }))),
      receipts.map((receipt) => receipt.eventId),
      receipts.map((receipt) => receipt.outcome.slice(0, 200)),
      jobs.withdrawn,
      JSON.stringify(jobs.queued),
      audit ?? '[]',
    ],
  });
}

/**
 * Runs tool work in one transaction. At its end, one statement writes the calls' action records,
 * the receipt outcomes of the events `fn` handled (`receiptsOf`), the jobs the calls queued, and the policy
 * decisions and `succeeded` outcomes of the allowed calls (`AutonomyGate.seal`), so the audit
 * entries commit with the work. If the transaction rolls back, the decisions and `failed` outcomes
 * (with the error) are appended after.
 */
export async function runToolWork<T>(
  ctx: ToolContext,
  scope: {
    tenantId: string;
    eventId?: number | null;
    /** The events' receipt outcomes, written by the closing statement. */
    receiptsOf?: (result: T) => EventReceipt[];
    /** The work's first statement, sent with BEGIN (`withTenantWork`); `fn` gets its result. */
    opening?: OpeningStatement | undefined;
  },
  fn: (call: ToolCall, opened?: QueryResult) => Promise<T>,
): Promise<T> {
  let pendingAudit: PendingAudit = { decisions: [], outcomes: [] };
  // Attempts rolled back and run again (a deadlock): their decisions, and their outcomes as failed.
  const retried: PendingAudit[] = [];
  let isSealed = false;
  let result: T;
  try {
    result = await withTenantWork(ctx.pool, scope, async (client, opened) => {
      if (pendingAudit.decisions.length + pendingAudit.outcomes.length > 0) retried.push(pendingAudit);
      pendingAudit = { decisions: [], outcomes: [] };
      const pendingActions: ActionRecord[] = [];
      const pendingJobs: PendingJobs = { queued: [], withdrawn: [] };
      const value = await fn({ client, tenantId: scope.tenantId, eventId: scope.eventId ?? null, pendingAudit, pendingActions, pendingJobs }, opened);
      // The decisions and outcomes commit with the work, appended by the closing statement, the
      // last before COMMIT (the chain lock is held until then).
      const audit = ctx.gate.seal(pendingAudit);
      await closeToolWork(client, { actions: pendingActions, receipts: scope.receiptsOf?.(value), jobs: pendingJobs, audit });
      isSealed = audit !== undefined;
      return value;
    });
  } catch (error) {
    for (const attempt of [...retried, pendingAudit]) await ctx.gate.flush(attempt, error).catch(() => undefined);
    throw error;
  }
  for (const attempt of retried) await ctx.gate.flush(attempt, new Error('the transaction was run again')).catch(() => undefined);
  if (!isSealed) await ctx.gate.flush(pendingAudit);
  return result;
}

/** A UUID in text, or NULL (a malformed id in a payload is the handler's to refuse, not this read's). */
const uuidOrNull = (text: string) => `CASE WHEN ${text} ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN (${text})::uuid END`;

/**
 * In one statement: reads the event, makes its correlation id (the request that caused it) this
 * transaction's, so the events the handler writes carry it too (migration 0046), and claims the
 * event's receipt. For a booking's event it also reads the booking (core's read model, migration
 * 0102), and for an event naming a hold whether a waitlist offer is open under it: the reads the
 * handler's tools would make next, each a round trip (issue 15). On a direct connection it rides
 * the job's BEGIN, prepared once per connection (`OpeningStatement`); otherwise it is named, so each
 * connection plans it once.
 */
const claimEventStatement = {
  name: 'autonomy_claim_event',
  text: `WITH event AS (
           SELECT id, tenant_id, type, subject_id, session_id, payload, occurred_at,
                  nullif(set_config('gomomo.correlation_id', coalesce(correlation_id, ''), true), '') AS correlation_id,
                  CASE WHEN type LIKE 'booking.%' THEN coalesce(${uuidOrNull("payload->>'appointmentId'")}, subject_id) END AS appointment_id,
                  coalesce(${uuidOrNull("payload->>'holdId'")}, CASE WHEN type LIKE 'hold.%' THEN subject_id END) AS hold_id
             FROM domain_events WHERE tenant_id = $1 AND id = $2),
         receipt AS (
           INSERT INTO autonomy_event_receipts (event_id, tenant_id, outcome)
           SELECT id, tenant_id, 'handling' FROM event
           ON CONFLICT (event_id) DO NOTHING
           RETURNING event_id)
         SELECT id, tenant_id AS "tenantId", type, subject_id AS "subjectId", session_id AS "sessionId", payload,
                to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "occurredAt",
                correlation_id AS "correlationId", EXISTS (SELECT 1 FROM receipt) AS "isClaimed",
                jsonb_build_object(
                  'appointmentId', appointment_id,
                  'appointment', (SELECT to_jsonb(a) FROM (SELECT ${appointmentViewColumns} FROM gomomo_appointment_view(tenant_id, appointment_id) AS v) AS a),
                  'holdId', hold_id,
                  'isOfferOpen', CASE WHEN hold_id IS NOT NULL THEN gomomo_waitlist_offer_open(tenant_id, hold_id) END) AS reads
           FROM event`,
};

/** What the claim read for the event's tools: the booking it is about, and whether an offer is open under its hold. */
interface ClaimReads {
  appointmentId: string | null;
  appointment: AppointmentViewRow | null;
  holdId: string | null;
  isOfferOpen: boolean | null;
}

/** Hands the tools what the claim read, so they do not read it again. */
function rememberClaimReads(call: ToolCall, reads: ClaimReads): void {
  if (reads.appointmentId !== null) rememberAppointment(call, reads.appointmentId, reads.appointment ? toolViewOf(appointmentViewOf(reads.appointment)) : null);
  if (reads.holdId !== null && reads.isOfferOpen === false) rememberNoOffer(call, reads.holdId);
}

type HandledEvent = Parameters<NonNullable<TaskHooks['onEventHandled']>>[0];

/**
 * Handles domain events of one tenant, each exactly once: an event's receipt (primary key = event
 * id) is written in the same transaction as everything its handler does, so a retried or
 * duplicated job finds it and stops. Several events share one transaction (issue 15: its BEGIN,
 * closing statement, COMMIT and notification were most of a job's cost), handled one after the
 * other in id order, each claimed (and its reads made) just before its handler runs, so each sees
 * what the ones before it wrote, as in transactions of their own. If the transaction fails, none
 * of them is handled.
 */
async function handleDomainEvents(ctx: ToolContext, input: { tenantId: string; eventIds: number[] }, hooks: TaskHooks): Promise<void> {
  const { tenantId } = input;
  const eventIds = [...new Set(input.eventIds)].sort((a, b) => a - b);
  const first = eventIds[0];
  if (first === undefined) return;
  for (const eventId of eventIds) hooks.onEventStart?.(eventId, performance.timeOrigin + performance.now());
  let handled: HandledEvent[] = [];
  await runToolWork(
    ctx,
    // The receipts' outcomes are written with the action records, in the same statement.
    // On a direct connection the first claim is sent with BEGIN, in one round trip; through a
    // transaction pooler it is a named statement of its own (a pooler keeps no SQL PREPARE).
    {
      tenantId,
      receiptsOf: (outcomes: HandledEvent[]) => outcomes.map(({ eventId, outcome }) => ({ eventId, outcome })),
      opening: ctx.isPoolDirect ? { name: 'autonomy_claim_event_opening', types: ['uuid', 'bigint'], text: claimEventStatement.text, values: [tenantId, first] } : undefined,
    },
    async (call, opened) => {
      // Run again after a deadlock: nothing of the attempt before is kept.
      handled = [];
      for (const eventId of eventIds) {
        // The event's own call: its records name it, and what its tools read stays its own.
        const eventCall: ToolCall = { ...call, eventId };
        const { rows } = eventId === first && opened ? opened : await call.client.query({ ...claimEventStatement, values: [tenantId, eventId] });
        const claimed = (rows as (DomainEvent & { correlationId: string | null; isClaimed: boolean; reads: ClaimReads })[])[0];
        if (!claimed?.isClaimed) continue;
        const { correlationId, isClaimed: _, reads, ...event } = claimed;
        rememberClaimReads(eventCall, reads);
        const handler = eventHandlers[event.type];
        const results = handler ? await handler(ctx, eventCall, event) : [];
        const outcome = results.length === 0 ? 'nothing to do' : results.map((r) => r.outcome).join(',');
        handled.push({ eventId, type: event.type, correlationId, outcome });
      }
      return handled;
    },
  );
  for (const info of handled) hooks.onEventHandled?.(info);
}

/** A domain_event job's event id, or `VALIDATION`. */
function eventIdOf(payload: Record<string, unknown>): number {
  const eventId = Number(payload.id);
  if (!Number.isSafeInteger(eventId)) throw new AutonomyError('VALIDATION', 'domain_event job needs a numeric id', { field: 'id' });
  return eventId;
}

/** The most events one transaction handles. */
const maxEventsPerTransaction = 32;

/**
 * The domain_event task: each job's event waits in its tenant's line, and whoever gets a database
 * slot (`limit`) next handles all that are waiting in one transaction (`handleDomainEvents`). In a
 * burst the worker's slots are busy, so events gather and are handled several at a time; when it
 * is quiet each is handled on its own at once. If a shared transaction fails, each of its events is
 * handled again in a transaction of its own, so one event's failure fails only its own job (retried
 * with backoff, then dead-lettered) and never holds the others back.
 */
function createEventLines(ctx: ToolContext, hooks: TaskHooks, limit: <T>(work: () => Promise<T>) => Promise<T>): TaskHandler {
  interface Waiting {
    eventId: number;
    resolve: () => void;
    reject: (error: unknown) => void;
  }
  const lines = new Map<string, Waiting[]>();

  async function handleWaiting(tenantId: string): Promise<void> {
    const line = lines.get(tenantId);
    if (!line) return;
    const batch = line.splice(0, maxEventsPerTransaction);
    if (line.length === 0) lines.delete(tenantId);
    try {
      await handleDomainEvents(ctx, { tenantId, eventIds: batch.map((item) => item.eventId) }, hooks);
      for (const item of batch) item.resolve();
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const item of batch) {
        try {
          await handleDomainEvents(ctx, { tenantId, eventIds: [item.eventId] }, hooks);
          item.resolve();
        } catch (own) {
          item.reject(own);
        }
      }
    }
  }

  return async (payload) => {
    const eventId = eventIdOf(payload);
    const tenantId = tenantOf(payload);
    await new Promise<void>((resolve, reject) => {
      const line = lines.get(tenantId) ?? [];
      lines.set(tenantId, line);
      line.push({ eventId, resolve, reject });
      // Every job asks for a slot; the first to get one takes the whole line, so the others find
      // it empty (or holding what arrived since) and give their slot back at once.
      limit(() => handleWaiting(tenantId)).catch(reject);
    });
  };
}

/** The jobs that reach the network (a calendar provider); every other job works in the database only. */
const networkTasks = new Set(['calendar_busy_refresh', 'calendar_sync']);

/** At most `permits` promises at once; the rest wait in order. */
function createLimiter(permits: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    if (running >= permits) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/**
 * The task list the job runner serves. Database-only jobs run at most `databaseConcurrency` at
 * once (issue 15: eight at once on two cores took CPU from the customers' bookings); calendar
 * jobs, which wait on the network, are not held back. Domain events waiting for a slot are handled
 * together when one frees (`createEventLines`).
 */
export function createTasks(ctx: ToolContext, hooks: TaskHooks = {}): Record<string, TaskHandler> {
  const limit = createLimiter(ctx.config.databaseConcurrency ?? defaultAutonomyConfig.databaseConcurrency);
  const tasks: Record<string, TaskHandler> = {
    ...Object.fromEntries(
      Object.entries(listTasks(ctx)).map(([name, task]) => [name, networkTasks.has(name) ? task : (((...args) => limit(() => task(...args))) satisfies TaskHandler)]),
    ),
    domain_event: createEventLines(ctx, hooks, limit),
  };
  const { aroundJob } = hooks;
  if (!aroundJob) return tasks;
  return Object.fromEntries(Object.entries(tasks).map(([name, task]) => [name, ((...args) => aroundJob(name, () => task(...args))) satisfies TaskHandler]));
}

/** The tasks besides domain_event, each job in a transaction of its own. */
function listTasks(ctx: ToolContext): Record<string, TaskHandler> {
  const engine = ctx.engine ?? createBookingEngine({ pool: ctx.pool, clock: ctx.clock });
  return {
    // The hold sweep (cron, every minute): lapsed holds are released and each gets its one
    // hold.expired event, which schedules the follow-up and the "hold lapsed" push. Without it a
    // lapsed hold stayed active until someone booked over it.
    expire_holds: async () => {
      await engine.expireHolds();
    },
    send_reminder: async (payload) => {
      const tenantId = tenantOf(payload);
      // The schema keeps appointmentId, offset and start; tenantId is not a tool argument.
      await runToolWork(ctx, { tenantId }, (call) => callTool(ctx, call, { name: 'send_reminder', args: payload }));
    },
    hold_followup: async (payload) => {
      const tenantId = tenantOf(payload);
      const eventId = typeof payload.eventId === 'number' ? payload.eventId : null;
      await runToolWork(ctx, { tenantId, eventId }, (call) => callTool(ctx, call, { name: 'send_hold_followup', args: { holdId: payload.holdId } }));
    },
    [offerLapseTask]: async (payload) => {
      const tenantId = tenantOf(payload);
      await runToolWork(ctx, { tenantId }, (call) => runOfferLapse(ctx, call, String(payload.holdId)));
    },
    // Every minute: connected calendars' busy time older than the staleness bound is re-read, and
    // due ICS feeds fetched; a grant refused for good (the resource is database-only again) or a
    // feed failing past its bound goes to staff.
    calendar_busy_refresh: async () => {
      const revoked = (await ctx.calendar.refreshBusy?.(ctx.clock.now())) ?? [];
      for (const calendar of revoked) {
        await runToolWork(ctx, { tenantId: calendar.tenantId }, (call) =>
          escalateToStaff(ctx, call, escalationOf(calendar)),
        );
      }
    },
    calendar_sync: async (payload) => {
      const tenantId = tenantOf(payload);
      const appointmentId = String(payload.appointmentId);
      const attempt = Number(payload.attempt);
      await runToolWork(ctx, { tenantId }, (call) => runCalendarSync(ctx, call, { appointmentId, attempt }));
    },
  };
}

/** What staff are told about a calendar that stopped counting: a refused grant, or an ICS feed failing past its bound. */
function escalationOf(calendar: RevokedCalendar): { kind: string; subjectId: string; summary: string } {
  if (calendar.kind === 'ics_feed_failing') {
    return {
      kind: 'ics_feed_failing',
      subjectId: calendar.resourceId,
      summary: `The ICS feed of resource ${calendar.resourceId} kept failing (${calendar.reason}). Its busy time is no longer applied; fix or remove the feed.`,
    };
  }
  return {
    kind: 'calendar_revoked',
    subjectId: calendar.resourceId,
    summary: `The calendar connected to resource ${calendar.resourceId} refused our access (${calendar.reason}). Bookings now use the database only; reconnect the calendar.`,
  };
}
