import type { Attachment, Channel } from '../transports/types.js';

/** The life of an outbox row. `delivered`/`undelivered` come from provider receipts after `sent`. */
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
  sentAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
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
}

export const outboxColumns = `id, tenant_id AS "tenantId", channel, template, locale, recipient, subject, body,
  html_body AS "htmlBody", attachments, status, attempts, max_attempts AS "maxAttempts",
  next_attempt_at AS "nextAttemptAt", last_error AS "lastError", provider,
  provider_message_id AS "providerMessageId", idempotency_key AS "idempotencyKey",
  appointment_id AS "appointmentId", is_transactional AS "isTransactional", sent_at AS "sentAt", delivered_at AS "deliveredAt", created_at AS "createdAt"`;
