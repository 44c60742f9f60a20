import { listOutboxMessages, outboxStatuses, retryOutboxMessage, type OutboxMessage } from '@gomomo/channels';
import { BookingError } from '@gomomo/core';
import { appendAudit } from '@gomomo/policy';
import { z } from 'zod';
import { depsOf } from '../trpc/context.js';
import { router } from '../trpc/init.js';
import { staffProcedure } from './auth.js';

/** A message as the console lists it: no body or attachments, just what staff need to act. */
function listed(m: OutboxMessage) {
  return {
    id: m.id,
    channel: m.channel,
    template: m.template,
    recipient: m.recipient,
    subject: m.subject,
    status: m.status,
    attempts: m.attempts,
    maxAttempts: m.maxAttempts,
    lastError: m.lastError,
    provider: m.provider,
    providerMessageId: m.providerMessageId,
    appointmentId: m.appointmentId,
    createdAt: new Date(m.createdAt).toISOString(),
    sentAt: m.sentAt ? new Date(m.sentAt).toISOString() : null,
  };
}

/** The channels outbox, newest first, and a retry for failures (audited with the staff id). */
export const consoleMessagesRouter = router({
  list: staffProcedure.input(z.object({ status: z.enum(outboxStatuses).optional(), limit: z.number().int().min(1).max(500).default(100) })).query(async ({ ctx, input }) => {
    const messages = await listOutboxMessages(depsOf(ctx).pool, { tenantId: ctx.tenantId, status: input.status, limit: input.limit });
    return messages.map(listed);
  }),
  retry: staffProcedure.input(z.object({ messageId: z.uuid({ message: 'must be a UUID' }) })).mutation(async ({ ctx, input }) => {
    const { pool, clock } = depsOf(ctx);
    const message = await retryOutboxMessage(pool, { tenantId: ctx.tenantId, messageId: input.messageId, now: clock.now() });
    if (!message) throw new BookingError('NOT_FOUND', `messageId: no failed message ${input.messageId} to retry here`, { field: 'messageId' });
    await appendAudit(pool, {
      tenantId: ctx.tenantId,
      actor: 'staff',
      channel: 'system',
      action: 'message.retry',
      outcome: 'succeeded',
      subjectId: message.id,
      details: { staffId: ctx.staffId, channel: message.channel, template: message.template },
      occurredAt: clock.now(),
    });
    return listed(message);
  }),
});
