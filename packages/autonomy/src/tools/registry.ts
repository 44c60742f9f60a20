import { AutonomyError } from '../errors.js';
import type { ActionResult } from '../policy/gate.js';
import { orchestratorRegistry } from '../policy/registries.js';
import { scheduleReminders, sendCancellationNotice, sendConfirmation, sendReminder, sendRescheduleNotice } from './booking-notices.js';
import { escalateToStaff, retryCalendarSync } from './calendar.js';
import type { ToolCall, ToolContext } from './context.js';
import { sendHoldFollowup } from './followup.js';
import { notifyOnDuty } from './notify-on-duty.js';
import { orchestratorToolSpecs, type OrchestratorToolName, type ToolArgs } from './schemas.js';
import { offerWaitlistSlot } from './waitlist.js';

type Runners = { [N in OrchestratorToolName]: (ctx: ToolContext, call: ToolCall, args: ToolArgs<N>) => Promise<ActionResult[]> };

const runners: Runners = {
  send_confirmation: sendConfirmation,
  send_reschedule_notice: sendRescheduleNotice,
  send_cancellation_notice: sendCancellationNotice,
  schedule_reminders: scheduleReminders,
  send_reminder: sendReminder,
  send_hold_followup: sendHoldFollowup,
  offer_waitlist_slot: offerWaitlistSlot,
  retry_calendar_sync: retryCalendarSync,
  escalate_to_staff: escalateToStaff,
  notify_on_duty: notifyOnDuty,
};

/**
 * The closed registry of orchestrator tools: the eight the autonomous side may call, plus the staff
 * escalation they end in. Nothing else can be called; each call is validated, authorised by policy
 * (`authorizeToolCall`) and recorded.
 */
export const orchestratorTools = orchestratorToolSpecs;
export type { OrchestratorToolName };
export const orchestratorToolNames = Object.keys(orchestratorToolSpecs) as OrchestratorToolName[];

/** Calls one registry tool by name with raw arguments: UNKNOWN_TOOL or VALIDATION (naming the field) otherwise. */
export async function callTool(ctx: ToolContext, call: ToolCall, request: { name: string; args: unknown }): Promise<ActionResult[]> {
  const parsed = orchestratorRegistry.parse(request.name, request.args);
  if (!parsed.ok) {
    if (parsed.code === 'UNKNOWN_TOOL') throw new AutonomyError('UNKNOWN_TOOL', `No orchestrator tool named ${JSON.stringify(String(request.name)).slice(0, 60)}`);
    const field = parsed.issues[0]?.path ?? 'args';
    throw new AutonomyError('VALIDATION', parsed.message, { field });
  }
  const run = runners[parsed.tool.name as OrchestratorToolName] as (ctx: ToolContext, call: ToolCall, args: unknown) => Promise<ActionResult[]>;
  return run(ctx, call, parsed.args);
}
