import type { DomainEvent, DomainEventType } from '@gomomo/core';
import type { ActionResult } from '../policy/gate.js';
import { addJob } from '../queue/add-job.js';
import type { ToolCall, ToolContext } from '../tools/context.js';
import { scheduleCalendarSync } from '../tools/calendar.js';
import { callTool } from '../tools/registry.js';
import { settleOffer } from '../tools/waitlist-lapse.js';

type Handler = (ctx: ToolContext, call: ToolCall, event: DomainEvent) => Promise<ActionResult[]>;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const appointmentIdOf = (event: DomainEvent): string | undefined => str(event.payload.appointmentId) ?? event.subjectId ?? undefined;
const holdIdOf = (event: DomainEvent): string | undefined => str(event.payload.holdId) ?? event.subjectId ?? undefined;
const none: Handler = async () => [];

/**
 * The events no handler acts on. They become no job at all (issue 15: hold.created's job was half
 * of a booking's worker cost, for a "nothing to do" receipt). The enqueue trigger's WHEN clause
 * (migration 0182) and `gomomo_event_needs_job` (0180, for the catch-up) list the same types, and a
 * test keeps the three equal.
 */
export const eventTypesWithoutWork: ReadonlySet<DomainEventType> = new Set<DomainEventType>([
  'hold.created',
  'waitlist.joined',
  'waitlist.offered',
  'conversation.taken_over',
  'conversation.handed_back',
  'conversation.staff_replied',
  'conversation.customer_wrote',
]);

/**
 * What each domain event sets in motion. Every action goes through a registry tool (validated,
 * gated by policy, recorded). Events with nothing to do (`eventTypesWithoutWork`) are never
 * enqueued; one that reaches a handler anyway (a job from before migration 0180) is receipted.
 */
export const eventHandlers: Record<DomainEventType, Handler> = {
  'booking.created': async (ctx, call, event) => [
    ...(await callTool(ctx, call, { name: 'send_confirmation', args: { appointmentId: appointmentIdOf(event) } })),
    ...(await callTool(ctx, call, { name: 'schedule_reminders', args: { appointmentId: appointmentIdOf(event) } })),
    // A booking made on a waitlist offer's hold: the entry is booked.
    ...(str(event.payload.holdId) ? await settleOffer(ctx, call, str(event.payload.holdId)!) : []),
    ...(await scheduleCalendarSync(ctx, call, appointmentIdOf(event))),
  ],
  'booking.rescheduled': async (ctx, call, event) => {
    const previous = event.payload.previous as { start?: string } | undefined;
    return [
      ...(await callTool(ctx, call, { name: 'send_reschedule_notice', args: { appointmentId: appointmentIdOf(event), ...(previous?.start ? { previousStart: previous.start } : {}) } })),
      // Same job keys as before: the old reminders are replaced by ones for the new time.
      ...(await callTool(ctx, call, { name: 'schedule_reminders', args: { appointmentId: appointmentIdOf(event) } })),
      ...(await scheduleCalendarSync(ctx, call, appointmentIdOf(event))),
    ];
  },
  'booking.cancelled': async (ctx, call, event) => [
    ...(await callTool(ctx, call, { name: 'send_cancellation_notice', args: { appointmentId: appointmentIdOf(event) } })),
    ...(await scheduleCalendarSync(ctx, call, appointmentIdOf(event))),
  ],
  // A new hold needs nothing yet; its expiry is what may need a follow-up.
  'hold.created': none,
  // A waitlist offer given back goes to the next person in line.
  'hold.released': async (ctx, call, event) => {
    const holdId = holdIdOf(event);
    return holdId ? settleOffer(ctx, call, holdId) : [];
  },
  'hold.expired': async (ctx, call, event) => {
    const holdId = holdIdOf(event);
    if (!holdId) return [{ outcome: 'skipped', reason: 'event names no hold' }];
    // A lapsed waitlist offer goes to the next person; it needs no "still interested?" follow-up.
    const offer = await settleOffer(ctx, call, holdId);
    if (offer.length > 0) return offer;
    // The cooldown: ask after 30 minutes, in case the customer comes back and books on their own.
    const runAt = new Date(new Date(event.occurredAt).getTime() + ctx.config.holdFollowupCooldownMs);
    await addJob(call.client, { task: 'hold_followup', payload: { tenantId: call.tenantId, holdId, eventId: event.id }, runAt, jobKey: `hold_followup:${holdId}`, jobKeyMode: 'preserve_run_at' });
    return [{ outcome: 'done', reason: 'follow-up scheduled', detail: { runAt: runAt.toISOString() } }];
  },
  'followup.requested': async (ctx, call, event) => {
    const holdId = holdIdOf(event);
    return holdId ? callTool(ctx, call, { name: 'send_hold_followup', args: { holdId } }) : [{ outcome: 'skipped', reason: 'event names no hold' }];
  },
  // Joining is confirmed in the conversation itself; offers follow slot.opened.
  'waitlist.joined': none,
  // Written by offer_waitlist_slot itself: the push half of an offer, for the conversation's SSE
  // subscribers. Its SMS/email went out with the offer; nothing more to do.
  'waitlist.offered': none,
  'slot.opened': async (ctx, call, event) =>
    callTool(ctx, call, { name: 'offer_waitlist_slot', args: {
      serviceId: event.payload.serviceId,
      resourceId: str(event.payload.resourceId) ?? null,
      start: event.payload.start,
      ...(str(event.payload.end) ? { end: event.payload.end } : {}),
    } }),
  'reminder.due': async (ctx, call, event) =>
    callTool(ctx, call, { name: 'send_reminder', args: { appointmentId: appointmentIdOf(event), offset: str(event.payload.offset) ?? 'due', start: event.payload.start } }),
  // The hand-off to a person: the on-duty contact is told; the console's badge is the event itself.
  'conversation.needs_staff': async (ctx, call, event) =>
    event.sessionId
      ? callTool(ctx, call, { name: 'notify_on_duty', args: { sessionId: event.sessionId, channel: str(event.payload.channel) ?? 'web', reason: str(event.payload.reason) ?? 'asked', eventId: event.id } })
      : [{ outcome: 'skipped', reason: 'event names no conversation' }],
  // Staff's own actions: the console shows them; an SMS reply went out in the reply's transaction.
  'conversation.taken_over': none,
  'conversation.handed_back': none,
  'conversation.staff_replied': none,
  'conversation.customer_wrote': none,
  'calendar.sync_failed': async (ctx, call, event) =>
    callTool(ctx, call, { name: 'retry_calendar_sync', args: { appointmentId: appointmentIdOf(event), attempt: 1, ...(str(event.payload.error) ? { error: event.payload.error } : {}) } }),
};
