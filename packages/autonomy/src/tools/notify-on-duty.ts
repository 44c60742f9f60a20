import { enqueueOutboxMessage } from '@gomomo/channels';
import { readTenant } from '@gomomo/core';
import { z } from 'zod';
import type { ActionResult } from '../policy/gate.js';
import type { ToolCall, ToolContext } from './context.js';

/**
 * The tenant's on-duty contact (`settings.onDuty`): who is told when a conversation needs a person.
 * Either or both; a malformed value is treated as absent (nothing to notify), never a failed job.
 */
const onDutySchema = z.object({ email: z.email().optional(), phone: z.string().regex(/^\+[1-9]\d{6,14}$/).optional() });

const reasons: Record<string, string> = { asked: 'asked for a person', failures: 'the receptionist could not help twice in a row' };

/**
 * notify_on_duty: a conversation needs staff (`conversation.needs_staff`); the on-duty contact gets
 * an email and/or an SMS through the outbox, each authorised as its own `notify.<channel>`. The
 * message names the conversation, never the customer's contact details: those stay in the console.
 */
export async function notifyOnDuty(ctx: ToolContext, call: ToolCall, args: { sessionId: string; channel: string; reason: string; eventId: number }): Promise<ActionResult[]> {
  const tenant = await readTenant(call.client, call.tenantId);
  const parsed = onDutySchema.safeParse(tenant.settings.onDuty ?? {});
  const onDuty = parsed.success ? parsed.data : {};
  const targets = [...(onDuty.email ? [{ channel: 'email' as const, recipient: onDuty.email }] : []), ...(onDuty.phone ? [{ channel: 'sms' as const, recipient: onDuty.phone }] : [])];
  if (targets.length === 0) return [{ outcome: 'skipped', reason: 'no on-duty contact (settings.onDuty)' }];
  const why = reasons[args.reason] ?? args.reason;
  const body = `${tenant.name}: a customer on ${args.channel} needs a person (${why}). Open the staff console's conversations to take it over. Conversation ${args.sessionId}.`;
  const results: ActionResult[] = [];
  for (const { channel, recipient } of targets) {
    const idempotencyKey = `handoff:${args.eventId}:${channel}`;
    const gated = await ctx.gate.run(
      call,
      { tenantId: call.tenantId, tool: 'notify_on_duty', args, channel, subject: { bookingId: idempotencyKey }, sessionId: args.sessionId },
      async () => {
        const { id, created } = await enqueueOutboxMessage(call.client, {
          tenantId: call.tenantId,
          channel,
          template: 'staff_handoff',
          recipient,
          subject: channel === 'email' ? `A customer needs a person — ${tenant.name}` : null,
          body,
          idempotencyKey,
          isTransactional: true,
        });
        return created ? { outcome: 'done', detail: { outboxId: id, channel } } : { outcome: 'skipped', reason: 'already queued', detail: { outboxId: id, channel } };
      },
    );
    results.push(gated.outcome === 'denied' ? { outcome: 'skipped', reason: gated.reason } : gated);
  }
  return results;
}
