import { z } from 'zod';
import { ChannelError } from '../errors.js';
import type { Queryable } from '../internal/db.js';
import { normalizeEmail, normalizePhone } from '../internal/addresses.js';
import type { NewOutboxMessage } from './types.js';

const attachmentSchema = z.object({
  filename: z.string().min(1).max(200),
  contentType: z.string().min(3).max(100),
  content: z.string().max(1_000_000),
});

const newMessageSchema = z.object({
  tenantId: z.uuid(),
  channel: z.enum(['email', 'sms']),
  template: z.string().min(1).max(100),
  locale: z.string().min(2).max(10).optional(),
  recipient: z.string().min(3).max(254),
  subject: z.string().max(500).nullish(),
  body: z.string().min(1).max(100_000),
  htmlBody: z.string().max(500_000).nullish(),
  attachments: z.array(attachmentSchema).max(10).optional(),
  idempotencyKey: z.string().min(1).max(300),
  appointmentId: z.uuid().nullish(),
  maxAttempts: z.number().int().min(1).max(50).optional(),
  sendAt: z.date().optional(),
  isTransactional: z.boolean().optional(),
  about: z
    .object({ appointmentId: z.uuid(), changeSeq: z.number().int().min(1), status: z.enum(['booked', 'cancelled']) })
    .optional(),
  sendBefore: z.date().optional(),
  aboutHold: z.object({ holdId: z.uuid() }).optional(),
});

function parseMessage(input: NewOutboxMessage): z.infer<typeof newMessageSchema> {
  const parsed = newMessageSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || 'message';
  throw new ChannelError('VALIDATION', `${field}: ${issue.message}`, { field });
}

/**
 * Queues one message inside the caller's transaction, so it commits with the change that caused it.
 * A second message with the same idempotency key is ignored: `created` is false and the existing
 * row's id is returned.
 */
export async function enqueueOutboxMessage(client: Queryable, input: NewOutboxMessage): Promise<{ id: string; created: boolean }> {
  const message = parseMessage(input);
  const recipient = message.channel === 'email' ? normalizeEmail(message.recipient) : normalizePhone(message.recipient);
  if (!recipient) {
    throw new ChannelError('VALIDATION', `recipient: not a valid ${message.channel === 'email' ? 'email address' : 'E.164 phone number'}`, { field: 'recipient' });
  }
  if (message.about && message.appointmentId && message.appointmentId !== message.about.appointmentId) {
    throw new ChannelError('VALIDATION', 'about.appointmentId: differs from appointmentId', { field: 'about.appointmentId' });
  }
  if (message.channel === 'email' && !message.subject) {
    throw new ChannelError('VALIDATION', 'subject: an email needs a subject', { field: 'subject' });
  }
  // Named, so each connection parses and plans it once (issue 15: it was planned on every message).
  const { rows } = await client.query<{ id: string }>({
    name: 'channels_enqueue_outbox',
    text: `INSERT INTO notification_outbox (tenant_id, channel, template, locale, recipient, subject, body, html_body, attachments,
                                      idempotency_key, appointment_id, max_attempts, next_attempt_at, is_transactional,
                                      appointment_change_seq, appointment_status, send_before, hold_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, coalesce($13, now()), $14, $15, $16, $17, $18)
     ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
     RETURNING id`,
    values: [
      message.tenantId,
      message.channel,
      message.template,
      message.locale ?? 'en',
      recipient,
      message.subject ?? null,
      message.body,
      message.htmlBody ?? null,
      JSON.stringify(message.attachments ?? []),
      message.idempotencyKey,
      message.about?.appointmentId ?? message.appointmentId ?? null,
      message.maxAttempts ?? 5,
      message.sendAt ?? null,
      message.isTransactional ?? true,
      message.about?.changeSeq ?? null,
      message.about?.status ?? null,
      message.sendBefore ?? null,
      message.aboutHold?.holdId ?? null,
    ],
  });
  if (rows[0]) return { id: rows[0].id, created: true };
  const existing = await client.query<{ id: string }>({
    name: 'channels_enqueued_outbox_id',
    text: 'SELECT id FROM notification_outbox WHERE tenant_id = $1 AND idempotency_key = $2',
    values: [message.tenantId, message.idempotencyKey],
  });
  return { id: existing.rows[0]!.id, created: false };
}
