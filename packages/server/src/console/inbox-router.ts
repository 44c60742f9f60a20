import { createStaffDesk, handoffStates, type StaffDesk, type StaffReplyDelivery } from '@gomomo/agent';
import { enqueueOutboxMessage, findSmsConversationPhone } from '@gomomo/channels';
import type { PoolClient } from '@gomomo/core';
import { redactText } from '@gomomo/policy';
import { z } from 'zod';
import { ServerError } from '../errors/server-error.js';
import { depsOf } from '../trpc/context.js';
import { router } from '../trpc/init.js';
import { staffProcedure, whileSignedIn } from './auth.js';

const sessionIdSchema = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const conversationInput = z.object({ sessionId: sessionIdSchema });

function deskOf(ctx: Parameters<typeof depsOf>[0]): StaffDesk {
  const { pool, clock } = depsOf(ctx);
  return createStaffDesk({ pool, clock });
}

function notFound(): ServerError {
  return new ServerError('SESSION_NOT_FOUND', 'No conversation of your business has this id');
}

/**
 * Sends a staff reply on the customer's channel, inside the reply's transaction. Web: nothing to
 * do here — the stored `conversation.staff_replied` event is pushed to the widget by `chat.events`.
 * SMS, and voice (the call is over; its caller ID is the conversation's contact): through the outbox
 * to the number (the sender applies consent and quiet rules); the message id is the idempotency
 * key, so a retried transaction queues it once.
 */
async function deliverStaffReply(client: PoolClient, reply: StaffReplyDelivery): Promise<void> {
  if (reply.channel === 'web') return;
  const phone = (await findSmsConversationPhone(client, { tenantId: reply.tenantId, sessionId: reply.sessionId })) ?? reply.contact.phone;
  if (!phone) throw new ServerError('BAD_REQUEST', `This ${reply.channel} conversation has no phone number to reply to`);
  await enqueueOutboxMessage(client, { tenantId: reply.tenantId, channel: 'sms', template: 'staff_reply', recipient: phone, body: reply.text, idempotencyKey: `staff-reply:${reply.messageId}`, isTransactional: true });
}

/**
 * The conversations inbox and the hand-off to a person (`console.inbox.*`, issue 17 items 3 and 4):
 * every procedure is a signed-in staff member's, scoped to their business; another business's
 * conversation answers SESSION_NOT_FOUND, as an unknown one does.
 */
export const inboxRouter = router({
  /** Conversations, most recently active first; `handoff` narrows to those waiting for or held by staff. */
  list: staffProcedure
    .input(z.object({ handoff: z.enum(handoffStates).optional(), limit: z.number().int().min(1).max(200).optional(), before: z.string().max(400).optional() }).optional())
    .query(({ ctx, input = {} }) => deskOf(ctx).listConversations({ tenantId: ctx.tenantId, ...input })),
  /** One conversation: the transcript (contacts visible to staff), tool calls and policy decisions. */
  get: staffProcedure.input(conversationInput).query(async ({ ctx, input }) => {
    const found = await deskOf(ctx).readConversation({ tenantId: ctx.tenantId, sessionId: input.sessionId });
    if (!found) throw notFound();
    return found;
  }),
  /** The transcript as text for sharing outside the console: emails, phone numbers and card numbers redacted. */
  export: staffProcedure.input(conversationInput).query(async ({ ctx, input }) => {
    const found = await deskOf(ctx).readConversation({ tenantId: ctx.tenantId, sessionId: input.sessionId });
    if (!found) throw notFound();
    const lines = found.messages.filter((m) => m.role !== 'tool' && !m.toolCalls).map((m) => `[${m.createdAt}] ${m.role === 'user' ? 'customer' : m.role === 'assistant' ? 'receptionist' : 'staff'}: ${redactText(m.content)}`);
    return { sessionId: found.sessionId, channel: found.channel, text: lines.join('\n') };
  }),
  /** Takes the conversation over: the receptionist stays silent in it until it is handed back. */
  takeOver: staffProcedure.input(conversationInput).mutation(async ({ ctx, input }) => {
    const taken = await deskOf(ctx).takeOver({ tenantId: ctx.tenantId, sessionId: input.sessionId, staffId: ctx.staffId });
    if (!taken) throw notFound();
    return taken;
  }),
  /** A reply to the customer, in the conversation's own channel (web push or SMS). */
  reply: staffProcedure
    .input(conversationInput.extend({ text: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters') }))
    .mutation(async ({ ctx, input }) => {
      const sent = await deskOf(ctx).reply({ tenantId: ctx.tenantId, sessionId: input.sessionId, staffId: ctx.staffId, text: input.text, deliver: deliverStaffReply });
      if (!sent) throw notFound();
      return sent;
    }),
  /** Gives the conversation back to the receptionist. */
  handBack: staffProcedure.input(conversationInput).mutation(async ({ ctx, input }) => {
    const back = await deskOf(ctx).handBack({ tenantId: ctx.tenantId, sessionId: input.sessionId, staffId: ctx.staffId });
    if (!back) throw notFound();
    return back;
  }),
  /**
   * Live inbox: every conversation event of the business (a hand-off, a take-over, a staff reply)
   * and turn progress of web chats, as they happen. Carries ids, not transcripts: the console
   * re-reads what changed. Over SSE with the session cookie.
   */
  events: staffProcedure.subscription(async function* ({ ctx, signal }) {
    const live = depsOf(ctx).hub.subscribeTenant({ tenantId: ctx.tenantId, ...(signal ? { signal } : {}) });
    for await (const message of whileSignedIn(ctx, live)) {
      if (message.kind === 'resync') yield { kind: 'resync' as const };
      else if (message.kind === 'turn') yield { kind: 'turn' as const, sessionId: message.sessionId, status: message.event.type === 'status' ? message.event.status : null };
      else if (message.event.type.startsWith('conversation.')) yield { kind: 'conversation' as const, id: message.event.id, type: message.event.type, sessionId: message.event.sessionId };
    }
  }),
});
