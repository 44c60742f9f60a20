import { randomUUID } from 'node:crypto';
import { listEvents, type DomainEvent } from '@gomomo/core';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { ServerError } from '../errors/server-error.js';
import { publishableProcedure } from '../trpc/auth.js';
import { depsOf, type RequestContext } from '../trpc/context.js';
import { router } from '../trpc/init.js';
import type { Receptionist, TurnEvent } from '../trpc/receptionist.js';
import { sessionIdSchema, turnResultSchema } from './schemas.js';

/** What a session subscriber receives: stored domain events (resumable) and live turn progress. */
export type SessionEvent =
  | { kind: 'domain'; id: number; type: DomainEvent['type']; subjectId: string | null; payload: Record<string, unknown>; occurredAt: string }
  | { kind: 'turn'; event: TurnEvent };

function requireReceptionist(ctx: RequestContext): Receptionist {
  const { receptionist } = depsOf(ctx);
  if (!receptionist) throw new ServerError('UNAVAILABLE', 'This server has no receptionist configured');
  return receptionist;
}

function toSessionEvent(event: DomainEvent): SessionEvent {
  return { kind: 'domain', id: event.id, type: event.type, subjectId: event.subjectId, payload: event.payload, occurredAt: event.occurredAt };
}

export const chatRouter = router({
  /** One customer message → the receptionist's reply. Progress is pushed to `chat.events` as it happens. */
  send: publishableProcedure
    .meta({ openapi: { method: 'POST', path: '/chat/messages', tags: ['chat'], protect: true, summary: 'Sends a customer message and returns the reply' } })
    .input(z.object({ sessionId: sessionIdSchema.optional(), text: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters') }))
    .output(turnResultSchema)
    .mutation(async ({ ctx, input }) => {
      const receptionist = requireReceptionist(ctx);
      const sessionId = input.sessionId ?? randomUUID();
      // Published in order on one chain, and awaited, so subscribers have every event before the reply.
      let publishing = Promise.resolve();
      const result = await receptionist.handleTurn({
        tenantId: ctx.tenantId,
        sessionId,
        channel: 'web',
        text: input.text,
        clientAddress: ctx.clientAddress,
        onEvent: (event) => {
          publishing = publishing.then(() => depsOf(ctx).hub.publishTurnEvent({ tenantId: ctx.tenantId, sessionId, event })).catch(() => undefined);
        },
      });
      await publishing;
      return { reply: result.reply, sessionId: result.sessionId, events: result.events };
    }),
  history: publishableProcedure
    .input(z.object({ sessionId: sessionIdSchema, limit: z.number().int().min(1).max(200).optional() }))
    .query(async ({ ctx, input }) => {
      const messages = await requireReceptionist(ctx).getHistory({ tenantId: ctx.tenantId, sessionId: input.sessionId, ...(input.limit ? { limit: input.limit } : {}) });
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
      z.object({
        sessionId: sessionIdSchema,
        afterId: z.union([z.number().int().min(0), z.string().regex(/^\d{1,15}$/, 'must be an event id')]).nullish(),
        limit: z.number().int().min(1).max(500).optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const afterId = Number(input.afterId ?? 0);
      const stored = await listEvents(depsOf(ctx).pool, { tenantId: ctx.tenantId, sessionId: input.sessionId, afterId, limit: input.limit ?? 100 });
      const events = stored.map(toSessionEvent);
      return { events, lastEventId: String(stored.at(-1)?.id ?? afterId) };
    }),
  /**
   * The session's events over SSE. Every event is `tracked` with the id of the last stored event,
   * so a client that reconnects (to any instance) with `lastEventId` gets what it missed replayed
   * from the table before live events resume.
   */
  events: publishableProcedure
    .input(z.object({ sessionId: sessionIdSchema, lastEventId: z.string().regex(/^\d{1,15}$/).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const { tenantId } = ctx;
      const live = depsOf(ctx).hub.subscribe({ tenantId, sessionId: input.sessionId, ...(signal ? { signal } : {}) });
      let lastId = Number(input.lastEventId ?? 0);
      async function* replay() {
        for (;;) {
          const missed = await listEvents(depsOf(ctx).pool, { tenantId, sessionId: input.sessionId, afterId: lastId, limit: 500 });
          for (const event of missed) {
            lastId = event.id;
            yield tracked(String(event.id), toSessionEvent(event));
          }
          if (missed.length < 500) return;
        }
      }
      if (input.lastEventId) yield* replay();
      for await (const message of live) {
        if (message.kind === 'resync') yield* replay();
        else if (message.kind === 'turn') yield tracked(String(lastId), { kind: 'turn', event: message.event } as SessionEvent);
        else if (message.event.id > lastId) {
          lastId = message.event.id;
          yield tracked(String(lastId), toSessionEvent(message.event));
        }
      }
    }),
});
