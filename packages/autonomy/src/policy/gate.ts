// The one module that decides whether an autonomous action may run, and records that it did.
//
// @gomomo/policy (default-deny engine, audited) is being written alongside this package. Until its
// API is published this gate applies the rules autonomy must honour on its own — the global
// AUTONOMY_ENABLED switch and the per-tenant kill switches in `tenants.settings` — and writes every
// decision to `autonomy_actions` in the same transaction as the action. When policy lands, the
// `PolicyEvaluator` hook below is where `createPolicyEngine(...).evaluate(action, ctx)` plugs in
// (actor 'autonomous', channel 'system'); nothing else in autonomy needs to change.
import type { PoolClient } from '@gomomo/core';

/** The orchestrator's actions, as the policy engine names them. */
export const autonomyActions = [
  'notify.email',
  'notify.sms',
  'notify.push',
  'reminder.schedule',
  'followup.send',
  'waitlist.offer',
  'calendar.sync',
  'staff.escalate',
] as const;
export type AutonomyAction = (typeof autonomyActions)[number];

export interface Decision {
  allowed: boolean;
  reason: string;
}

export interface PolicyContext {
  tenantId: string;
  actor: 'autonomous';
  channel: 'system';
  subject: { bookingId?: string | undefined; clientKey?: string | undefined };
}

/** An external policy engine's verdict (e.g. @gomomo/policy), asked after the built-in switches. */
export type PolicyEvaluator = (action: AutonomyAction, context: PolicyContext) => Promise<Decision>;

export interface GateCall {
  tenantId: string;
  tool: string;
  action: AutonomyAction;
  subjectId?: string | null | undefined;
  eventId?: number | null | undefined;
  clientKey?: string | undefined;
}

export interface ActionResult {
  outcome: 'done' | 'skipped';
  reason?: string | undefined;
  detail?: Record<string, unknown> | undefined;
}

export interface AutonomyGate {
  /** Decides, runs `fn` if allowed, and records the call; returns what happened. */
  run(client: PoolClient, call: GateCall, fn: () => Promise<ActionResult>): Promise<ActionResult | { outcome: 'denied'; reason: string }>;
}

type Settings = { autonomy?: boolean | { enabled?: boolean }; killSwitches?: string[] | Record<string, boolean> };

/** A tenant's kill switches: `settings.autonomy = false` stops all; `settings.killSwitches` lists actions. */
export function readKillSwitch(settings: Settings, action: AutonomyAction): string | null {
  const autonomy = settings.autonomy;
  if (autonomy === false || (typeof autonomy === 'object' && autonomy?.enabled === false)) return 'the tenant turned autonomy off';
  const switches = settings.killSwitches;
  const isOff = Array.isArray(switches) ? switches.includes(action) || switches.includes('*') : switches?.[action] === true || switches?.['*'] === true;
  return isOff ? `the tenant's kill switch for ${action} is on` : null;
}

async function record(client: PoolClient, call: GateCall, entry: { decision: 'allowed' | 'denied'; outcome: string; reason: string; detail: Record<string, unknown> }): Promise<void> {
  await client.query(
    `INSERT INTO autonomy_actions (tenant_id, tool, action, subject_id, event_id, decision, outcome, reason, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [call.tenantId, call.tool, call.action, call.subjectId ?? null, call.eventId ?? null, entry.decision, entry.outcome, entry.reason.slice(0, 500), JSON.stringify(entry.detail)],
  );
}

/** Creates the gate. `enabled` is AUTONOMY_ENABLED; `evaluate` is the policy engine, when there is one. */
export function createAutonomyGate(options: { enabled: boolean; evaluate?: PolicyEvaluator | undefined }): AutonomyGate {
  async function decide(client: PoolClient, call: GateCall): Promise<Decision> {
    if (!options.enabled) return { allowed: false, reason: 'AUTONOMY_ENABLED is off' };
    const { rows } = await client.query<{ settings: Settings }>('SELECT settings FROM tenants WHERE id = $1', [call.tenantId]);
    if (!rows[0]) return { allowed: false, reason: 'unknown tenant' };
    const killed = readKillSwitch(rows[0].settings ?? {}, call.action);
    if (killed) return { allowed: false, reason: killed };
    if (!options.evaluate) return { allowed: true, reason: 'autonomy on; no kill switch' };
    return options.evaluate(call.action, {
      tenantId: call.tenantId,
      actor: 'autonomous',
      channel: 'system',
      subject: { bookingId: call.subjectId ?? undefined, clientKey: call.clientKey },
    });
  }

  return {
    async run(client, call, fn) {
      const decision = await decide(client, call);
      if (!decision.allowed) {
        await record(client, call, { decision: 'denied', outcome: 'denied', reason: decision.reason, detail: {} });
        return { outcome: 'denied', reason: decision.reason };
      }
      const result = await fn();
      await record(client, call, { decision: 'allowed', outcome: result.outcome, reason: result.reason ?? '', detail: result.detail ?? {} });
      return result;
    },
  };
}
