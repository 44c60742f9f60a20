import { queueJobs, withdrawJobs } from '../queue/add-job.js';
import type { ActionResult } from '../policy/gate.js';
import { loadAppointment, templateDataOf, type AppointmentView } from './appointment.js';
import type { ToolCall, ToolContext } from './context.js';
import { queueNotification, type NotificationInput } from './notify.js';

const skipped = (reason: string): ActionResult[] => [{ outcome: 'skipped', reason }];

function offsetLabel(ms: number): string {
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${Math.round(ms / 60_000)}m`;
}

// The appointments one tool call (one transaction) has read. booking.created runs the confirmation
// and the reminders in one transaction, and neither changes the appointment: the second tool reuses
// the first one's read instead of another round trip (issue 15).
const readInCall = new WeakMap<ToolCall, Map<string, Promise<AppointmentView | null>>>();

/**
 * Keeps an appointment the caller already read in this call's transaction (the statement that
 * claimed the event reads the booking it is about), so the tools read it no more.
 */
export function rememberAppointment(call: ToolCall, appointmentId: string, appointment: AppointmentView | null): void {
  readsOf(call).set(appointmentId, Promise.resolve(appointment));
}

function readsOf(call: ToolCall): Map<string, Promise<AppointmentView | null>> {
  const reads = readInCall.get(call) ?? new Map<string, Promise<AppointmentView | null>>();
  readInCall.set(call, reads);
  return reads;
}

function loadOnce(call: ToolCall, appointmentId: string): Promise<AppointmentView | null> {
  const reads = readsOf(call);
  const read = reads.get(appointmentId) ?? loadAppointment(call.client, call.tenantId, appointmentId);
  reads.set(appointmentId, read);
  return read;
}

/** The appointment, or why there is nothing to do for it. */
async function loadBooked(call: ToolCall, appointmentId: string): Promise<AppointmentView | ActionResult[]> {
  const appointment = await loadOnce(call, appointmentId);
  if (!appointment) return skipped('appointment not found');
  if (appointment.status !== 'booked') return skipped('appointment is no longer booked');
  return appointment;
}

type NoticeInput = Pick<NotificationInput, 'tool' | 'args' | 'template' | 'data' | 'key' | 'invitation' | 'isTransactional' | 'sendBefore'>;

/**
 * A message about a booking, to every contact on it. It names the appointment's change sequence
 * and the status it describes, so the sender drops it (`obsolete`) if either is no longer true.
 */
function queueBookingNotice(ctx: ToolContext, call: ToolCall, notice: NoticeInput & { appointment: AppointmentView; presumes?: 'booked' | 'cancelled' }): Promise<ActionResult[]> {
  const { appointment, presumes, ...rest } = notice;
  return queueNotification(ctx, call, {
    ...rest,
    about: { appointmentId: appointment.id, changeSeq: appointment.changeSeq, status: presumes ?? 'booked' },
    sessionId: appointment.sessionId ?? undefined,
    locale: appointment.locale,
    email: appointment.clientEmail,
    phone: appointment.clientPhone,
    appointmentId: appointment.id,
  });
}

/** send_confirmation: email (with .ics) and SMS for a new booking, once per booking. */
export async function sendConfirmation(ctx: ToolContext, call: ToolCall, args: { appointmentId: string }): Promise<ActionResult[]> {
  const appointment = await loadBooked(call, args.appointmentId);
  if (Array.isArray(appointment)) return appointment;
  return queueBookingNotice(ctx, call, {
    appointment,
    tool: 'send_confirmation',
    args,
    isTransactional: true,
    template: 'confirmation',
    data: templateDataOf(appointment),
    key: `${appointment.id}:confirmation`,
    invitation: { uid: `${appointment.id}@gomomo`, sequence: 0 },
  });
}

/**
 * send_reschedule_notice: one per change of the appointment (keyed by its change sequence, not its
 * start: A → B → A → B is three notices), with an updated invitation.
 */
export async function sendRescheduleNotice(ctx: ToolContext, call: ToolCall, args: { appointmentId: string; previousStart?: string | undefined }): Promise<ActionResult[]> {
  const appointment = await loadBooked(call, args.appointmentId);
  if (Array.isArray(appointment)) return appointment;
  // The change sequence identifies the reschedule, so replaying the same event is a no-op, and it
  // only grows, as the invitation's SEQUENCE must (RFC 5546 §2.1.4).
  const sequence = appointment.changeSeq;
  return queueBookingNotice(ctx, call, {
    appointment,
    tool: 'send_reschedule_notice',
    args,
    isTransactional: true,
    template: 'reschedule',
    data: { ...templateDataOf(appointment), previousStart: args.previousStart ?? null },
    key: `${appointment.id}:reschedule:${appointment.changeSeq}`,
    invitation: { uid: `${appointment.id}@gomomo`, sequence },
  });
}

/** send_cancellation_notice: once per booking; pending reminders are withdrawn in the same transaction. */
export async function sendCancellationNotice(ctx: ToolContext, call: ToolCall, args: { appointmentId: string }): Promise<ActionResult[]> {
  const appointment = await loadOnce(call, args.appointmentId);
  if (!appointment) return skipped('appointment not found');
  withdrawJobs(call.pendingJobs, ctx.config.reminderOffsetsMs.map((offset) => `reminder:${appointment.id}:${offsetLabel(offset)}`));
  return queueBookingNotice(ctx, call, {
    appointment,
    tool: 'send_cancellation_notice',
    args,
    isTransactional: true,
    template: 'cancellation',
    presumes: 'cancelled',
    data: templateDataOf(appointment),
    key: `${appointment.id}:cancellation`,
  });
}

/**
 * schedule_reminders: one job per offset (24 h and 2 h before), keyed per appointment and offset so
 * a reschedule replaces them; offsets already in the past are skipped.
 */
export async function scheduleReminders(ctx: ToolContext, call: ToolCall, args: { appointmentId: string }): Promise<ActionResult[]> {
  const appointment = await loadBooked(call, args.appointmentId);
  if (Array.isArray(appointment)) return appointment;
  const gated = await ctx.gate.run(
    call,
    { tenantId: call.tenantId, tool: 'schedule_reminders', args, subject: { bookingId: appointment.id }, entityId: appointment.id, sessionId: appointment.sessionId ?? undefined },
    async () => {
      const scheduled: string[] = [];
      const past: string[] = [];
      const now = ctx.clock.now().getTime();
      const jobs: Parameters<typeof queueJobs>[1] = [];
      for (const offset of ctx.config.reminderOffsetsMs) {
        const label = offsetLabel(offset);
        const runAt = new Date(new Date(appointment.start).getTime() - offset);
        const jobKey = `reminder:${appointment.id}:${label}`;
        if (runAt.getTime() <= now) {
          past.push(label);
          continue;
        }
        jobs.push({ task: 'send_reminder', payload: { tenantId: call.tenantId, appointmentId: appointment.id, offset: label, start: appointment.start, changeSeq: appointment.changeSeq }, runAt, jobKey });
        scheduled.push(label);
      }
      // A reschedule into the last hours: the earlier time's reminders that no longer apply go.
      withdrawJobs(call.pendingJobs, past.map((label) => `reminder:${appointment.id}:${label}`));
      // Written with the call's action records, when its transaction closes (issue 15).
      queueJobs(call.pendingJobs, jobs);
      return { outcome: scheduled.length > 0 ? 'done' : 'skipped', reason: past.length ? `already past: ${past.join(', ')}` : '', detail: { scheduled, past } };
    },
  );
  return [gated.outcome === 'denied' ? { outcome: 'skipped', reason: gated.reason } : gated];
}

/**
 * send_reminder: only if the appointment is still booked as it was when the reminder was made (same
 * change sequence and start), and before it starts; the message is re-checked again when sent.
 */
export async function sendReminder(ctx: ToolContext, call: ToolCall, args: { appointmentId: string; offset: string; start: string; changeSeq?: number | undefined }): Promise<ActionResult[]> {
  const appointment = await loadBooked(call, args.appointmentId);
  if (Array.isArray(appointment)) return appointment;
  if (new Date(appointment.start).getTime() !== new Date(args.start).getTime()) return skipped('appointment moved; a newer reminder exists');
  if (args.changeSeq !== undefined && args.changeSeq !== appointment.changeSeq) return skipped('appointment changed; a newer reminder exists');
  if (ctx.clock.now().getTime() >= new Date(appointment.start).getTime()) return skipped('appointment already started');
  return queueBookingNotice(ctx, call, {
    appointment,
    tool: 'send_reminder',
    args,
    // Reminders are not a reply to something the customer just did: a 06:00 reminder waits for 08:00
    // on their clock (quiet hours). The 24 h one is due in daytime for daytime bookings anyway.
    isTransactional: false,
    // A reminder after the start is no reminder: quiet hours may delay it, never past the start.
    sendBefore: new Date(appointment.start),
    template: 'reminder',
    data: templateDataOf(appointment),
    key: `${appointment.id}:reminder:${args.offset}:${appointment.changeSeq}`,
  });
}
