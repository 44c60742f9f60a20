import { createFaqEntry, deleteFaqEntry, faqEntryInputSchema, listFaqEntries, updateFaqEntry } from '@gomomo/agent';
import { BookingError } from '@gomomo/core';
import { z } from 'zod';
import { secretProcedure } from '../trpc/auth.js';
import { depsOf } from '../trpc/context.js';
import { router } from '../trpc/init.js';

const idSchema = z.object({ id: z.uuid({ message: 'must be a UUID' }) });

function notFound(id: string): BookingError {
  // Another tenant's entry is as unknown as a made-up id: nothing tells them apart.
  return new BookingError('NOT_FOUND', `This business has no answer ${id}`, { field: 'id' });
}

/**
 * The business's own answers (issue 20, item 4), managed with the tenant's secret key: the
 * questions customers ask and the answers in the business's words, which the receptionist answers
 * from (`answer_question`) and nothing else. The agent validates and names the field at fault.
 */
export const faqRouter = router({
  list: secretProcedure.query(({ ctx }) => listFaqEntries(depsOf(ctx).pool, ctx.tenantId)),
  create: secretProcedure.input(faqEntryInputSchema).mutation(({ ctx, input }) => createFaqEntry(depsOf(ctx).pool, { tenantId: ctx.tenantId, now: depsOf(ctx).clock.now(), ...input })),
  update: secretProcedure.input(idSchema.extend(faqEntryInputSchema.shape)).mutation(async ({ ctx, input }) => {
    const updated = await updateFaqEntry(depsOf(ctx).pool, { tenantId: ctx.tenantId, now: depsOf(ctx).clock.now(), ...input });
    if (!updated) throw notFound(input.id);
    return updated;
  }),
  delete: secretProcedure.input(idSchema).mutation(async ({ ctx, input }) => {
    if (!(await deleteFaqEntry(depsOf(ctx).pool, { tenantId: ctx.tenantId, id: input.id }))) throw notFound(input.id);
    return { deleted: true };
  }),
});
