import type { ActionResult } from '../policy/gate.js';
import { addJob } from '../queue/add-job.js';
import type { CalendarAppointment } from '../calendar/provider.js';
import { loadAppointment, type AppointmentView } from './appointment.js';
import type { ToolCall, ToolContext } from './context.js';

/** escalate_to_staff: something needs a person; recorded where staff look. */
export async function escalateToStaff(ctx: ToolContext, call: ToolCall, args: { kind: string; subjectId?: string | null; summary: string }): Promise<ActionResult[]> {
  const result = await ctx.gate.run(
    call,
    { tenantId: call.tenantId, tool: 'escalate_to_staff', args, subject: { bookingId: args.subjectId ?? undefined }, entityId: args.subjectId },
    async () => {
      const { rows } = await call.client.query<{ id: string }>(
        'INSERT INTO staff_escalations (tenant_id, kind, subject_id, summary) VALUES ($1, $2, $3, $4) RETURNING id',
        [call.tenantId, args.kind, args.subjectId ?? null, args.summary.slice(0, 1000)],
      );
      return { outcome: 'done', detail: { escalationId: rows[0]!.id } };
    },
  );
  return [result.outcome === 'denied' ? { outcome: 'skipped', reason: result.reason } : result];
}

/**
 * retry_calendar_sync: schedules attempt `attempt` (1-based) after the configured delay
 * (30 s → 120 s → 480 s). Past the last delay it escalates to staff instead.
 */
export async function retryCalendarSync(ctx: ToolContext, call: ToolCall, args: { appointmentId: string; attempt: number; error?: string | undefined }): Promise<ActionResult[]> {
  const delays = ctx.config.calendarRetryDelaysMs;
  if (args.attempt > delays.length) {
    await call.client.query(
      `INSERT INTO calendar_sync_attempts (tenant_id, appointment_id, attempts, status, last_error) VALUES ($1, $2, $3, 'escalated', $4)
       ON CONFLICT (tenant_id, appointment_id) DO UPDATE SET status = 'escalated', attempts = EXCLUDED.attempts, last_error = EXCLUDED.last_error, updated_at = now()`,
      [call.tenantId, args.appointmentId, args.attempt - 1, args.error ?? ''],
    );
    return escalateToStaff(ctx, call, {
      kind: 'calendar_sync_failed',
      subjectId: args.appointmentId,
      summary: `Calendar sync failed ${delays.length} times for appointment ${args.appointmentId}: ${args.error ?? 'unknown error'}`,
    });
  }
  const result = await ctx.gate.run(
    call,
    { tenantId: call.tenantId, tool: 'retry_calendar_sync', args, subject: { bookingId: args.appointmentId }, entityId: args.appointmentId },
    async () => {
      const runAt = new Date(ctx.clock.now().getTime() + delays[args.attempt - 1]!);
      await addJob(call.client, {
        task: 'calendar_sync',
        payload: { tenantId: call.tenantId, appointmentId: args.appointmentId, attempt: args.attempt },
        runAt,
        jobKey: `calendar_sync:${args.appointmentId}`,
      });
      return { outcome: 'done', detail: { attempt: args.attempt, runAt: runAt.toISOString() } };
    },
  );
  return [result.outcome === 'denied' ? { outcome: 'skipped', reason: result.reason } : result];
}

/** The calendar_sync job: one attempt against the provider; a failure schedules the next or escalates. */
export async function runCalendarSync(ctx: ToolContext, call: ToolCall, args: { appointmentId: string; attempt: number }): Promise<ActionResult[]> {
  const appointment = await loadAppointment(call.client, call.tenantId, args.appointmentId);
  if (!appointment) return [{ outcome: 'skipped', reason: 'appointment not found' }];
  try {
    await ctx.calendar.sync(calendarAppointmentOf(appointment));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A revoked grant or a vanished calendar: no retry can help, staff hear of it now.
    const nextAttempt = ctx.calendar.isPermanent?.(error) ? ctx.config.calendarRetryDelaysMs.length + 1 : args.attempt + 1;
    await call.client.query(
      `INSERT INTO calendar_sync_attempts (tenant_id, appointment_id, attempts, last_error) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, appointment_id) DO UPDATE SET attempts = EXCLUDED.attempts, status = 'retrying', last_error = EXCLUDED.last_error, updated_at = now()`,
      [call.tenantId, appointment.id, args.attempt, message.slice(0, 1000)],
    );
    return retryCalendarSync(ctx, call, { appointmentId: appointment.id, attempt: nextAttempt, error: message });
  }
  await call.client.query(
    `INSERT INTO calendar_sync_attempts (tenant_id, appointment_id, attempts, status) VALUES ($1, $2, $3, 'synced')
     ON CONFLICT (tenant_id, appointment_id) DO UPDATE SET attempts = EXCLUDED.attempts, status = 'synced', last_error = '', updated_at = now()`,
    [call.tenantId, appointment.id, args.attempt],
  );
  return [{ outcome: 'done', detail: { provider: ctx.calendar.name } }];
}

/**
 * What the provider is told: the reference and the customer's first name, and contact details
 * only when the tenant opted in (`settings.calendarContactDetails: true`) — a staff calendar is
 * often shared wider than the booking system.
 */
function calendarAppointmentOf(appointment: AppointmentView): CalendarAppointment {
  return {
    tenantId: appointment.tenantId,
    appointmentId: appointment.id,
    resourceId: appointment.resourceId,
    reference: appointment.reference,
    start: appointment.start,
    end: appointment.end,
    status: appointment.status,
    serviceName: appointment.serviceName,
    clientFirstName: appointment.clientName.trim().split(/\s+/)[0] ?? '',
    ...(appointment.isContactSharedWithCalendar ? { contact: { name: appointment.clientName, email: appointment.clientEmail, phone: appointment.clientPhone } } : {}),
  };
}

/**
 * calendar_sync_now: a booking was created, moved or cancelled; mirror it at once (attempt 0, so
 * a failure then waits 30 s → 120 s → 480 s before staff hear of it). Nothing when the tenant's
 * calendar is the database.
 */
export async function scheduleCalendarSync(ctx: ToolContext, call: ToolCall, appointmentId: string | undefined): Promise<ActionResult[]> {
  if (ctx.calendar.name === 'database' || !appointmentId) return [];
  await addJob(call.client, { task: 'calendar_sync', payload: { tenantId: call.tenantId, appointmentId, attempt: 0 }, runAt: ctx.clock.now(), jobKey: `calendar_sync:${appointmentId}` });
  return [{ outcome: 'done', reason: 'calendar sync scheduled' }];
}
