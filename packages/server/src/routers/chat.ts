import { sessionTokenSchema, type DomainSessionEvent, type SessionEvent as PortSessionEvent } from '@gomomo/contracts';
import { BookingError, listEvents, type DomainEvent } from '@gomomo/core';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { ServerError } from '../errors/server-error.js';
import { issueStreamTicket } from '../push/stream-tickets.js';
import { publishableProcedure, ticketProcedure } from '../trpc/auth.js';
import { depsOf } from '../trpc/context.js';
import { router } from '../trpc/init.js';
import { namesSession, requireReceptionist, resolveSession, sessionSelector } from './chat-session.js';
import { deviceTokenSchema } from './devices.js';
import { turnResultSchema } from './schemas.js';

/** What a session subscriber receives: stored domain events (resumable) and live turn progress. */
export type SessionEvent = PortSessionEvent<DomainSessionEvent & { type: DomainEvent['type'] }>;

function toSessionEvent(event: DomainEvent): SessionEvent {
  // A staff member's reply (the hand-off to a person) reaches the widget as a message of its own.
  if (event.type === 'conversation.staff_replied') {
    return { kind: 'staff', id: event.id, messageId: Number(event.payload.messageId), text: String(event.payload.text ?? ''), occurredAt: event.occurredAt };
  }
  return { kind: 'domain', id: event.id, type: event.type, subjectId: event.subjectId, payload: event.payload, occurredAt: event.occurredAt };
}

// Reads are GET queries, so their input is in the URL: it never carries the token (that goes in the
// x-gomomo-session header). Mutations may take it in the body too, for callers that cannot set headers.
const readSelector = z.object(sessionSelector);
const bodySelector = z.object({ ...sessionSelector, sessionToken: sessionTokenSchema.optional() });

// A call's conversation as the caller saw it, opened by its handoff link: shown above the opening reply.
const openedHistorySchema = z.object({ role: z.enum(['user', 'assistant', 'staff']), content: z.string(), createdAt: z.string() });

export const chatRouter = router({
  /**
   * One customer message → the receptionist's reply. Without a session it starts a conversation
   * and returns its `sessionToken` once: every later call for it must present the token. Progress
   * is pushed to `chat.events` as it happens.
   */
  send: publishableProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/chat/messages',
        tags: ['chat'],
        protect: true,
        summary: 'Sends a customer message and returns the reply',
        description:
          'Without a session, starts a conversation and returns `sessionToken` once; send it on later calls in the `x-gomomo-session` header (or `sessionToken`). Staff with a secret key may name a conversation by `sessionId`. A new conversation may present a remembered `deviceToken` (`device`: opened or refused); `device: offer` means the widget may offer to remember the proven customer (`devices.remember`).',
      },
    })
    .input(bodySelector.extend({ text: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters'), deviceToken: deviceTokenSchema.optional() }))
    .output(turnResultSchema.extend({ sessionToken: z.string().optional(), device: z.enum(['offer', 'opened', 'refused']).optional() }))
    .mutation(async ({ ctx, input }) => {
      const receptionist = requireReceptionist(ctx);
      const started = namesSession(ctx, input) ? null : await receptionist.startConversation({ tenantId: ctx.tenantId, channel: 'web' });
      const sessionId = started?.sessionId ?? (await resolveSession(ctx, input));
      // A remembered device opens only a new conversation, before its first turn reads the contact.
      const opened = started && input.deviceToken && receptionist.devices ? await receptionist.devices.open({ tenantId: ctx.tenantId, sessionId, token: input.deviceToken, origin: ctx.origin ?? undefined }) : null;
      // Published in order on one chain, and awaited, so subscribers have every event before the reply.
      let publishing = Promise.resolve();
      // Each publish is a NOTIFY (a round trip, and a lock every committing NOTIFY in the cluster
      // queues on): a status the subscribers were just told (the turn's "thinking", then a tool's)
      // is not sent again. The reply's own `events` keep every one.
      let lastStatus: string | undefined;
      const result = await receptionist.handleTurn({
        tenantId: ctx.tenantId,
        sessionId,
        channel: 'web',
        text: input.text,
        clientAddress: ctx.clientAddress,
        onEvent: (event) => {
          const status = event.type === 'status' ? event.status : undefined;
          if (status !== undefined && status === lastStatus) return;
          lastStatus = status;
          publishing = publishing.then(() => depsOf(ctx).hub.publishTurnEvent({ tenantId: ctx.tenantId, sessionId, event })).catch(() => undefined);
        },
      });
      await publishing;
      const device = opened ? (opened.opened ? 'opened' : 'refused') : (await receptionist.devices?.canRemember({ tenantId: ctx.tenantId, sessionId })) ? 'offer' : undefined;
      return { reply: result.reply, sessionId: result.sessionId, events: result.events, ...(started ? { sessionToken: started.token } : {}), ...(device ? { device } : {}) };
    }),
  /**
   * Opens a waitlist offer's link (`#gomomo-offer=<token>` on the tenant's site): spends the
   * single-use token, starts a new conversation holding the offered slot and returns its
   * `sessionToken` once, with the offer's summary as the reply; the customer's yes books it. POST,
   * so the token is in no URL. Unknown, spent, lapsed and other tenants' tokens all answer NOT_FOUND.
   * A call's handoff link ("text me a link") opens the call's own conversation instead, once, with
   * what was said on the phone as `history` (empty for a waitlist offer).
   */
  openOffer: publishableProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/chat/offers',
        tags: ['chat'],
        protect: true,
        summary: 'Opens a waitlist offer link in a new conversation',
        description: 'Spends the offer token from the link; returns `sessionToken` once and the offer summary as `reply`.',
      },
    })
    .input(z.object({ offerToken: z.string().regex(/^gmo_[A-Za-z0-9_-]{43}$/, 'must be the token from the offer link') }))
    .output(turnResultSchema.extend({ sessionToken: z.string(), history: z.array(openedHistorySchema) }))
    .mutation(async ({ ctx, input }) => {
      const receptionist = requireReceptionist(ctx);
      if (!receptionist.openOffer) throw new ServerError('UNAVAILABLE', 'This server\'s receptionist cannot open offer links');
      // Nobody can be subscribed yet (the conversation's token is in this answer), so no live events.
      const opened = await receptionist.openOffer({ tenantId: ctx.tenantId, offerToken: input.offerToken, clientAddress: ctx.clientAddress });
      if (!opened) throw new BookingError('NOT_FOUND', 'This offer link is unknown, already used or expired', { field: 'offerToken' });
      const history = (opened.history ?? []).filter((m): m is typeof m & { role: 'user' | 'assistant' | 'staff' } => m.role !== 'tool');
      return { reply: opened.reply, sessionId: opened.sessionId, events: opened.events, sessionToken: opened.token, history };
    }),
  /** What the customer saw of the conversation (their words and the replies), oldest first. */
  history: publishableProcedure
    .input(readSelector.extend({ limit: z.number().int().min(1).max(200).optional() }).optional())
    .query(async ({ ctx, input = {} }) => {
      const sessionId = await resolveSession(ctx, input);
      const messages = await requireReceptionist(ctx).getHistory({ tenantId: ctx.tenantId, sessionId, ...(input.limit ? { limit: input.limit } : {}) });
      return messages.filter((m) => m.role !== 'tool').map((m) => ({ id: m.id, role: m.role, content: m.content, createdAt: m.createdAt }));
    }),
  /**
   * Polling fallback for `chat.events`, for networks that block SSE: the session's stored events
   * after `afterId` (oldest first, at most `limit`), in the same shape the subscription yields, and
   * the cursor to pass next time. Live turn progress (typing, offered slots) is not stored, so only
   * `kind: 'domain'` events come this way; the turn's own reply carries its events anyway.
   */
  eventsSince: publishableProcedure
    .input(
      readSelector
        .extend({
          afterId: z.union([z.number().int().min(0), z.string().regex(/^\d{1,15}$/, 'must be an event id')]).nullish(),
          limit: z.number().int().min(1).max(500).optional(),
        })
        .optional(),
    )
    .query(async ({ ctx, input = {} }) => {
      const sessionId = await resolveSession(ctx, input);
      const afterId = Number(input.afterId ?? 0);
      const stored = await listEvents(depsOf(ctx).pool, { tenantId: ctx.tenantId, sessionId, afterId, limit: input.limit ?? 100 });
      const events = stored.map(toSessionEvent);
      return { events, lastEventId: String(stored.at(-1)?.id ?? afterId) };
    }),
  /**
   * A single-use ticket that opens the conversation's `chat.events` stream within a minute. An
   * EventSource cannot send headers, so the stream's URL carries this ticket instead of the key and
   * the session token: spent on connect, a logged URL is worthless. Get a new one per (re)connect.
   */
  streamTicket: publishableProcedure
    .input(bodySelector.optional())
    .mutation(async ({ ctx, input = {} }) => {
      const sessionId = await resolveSession(ctx, input);
      const { pool, clock } = depsOf(ctx);
      return issueStreamTicket(pool, { tenantId: ctx.tenantId, sessionId, keyId: ctx.identity.keyId, now: clock.now() });
    }),
  /**
   * The session's events over SSE, opened with a ticket from `chat.streamTicket` in the connection
   * params (`{ ticket }`). Every event is `tracked` with the id of the last stored event, so a client
   * that reconnects (to any instance, with a fresh ticket) and `lastEventId` gets what it missed
   * replayed from the table before live events resume.
   */
  events: ticketProcedure
    .input(z.object({ lastEventId: z.string().regex(/^\d{1,15}$/).nullish() }).optional())
    .subscription(async function* ({ ctx, input = {}, signal }) {
      const { tenantId, sessionId } = ctx.streamGrant;
      const live = depsOf(ctx).hub.subscribe({ tenantId, sessionId, ...(signal ? { signal } : {}) });
      let lastId = Number(input.lastEventId ?? 0);
      async function* replay() {
        for (;;) {
          const missed = await listEvents(depsOf(ctx).pool, { tenantId, sessionId, afterId: lastId, limit: 500 });
          for (const event of missed) {
            lastId = event.id;
            yield tracked(String(event.id), toSessionEvent(event));
          }
          if (missed.length < 500) return;
        }
      }
      // A reply still being written when staff took the conversation over is dropped when its turn is
      // saved (agent); words it streams after the take-over reach no one. NOTIFYs arrive in commit
      // order, so the take-over is seen before any later word.
      let isTakenOver = false;
      if (input.lastEventId) yield* replay();
      for await (const message of live) {
        if (message.kind === 'resync') yield* replay();
        else if (message.kind === 'turn') {
          if (!(isTakenOver && message.event.type === 'text')) yield tracked(String(lastId), { kind: 'turn', event: message.event } as SessionEvent);
        } else if (message.event.id > lastId) {
          if (message.event.type === 'conversation.taken_over') isTakenOver = true;
          if (message.event.type === 'conversation.handed_back') isTakenOver = false;
          lastId = message.event.id;
          yield tracked(String(lastId), toSessionEvent(message.event));
        }
      }
    }),
});

