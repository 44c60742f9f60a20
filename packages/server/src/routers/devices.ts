import { emailSchema, phoneSchema, sessionTokenSchema, type DevicePort } from '@gomomo/contracts';
import { BookingError, readTenant, withTenant } from '@gomomo/core';
import { z } from 'zod';
import { ServerError } from '../errors/server-error.js';
import { publishableProcedure, secretProcedure } from '../trpc/auth.js';
import { depsOf, type RequestContext } from '../trpc/context.js';
import { router } from '../trpc/init.js';
import { requireReceptionist, resolveSession, sessionSelector } from './chat-session.js';

/** A device token as the widget keeps it: `gmd_` + 43 base64url characters. It travels in POST bodies only. */
export const deviceTokenSchema = z.string().regex(/^gmd_[A-Za-z0-9_-]{43}$/, 'must be the device token the widget was given');

/** The receptionist's remembered devices, or UNAVAILABLE when it has none. */
export function requireDevices(ctx: RequestContext): DevicePort {
  const { devices } = requireReceptionist(ctx);
  if (!devices) throw new ServerError('UNAVAILABLE', "This server's receptionist cannot remember devices");
  return devices;
}

/** Why a device was not remembered, as the widget's developer reads it. */
const reasonOf = {
  disabled: 'this business does not remember devices',
  'not-proven': "this conversation has not proven the customer's email or phone with a code",
  'already-remembered': 'this conversation already has a remembered device (it was remembered, or opened with one); a new conversation proven by a one-time code can remember another',
} as const;

/**
 * "Remember me on this device" (issue 20 item 2). The widget offers it when `chat.send` answers
 * `device: 'offer'` (the tenant turned it on and a one-time code proved the conversation's contact);
 * the token it gets opens later conversations with that contact proven (`chat.send`'s `deviceToken`).
 */
export const devicesRouter = router({
  /** Issues the device token for the conversation's proven contact, bound to this page's origin. Shown once. */
  remember: publishableProcedure
    .input(z.object({ ...sessionSelector, sessionToken: sessionTokenSchema.optional() }).optional())
    .mutation(async ({ ctx, input = {} }) => {
      const sessionId = await resolveSession(ctx, input);
      if (!ctx.origin) throw new BookingError('VALIDATION', 'origin: a device is remembered from the web page it is on (the request had no Origin header)', { field: 'origin' });
      const result = await requireDevices(ctx).remember({ tenantId: ctx.tenantId, sessionId, origin: ctx.origin });
      if (!result.remembered) {
        const why = reasonOf[result.reason];
        throw new ServerError('FORBIDDEN', `Cannot remember this device: ${why}`);
      }
      return { deviceToken: result.token, expiresAt: result.expiresAt.toISOString() };
    }),
  /** "Forget this device": revokes the token. Answers the same for an unknown one, so it tells nothing. */
  forget: publishableProcedure.input(z.object({ deviceToken: deviceTokenSchema })).mutation(async ({ ctx, input }) => {
    await requireDevices(ctx).forget({ tenantId: ctx.tenantId, token: input.deviceToken });
    return { forgotten: true };
  }),
  /** Staff (secret key): revokes every device remembered for a customer's email or phone. */
  revokeForCustomer: secretProcedure
    .input(
      z
        .object({ email: emailSchema.optional(), phone: phoneSchema.optional() })
        .refine((value) => value.email !== undefined || value.phone !== undefined, { message: 'give the customer\'s email or phone', path: ['email'] }),
    )
    .mutation(async ({ ctx, input }) => ({ revoked: await requireDevices(ctx).revokeForCustomer({ tenantId: ctx.tenantId, ...input }) })),
});

/** The widget's settings from the tenant's `settings.widget` (`{ speech: true }`). */
export function widgetSettingsOf(settings: Record<string, unknown>): { speech: boolean } {
  const widget = (settings.widget ?? {}) as Record<string, unknown>;
  return { speech: widget.speech === true };
}

/** What the widget shows, read with the publishable key: no secrets, the same for every visitor. */
export const widgetRouter = router({
  config: publishableProcedure.input(z.object({}).optional()).query(async ({ ctx }) => {
    const tenant = await withTenant(depsOf(ctx).pool, ctx.tenantId, (client) => readTenant(client, ctx.tenantId), { isolation: 'read committed' });
    return widgetSettingsOf(tenant.settings);
  }),
});
