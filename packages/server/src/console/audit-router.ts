import { actors, queryAudit, verifyAuditChain } from '@gomomo/policy';
import { z } from 'zod';
import { depsOf } from '../trpc/context.js';
import { router } from '../trpc/init.js';
import { staffProcedure } from './auth.js';
import { addDays, startOfLocalDay } from './zoned-day.js';

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-12-01');

/** The tenant's audit log with filters, and the chain verification (first broken row, if any). */
export const consoleAuditRouter = router({
  list: staffProcedure
    .input(
      z.object({
        actor: z.enum(actors).optional(),
        action: z.string().trim().max(100).optional(),
        tool: z.string().trim().max(100).optional(),
        outcome: z.enum(['allowed', 'denied', 'succeeded', 'failed']).optional(),
        from: dateSchema.optional(),
        to: dateSchema.optional(),
        cursor: z.string().max(40).optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      // "From" and "to" are the business's own calendar days, as staff read the log: a day starts
      // at local midnight, and "to" includes its whole day (the query's end is exclusive).
      const { timeZone } = await depsOf(ctx).engine.getTenant(ctx.tenantId);
      const page = await queryAudit(depsOf(ctx).pool, {
        tenantId: ctx.tenantId,
        ...(input.actor ? { actor: input.actor } : {}),
        ...(input.action ? { action: input.action } : {}),
        ...(input.outcome ? { outcome: input.outcome } : {}),
        ...(input.from ? { from: startOfLocalDay(input.from, timeZone).toISOString() } : {}),
        ...(input.to ? { to: startOfLocalDay(addDays(input.to, 1), timeZone).toISOString() } : {}),
        ...(input.cursor ? { cursor: input.cursor } : {}),
        limit: 100,
      });
      // The policy's query has no tool filter; a page is at most 100 rows, so filter it here.
      const entries = input.tool ? page.entries.filter((entry) => entry.tool === input.tool) : page.entries;
      return {
        entries: entries.map((e) => ({ id: e.id, seq: e.seq, occurredAt: e.occurredAt, actor: e.actor, channel: e.channel, action: e.action, tool: e.tool, outcome: e.outcome, reason: e.reason, subjectId: e.subjectId, details: e.details })),
        nextCursor: page.nextCursor,
      };
    }),
  verify: staffProcedure.query(({ ctx }) => verifyAuditChain(depsOf(ctx).pool, ctx.tenantId)),
});
