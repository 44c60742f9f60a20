import { z } from 'zod';
import { AutonomyError } from '../errors.js';
import type { ActionResult } from '../policy/gate.js';
import { scheduleReminders, sendCancellationNotice, sendConfirmation, sendReminder, sendRescheduleNotice } from './booking-notices.js';
import { escalateToStaff, retryCalendarSync } from './calendar.js';
import type { ToolCall, ToolContext } from './context.js';
import { sendHoldFollowup } from './followup.js';
import { offerWaitlistSlot } from './waitlist.js';

const uuid = z.uuid();
const instant = z.iso.datetime({ offset: true });

type Tool<S extends z.ZodType> = { args: S; run: (ctx: ToolContext, call: ToolCall, args: z.infer<S>) => Promise<ActionResult[]> };
const tool = <S extends z.ZodType>(args: S, run: Tool<S>['run']): Tool<S> => ({ args, run });

/**
 * The closed registry of orchestrator tools: the eight the autonomous side may call, plus the staff
 * escalation they end in. Nothing else can be called; each call is validated, gated and recorded.
 */
export const orchestratorTools = {
  send_confirmation: tool(z.object({ appointmentId: uuid }), sendConfirmation),
  send_reschedule_notice: tool(z.object({ appointmentId: uuid, previousStart: instant.optional() }), sendRescheduleNotice),
  send_cancellation_notice: tool(z.object({ appointmentId: uuid }), sendCancellationNotice),
  schedule_reminders: tool(z.object({ appointmentId: uuid }), scheduleReminders),
  send_reminder: tool(z.object({ appointmentId: uuid, offset: z.string().min(1).max(10), start: instant }), sendReminder),
  send_hold_followup: tool(z.object({ holdId: uuid }), sendHoldFollowup),
  offer_waitlist_slot: tool(z.object({ serviceId: uuid, resourceId: uuid.nullish(), start: instant, end: instant.optional() }), offerWaitlistSlot),
  retry_calendar_sync: tool(z.object({ appointmentId: uuid, attempt: z.number().int().min(1).max(20), error: z.string().max(1000).optional() }), retryCalendarSync),
  escalate_to_staff: tool(z.object({ kind: z.string().min(1).max(100), subjectId: uuid.nullish(), summary: z.string().min(1).max(1000) }), escalateToStaff),
} as const;

export type OrchestratorToolName = keyof typeof orchestratorTools;
export const orchestratorToolNames = Object.keys(orchestratorTools) as OrchestratorToolName[];

/** Calls one registry tool by name with raw arguments: UNKNOWN_TOOL or VALIDATION (naming the field) otherwise. */
export async function callTool(ctx: ToolContext, call: ToolCall, request: { name: string; args: unknown }): Promise<ActionResult[]> {
  const { name, args: rawArgs } = request;
  if (!Object.hasOwn(orchestratorTools, name)) throw new AutonomyError('UNKNOWN_TOOL', `No orchestrator tool named ${JSON.stringify(name).slice(0, 60)}`);
  const entry = orchestratorTools[name as OrchestratorToolName] as Tool<z.ZodType>;
  const parsed = entry.args.safeParse(rawArgs);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'args';
    throw new AutonomyError('VALIDATION', `${name}: ${field}: ${issue.message}`, { field });
  }
  return entry.run(ctx, call, parsed.data);
}
