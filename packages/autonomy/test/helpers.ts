import { createLogTransport, type Transports } from '@gomomo/channels';
import { createBookingEngine, createTenant, demoTenantInput, type Appointment, type BookingEngine, type Pool } from '@gomomo/core';
import { ManualClock } from '@gomomo/core/testing';
import { runOnce } from 'graphile-worker';
import { databaseCalendarProvider, type CalendarProvider } from '../src/calendar/provider.js';
import { defaultAutonomyConfig, type AutonomyConfig } from '../src/config.js';
import { createTasks } from '../src/handlers/tasks.js';
import { createPolicyEngine, type PolicyEngine } from '@gomomo/policy';
import { createAutonomyGate } from '../src/policy/gate.js';
import { quietLogger } from '../src/queue/install.js';
import type { TaskHandler } from '../src/queue/runner.js';
import type { OfferLinkIssuer, ToolContext } from '../src/tools/context.js';

export const logTransports = (): Transports => ({ email: createLogTransport({ channel: 'email' }), sms: createLogTransport({ channel: 'sms' }) });

export async function makeTenant(pool: Pool, settings: Record<string, unknown> = {}): Promise<{ id: string; serviceId: string }> {
  const tenant = await createTenant(pool, { ...demoTenantInput, slug: `auto-${Math.random().toString(36).slice(2, 10)}`, settings });
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM services WHERE tenant_id = $1 ORDER BY name LIMIT 1', [tenant.id]);
  return { id: tenant.id, serviceId: rows[0]!.id };
}

export interface Harness {
  clock: ManualClock;
  engine: BookingEngine;
  policy: PolicyEngine;
  ctx: ToolContext;
  tasks: Record<string, TaskHandler>;
}

export function makeHarness(pool: Pool, overrides: { config?: Partial<AutonomyConfig>; calendar?: CalendarProvider; issueOfferLink?: OfferLinkIssuer; isPoolDirect?: boolean } = {}): Harness {
  const clock = new ManualClock('2026-12-01T12:00:00Z');
  const engine = createBookingEngine({ pool, clock });
  const config = { ...defaultAutonomyConfig, ...overrides.config };
  const policy = createPolicyEngine({ pool, clock });
  const ctx: ToolContext = { pool, clock, config, gate: createAutonomyGate({ enabled: config.enabled, policy }), calendar: overrides.calendar ?? databaseCalendarProvider, engine, issueOfferLink: overrides.issueOfferLink, isPoolDirect: overrides.isPoolDirect ?? true };
  return { clock, engine, policy, ctx, tasks: createTasks(ctx) };
}

let slotIndex = 0;

/** Books a real appointment through the engine (hold → confirm), on a distinct slot each call. */
export async function book(engine: BookingEngine, tenant: { id: string; serviceId: string }, client: { name: string; email?: string; phone?: string }): Promise<Appointment> {
  const availability = await engine.getAvailability({ tenantId: tenant.id, serviceId: tenant.serviceId, from: '2026-12-03', to: '2026-12-04' });
  const slot = availability.slots[slotIndex++ % availability.slots.length]!;
  const sessionId = `s-${Math.random().toString(36).slice(2)}`;
  const hold = await engine.hold({ tenantId: tenant.id, serviceId: tenant.serviceId, start: slot.start, sessionId });
  return engine.confirm({ tenantId: tenant.id, holdId: hold.id, sessionId, client });
}

/** Runs every job that is due now (by the database clock), then returns. */
export async function runDueJobs(pool: Pool, tasks: Record<string, TaskHandler>): Promise<void> {
  await runOnce({ pgPool: pool, taskList: tasks as never, logger: quietLogger(() => undefined) });
}

export async function jobsOf(pool: Pool): Promise<{ task: string; key: string | null; runAt: Date; payload: Record<string, unknown>; attempts: number; lastError: string | null }[]> {
  const { rows } = await pool.query(
    `SELECT t.identifier AS task, j.key, j.run_at AS "runAt", j.payload, j.attempts, j.last_error AS "lastError"
       FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id ORDER BY j.id`,
  );
  return rows;
}

export async function outboxOf(pool: Pool, tenantId: string) {
  const { rows } = await pool.query<{ id: string; channel: string; template: string; recipient: string; status: string; body: string; idempotencyKey: string; attachments: { filename: string; content: string }[] }>(
    `SELECT id, channel, template, recipient, status, body, idempotency_key AS "idempotencyKey", attachments FROM notification_outbox WHERE tenant_id = $1 ORDER BY created_at, channel`,
    [tenantId],
  );
  return rows;
}

export async function actionsOf(pool: Pool, tenantId: string) {
  const { rows } = await pool.query<{ tool: string; action: string; decision: string; outcome: string; reason: string }>(
    'SELECT tool, action, decision, outcome, reason FROM autonomy_actions WHERE tenant_id = $1 ORDER BY id',
    [tenantId],
  );
  return rows;
}

/** The tenant's policy audit log (decisions and outcomes), oldest first. */
export async function auditOf(pool: Pool, tenantId: string) {
  const { rows } = await pool.query<{ action: string; tool: string | null; outcome: string; reason: string | null; ruleId: string | null; subjectId: string | null }>(
    'SELECT action, tool, outcome, reason, rule_id AS "ruleId", subject_id AS "subjectId" FROM audit_log WHERE tenant_id = $1 ORDER BY seq',
    [tenantId],
  );
  return rows;
}

/** The id of the tenant's latest domain event of `type`. */
export async function latestEventId(pool: Pool, tenantId: string, type: string): Promise<number> {
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM domain_events WHERE tenant_id = $1 AND type = $2 ORDER BY id DESC LIMIT 1', [tenantId, type]);
  return Number(rows[0]!.id);
}
