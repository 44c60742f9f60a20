import type { Attachment, Channel } from '../transports/types.js';

/**
 * The life of an outbox row. `delivered`/`undelivered` come from provider receipts after `sent`;
 * `obsolete` is a message that no longer matched the truth when its turn came (see `MessageTopic`).
 */
export const outboxStatuses = [
  'pending',
  'sending',
  'sent',
  'failed',
  'permanently_failed',
  'rate_limited',
  'suppressed',
  'opted_out',
  'delivered',
  'undelivered',
  'obsolete',
] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

export interface OutboxMessage {
  id: string;
  tenantId: string;
  channel: Channel;
  template: string;
  locale: string;
  recipient: string;
  subject: string | null;
  body: string;
  htmlBody: string | null;
  attachments: Attachment[];
  status: OutboxStatus;
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  provider: string | null;
  providerMessageId: string | null;
  idempotencyKey: string;
  appointmentId: string | null;
  /** False for SMS that must wait for the recipient's daytime (quiet hours). */
  isTransactional: boolean;
  /** The appointment's change sequence the message describes (null: not re-checked). */
  appointmentChangeSeq: number | null;
  /** The appointment status the message presumes. */
  appointmentStatus: 'booked' | 'cancelled' | null;
  /** Past this, the message is useless: it ends `obsolete` instead of being sent. */
  sendBefore: Date | null;
  /** For a hold follow-up: the lapsed hold, re-checked at send time. */
  holdId: string | null;
  sentAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

/**
 * What a message about an appointment describes; its `template` says what kind of message it is.
 * The sender re-reads the appointment when it claims the message (core's `gomomo_appointment_state`): a
 * message whose appointment was cancelled, moved or otherwise changed since (another change
 * sequence), or — for a `booked` message — has started, ends `obsolete` and is never sent.
 */
export interface MessageTopic {
  appointmentId: string;
  /** The appointment's `changeSeq` when the message was written. */
  changeSeq: number;
  /** 'booked' for confirmations, reschedule notices and reminders; 'cancelled' for a cancellation notice. */
  status: 'booked' | 'cancelled';
}

export interface NewOutboxMessage {
  tenantId: string;
  channel: Channel;
  template: string;
  locale?: string | undefined;
  recipient: string;
  subject?: string | null | undefined;
  body: string;
  htmlBody?: string | null | undefined;
  attachments?: Attachment[] | undefined;
  /** Unique per tenant: (booking, template, channel[, what makes a repeat different]). */
  idempotencyKey: string;
  appointmentId?: string | null | undefined;
  maxAttempts?: number | undefined;
  /** Not before this time (default: now). */
  sendAt?: Date | undefined;
  /**
   * Default true: the confirmation of something the customer just did, or a reply — goes at once.
   * False (reminders, follow-ups, offers): an SMS is held until the tenant's quiet hours end on the
   * recipient's clock (08:00–21:00 by default).
   */
  isTransactional?: boolean | undefined;
  /** The appointment this message describes, re-checked at send time (sets `appointmentId`). */
  about?: MessageTopic | undefined;
  /**
   * The message's deadline (a reminder: the appointment's start; an offer: its hold's expiry). Not
   * sent at or after it, and quiet hours never hold it past it: it ends `obsolete` instead.
   */
  sendBefore?: Date | undefined;
  /**
   * A follow-up of this lapsed hold: ends `obsolete` instead of being sent once the hold was
   * confirmed or its conversation booked anything since it took the hold.
   */
  aboutHold?: { holdId: string } | undefined;
}

export const outboxColumns = `id, tenant_id AS "tenantId", channel, template, locale, recipient, subject, body,
  html_body AS "htmlBody", attachments, status, attempts, max_attempts AS "maxAttempts",
  next_attempt_at AS "nextAttemptAt", last_error AS "lastError", provider,
  provider_message_id AS "providerMessageId", idempotency_key AS "idempotencyKey",
  appointment_id AS "appointmentId", is_transactional AS "isTransactional",
  appointment_change_seq AS "appointmentChangeSeq", appointment_status AS "appointmentStatus", send_before AS "sendBefore", hold_id AS "holdId", sent_at AS "sentAt", delivered_at AS "deliveredAt", created_at AS "createdAt"`;
