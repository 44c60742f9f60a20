import { addPhoneNumber, listPhoneNumbers } from '@gomomo/channels';
import { BookingError, getTenant } from '@gomomo/core';
import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey } from '../keys/keys.js';
import { onboardTenant } from '../keys/onboard.js';
import { adminProcedure } from '../trpc/auth.js';
import { router } from '../trpc/init.js';
import { createdApiKeySchema, phoneNumberSchema, tenantSchema } from './schemas.js';
import { depsOf } from '../trpc/context.js';

const tenantIdSchema = z.uuid({ message: 'must be a UUID' });

/** Operator-only procedures, guarded by ADMIN_SECRET: onboarding and key management. */
export const adminRouter = router({
  /** Onboards a business; the response holds its first keys, shown this once. */
  createTenant: adminProcedure
    .meta({ openapi: { method: 'POST', path: '/admin/tenants', tags: ['admin'], protect: true, summary: 'Onboards a tenant and returns its first keys' } })
    // The full schema is applied inside onboardTenant, so its field errors use core's wording.
    .input(z.looseObject({}))
    .output(z.object({ tenant: tenantSchema, allowedOrigins: z.array(z.string()), keys: z.object({ secret: createdApiKeySchema, publishable: createdApiKeySchema }) }))
    .mutation(({ ctx, input }) => onboardTenant(depsOf(ctx).pool, { data: input, clock: depsOf(ctx).clock })),
  createKey: adminProcedure
    .input(z.object({ tenantId: tenantIdSchema, kind: z.enum(['secret', 'publishable']), name: z.string().max(100).optional() }))
    .mutation(async ({ ctx, input }) => {
      await getTenant(depsOf(ctx).pool, input.tenantId);
      return createApiKey(depsOf(ctx).pool, { ...input, now: depsOf(ctx).clock.now() });
    }),
  listKeys: adminProcedure.input(z.object({ tenantId: tenantIdSchema })).query(({ ctx, input }) => listApiKeys(depsOf(ctx).pool, input.tenantId)),
  revokeKey: adminProcedure.input(z.object({ tenantId: tenantIdSchema, keyId: z.uuid({ message: 'must be a UUID' }) })).mutation(async ({ ctx, input }) => {
    const revoked = await revokeApiKey(depsOf(ctx).pool, { ...input, now: depsOf(ctx).clock.now() });
    if (!revoked) throw new BookingError('NOT_FOUND', `Tenant ${input.tenantId} has no key ${input.keyId}`, { field: 'keyId' });
    // Refused here from the next request on; other instances hear it through `gomomo_keys`.
    depsOf(ctx).keys.forget(input.tenantId);
    return revoked;
  }),
  /** Registers a number on which the tenant receives SMS (→ POST /twilio/sms) and/or calls (→ POST /twilio/voice); default SMS only. */
  addPhoneNumber: adminProcedure
    .input(z.object({ tenantId: tenantIdSchema, number: z.string().max(32), label: z.string().max(200).optional(), capabilities: z.array(z.enum(['sms', 'voice'])).min(1).max(2).optional() }))
    .output(phoneNumberSchema)
    .mutation(async ({ ctx, input }) => {
      await getTenant(depsOf(ctx).pool, input.tenantId);
      return addPhoneNumber(depsOf(ctx).pool, input);
    }),
  /** The tenant's SMS receiving numbers. */
  listPhoneNumbers: adminProcedure
    .input(z.object({ tenantId: tenantIdSchema }))
    .output(z.array(phoneNumberSchema))
    .query(async ({ ctx, input }) => {
      await getTenant(depsOf(ctx).pool, input.tenantId);
      return listPhoneNumbers(depsOf(ctx).pool, input.tenantId);
    }),
});
