import { z } from 'zod';

const uuid = z.uuid();
const instant = z.iso.datetime({ offset: true });

/** What each orchestrator tool does, the policy action it needs, and its argument schema. */
export const orchestratorToolSpecs = {
  send_confirmation: { action: 'notify.email', description: 'Confirm a new booking by email (with an .ics) and SMS.', args: z.object({ appointmentId: uuid }) },
  send_reschedule_notice: {
    action: 'notify.email',
    description: 'Tell the customer their booking moved, with an updated invitation.',
    args: z.object({ appointmentId: uuid, previousStart: instant.optional() }),
  },
  send_cancellation_notice: { action: 'notify.email', description: 'Tell the customer their booking is cancelled; withdraw its reminders.', args: z.object({ appointmentId: uuid }) },
  schedule_reminders: { action: 'reminder.schedule', description: 'Schedule the reminders before a booking (e.g. 24 h and 2 h), skipping past ones.', args: z.object({ appointmentId: uuid }) },
  send_reminder: {
    action: 'notify.email',
    description: 'Remind the customer of a booking that has not moved since the reminder was made.',
    args: z.object({ appointmentId: uuid, offset: z.string().min(1).max(10), start: instant, changeSeq: z.number().int().min(1).optional() }),
  },
  send_hold_followup: { action: 'followup.send', description: 'One follow-up after a hold lapsed without a booking, if we have contact details.', args: z.object({ holdId: uuid }) },
  offer_waitlist_slot: {
    action: 'waitlist.offer',
    description: 'Offer an opened slot to the first matching waitlist entry, with a hold of its own.',
    args: z.object({ serviceId: uuid, resourceId: uuid.nullish(), start: instant, end: instant.optional() }),
  },
  retry_calendar_sync: {
    action: 'calendar.sync',
    description: 'Schedule the next calendar sync attempt (30 s → 120 s → 480 s), then escalate.',
    args: z.object({ appointmentId: uuid, attempt: z.number().int().min(1).max(20), error: z.string().max(1000).optional() }),
  },
  escalate_to_staff: {
    action: 'staff.escalate',
    description: 'Hand something the autonomous side could not do to a person.',
    args: z.object({ kind: z.string().min(1).max(100), subjectId: uuid.nullish(), summary: z.string().min(1).max(1000) }),
  },
  notify_on_duty: {
    action: 'staff.escalate',
    description: "Tell the tenant's on-duty contact (email and/or SMS) that a conversation needs a person.",
    args: z.object({ sessionId: z.string().min(1).max(200), channel: z.enum(['web', 'sms', 'voice']), reason: z.enum(['asked', 'failures']), eventId: z.number().int().min(1) }),
  },
} as const;

export type OrchestratorToolName = keyof typeof orchestratorToolSpecs;
export type ToolArgs<N extends OrchestratorToolName> = z.infer<(typeof orchestratorToolSpecs)[N]['args']>;
