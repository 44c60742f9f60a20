/** The closed catalogue of domain events. Each is written in the same transaction as its change. */
export const domainEventTypes = [
  'booking.created',
  'booking.rescheduled',
  'booking.cancelled',
  'hold.created',
  'hold.expired',
  'hold.released',
  'waitlist.joined',
  'slot.opened',
  'waitlist.offered',
  'reminder.due',
  'calendar.sync_failed',
  'followup.requested',
  // The hand-off to a person (@gomomo/agent): the console's badge and the widget's staff replies.
  'conversation.needs_staff',
  'conversation.taken_over',
  'conversation.handed_back',
  'conversation.staff_replied',
  'conversation.customer_wrote',
] as const;

export type DomainEventType = (typeof domainEventTypes)[number];

/**
 * A fact that happened. Payloads carry ids, times and references, never contact details: the
 * rows they point to hold those, behind Row-Level Security.
 */
export interface DomainEvent {
  id: number;
  tenantId: string;
  type: DomainEventType;
  subjectId: string | null;
  sessionId: string | null;
  payload: Record<string, unknown>;
  occurredAt: string;
}

export interface NewDomainEvent {
  tenantId: string;
  type: DomainEventType;
  subjectId?: string | null;
  sessionId?: string | null;
  payload?: Record<string, unknown>;
  occurredAt: Date;
}
