import { changeDeadlineHoursSchema, listIntakeQuestions, readIntakeAnswers, readTenant, setIntakeQuestions, updateIntakeAnswer, updateService, updateTenantSettings, withTenant } from '@gomomo/core';
import { readQuietHours } from '@gomomo/channels';
import { z } from 'zod';
import { originSchema, readAllowedOrigins, writeAllowedOrigins } from '../keys/origins.js';
import { secretProcedure } from '../trpc/auth.js';
import { router } from '../trpc/init.js';
import { depsOf } from '../trpc/context.js';
import { faqRouter } from './faq.js';
import { serviceSchema } from './schemas.js';

/** The settings a tenant may change with its own secret key. */
export const tenantUpdateSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  lookaheadDays: z.number().int().min(1).max(365).optional(),
  minNoticeMinutes: z.number().int().min(0).max(43_200).optional(),
  holdTtlSeconds: z.number().int().min(30).max(3600).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  allowedOrigins: z.array(originSchema).max(50).optional(),
});

export const tenantRouter = router({
  get: secretProcedure.query(({ ctx }) =>
    withTenant(
      depsOf(ctx).pool,
      ctx.tenantId,
      async (client) => ({ ...(await readTenant(client, ctx.tenantId)), allowedOrigins: await readAllowedOrigins(client, ctx.tenantId) }),
      { isolation: 'read committed' },
    ),
  ),
  update: secretProcedure.input(tenantUpdateSchema).mutation(({ ctx, input }) =>
    withTenant(depsOf(ctx).pool, ctx.tenantId, async (client) => {
      // Checked here, not at send time: a typo in the sending window must be a 400 now, not every
      // reminder failing later (the same check the console's quiet hours use).
      if (input.settings) readQuietHours(input.settings);
      await updateTenantSettings(client, ctx.tenantId, input);
      if (input.allowedOrigins) await writeAllowedOrigins(client, ctx.tenantId, input.allowedOrigins);
      return { ...(await readTenant(client, ctx.tenantId)), allowedOrigins: await readAllowedOrigins(client, ctx.tenantId) };
    }),
  ),
  /** Changes one service's settings: today its change deadline ("no changes within N hours of the start"). */
  updateService: secretProcedure
    .input(z.object({ serviceId: z.uuid({ message: 'must be a UUID' }), changeDeadlineHours: changeDeadlineHoursSchema.optional() }))
    .output(serviceSchema)
    .mutation(({ ctx, input }) => updateService(depsOf(ctx).pool, { tenantId: ctx.tenantId, ...input })),
  /** The business's own answers the receptionist answers from (routers/faq.ts). */
  faq: faqRouter,
  /**
   * Replaces a service's intake questions (issue 20 item 3): short text, choice, yes/no or date,
   * required or optional, the question per language. A bad definition is a 400 naming the field.
   */
  setIntakeQuestions: secretProcedure
    .input(z.object({ serviceId: z.uuid({ message: 'must be a UUID' }), questions: z.array(z.unknown()).max(20) }))
    .mutation(({ ctx, input }) => setIntakeQuestions(depsOf(ctx).pool, { tenantId: ctx.tenantId, serviceId: input.serviceId, questions: input.questions as never })),
  intakeQuestions: secretProcedure
    .input(z.object({ serviceId: z.uuid({ message: 'must be a UUID' }) }))
    .query(({ ctx, input }) => listIntakeQuestions(depsOf(ctx).pool, { tenantId: ctx.tenantId, serviceId: input.serviceId })),
  /** Staff: an appointment's intake answers, every question of its service listed (the console reads this). */
  intakeAnswers: secretProcedure
    .input(z.object({ reference: z.string().trim().min(1).max(20) }))
    .query(({ ctx, input }) => readIntakeAnswers(depsOf(ctx).pool, { tenantId: ctx.tenantId, reference: input.reference })),
  /** Staff: corrects one answer, validated like the customer's. */
  updateIntakeAnswer: secretProcedure
    .input(z.object({ reference: z.string().trim().min(1).max(20), questionKey: z.string().min(1).max(40), answer: z.string().max(1000), by: z.string().trim().min(1).max(100).optional() }))
    .mutation(({ ctx, input }) =>
      updateIntakeAnswer(depsOf(ctx).pool, { tenantId: ctx.tenantId, reference: input.reference, questionKey: input.questionKey, answer: input.answer, by: `staff:${input.by ?? 'secret-key'}`, now: depsOf(ctx).clock.now() }),
    ),
});
