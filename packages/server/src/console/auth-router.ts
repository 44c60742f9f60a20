import { getTenant } from '@gomomo/core';
import { z } from 'zod';
import { adminProcedure } from '../trpc/auth.js';
import { depsOf } from '../trpc/context.js';
import { router } from '../trpc/init.js';
import { consolePublicProcedure, ownerProcedure, staffProcedure } from './auth.js';
import { sessionCookie } from './cookies.js';
import { acceptInvite, inviteStaff } from './invites.js';
import { signIn } from './sign-in.js';
import { createFirstOwner, revokeAllSessions, revokeSession, sessionTtlSeconds } from './staff-store.js';
import { csrfTokenOf } from './tokens.js';

/** NIST SP 800-63B §5.1.1: at least 8 characters, long passphrases allowed; we ask 10. */
export const passwordSchema = z.string().min(10, 'must be at least 10 characters').max(200, 'must be at most 200 characters');
export const staffEmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be an email address' }).max(254));
export const staffNameSchema = z.string().trim().min(1, 'is required').max(200);
export const roleSchema = z.enum(['owner', 'staff']);

function setSession(ctx: { setCookie?: ((cookie: string) => void) | undefined; isSecureCookie?: boolean | undefined }, token: string, maxAgeSeconds: number): void {
  ctx.setCookie?.(sessionCookie({ token, maxAgeSeconds, isSecure: ctx.isSecureCookie ?? true }));
}

/** Staff accounts and sessions: `console.auth.*`. */
export const consoleAuthRouter = router({
  /** The admin secret's one console power: the tenant's first owner. */
  createFirstOwner: adminProcedure
    .input(z.object({ tenantId: z.uuid({ message: 'must be a UUID' }), email: staffEmailSchema, name: staffNameSchema, password: passwordSchema }))
    .mutation(async ({ ctx, input }) => {
      await getTenant(depsOf(ctx).pool, input.tenantId);
      return createFirstOwner(depsOf(ctx).pool, { ...input, now: depsOf(ctx).clock.now() });
    }),
  /** Email + password for one business; sets the session cookie and returns the CSRF token. */
  signIn: consolePublicProcedure
    .input(z.object({ tenant: z.string().trim().min(1, 'is required').max(63), email: staffEmailSchema, password: z.string().min(1, 'is required').max(200) }))
    .mutation(async ({ ctx, input }) => {
      const { token, identity } = await signIn(depsOf(ctx).pool, { ...input, address: ctx.clientAddress, now: depsOf(ctx).clock.now() });
      setSession(ctx, token, sessionTtlSeconds);
      return { staffId: identity.staffId, role: identity.role, csrfToken: csrfTokenOf(token) };
    }),
  /** Sets a password from an emailed invitation and signs in. */
  acceptInvite: consolePublicProcedure
    .input(z.object({ token: z.string().min(10, 'is not an invitation token').max(100), name: staffNameSchema, password: passwordSchema }))
    .mutation(async ({ ctx, input }) => {
      const { token, staff } = await acceptInvite(depsOf(ctx).pool, { ...input, now: depsOf(ctx).clock.now() });
      setSession(ctx, token, sessionTtlSeconds);
      return { staffId: staff.id, role: staff.role, csrfToken: csrfTokenOf(token) };
    }),
  /** Who is signed in, their business, and the CSRF token for this session's mutations. */
  me: staffProcedure.query(async ({ ctx }) => {
    const tenant = await getTenant(depsOf(ctx).pool, ctx.tenantId);
    return {
      staffId: ctx.staffId,
      role: ctx.role,
      email: ctx.staffEmail,
      name: ctx.staffName,
      csrfToken: csrfTokenOf(ctx.staffToken),
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, timeZone: tenant.timeZone },
    };
  }),
  signOut: staffProcedure.mutation(async ({ ctx }) => {
    await revokeSession(depsOf(ctx).pool, { tenantId: ctx.tenantId, token: ctx.staffToken, now: depsOf(ctx).clock.now() });
    setSession(ctx, '', 0);
    return { signedOut: true as const };
  }),
  /** Ends every session of the signed-in account, on every device (this one too). */
  signOutEverywhere: staffProcedure.mutation(async ({ ctx }) => {
    const sessions = await revokeAllSessions(depsOf(ctx).pool, { tenantId: ctx.tenantId, staffId: ctx.staffId, actorStaffId: ctx.staffId, now: depsOf(ctx).clock.now() });
    setSession(ctx, '', 0);
    return { sessions };
  }),
  /** Emails an invitation (through the outbox) to join this business as owner or staff. */
  invite: ownerProcedure.input(z.object({ email: staffEmailSchema, role: roleSchema })).mutation(async ({ ctx, input }) => {
    const tenant = await getTenant(depsOf(ctx).pool, ctx.tenantId);
    return inviteStaff(depsOf(ctx).pool, {
      ...input,
      tenantId: ctx.tenantId,
      invitedBy: ctx.staffId,
      businessName: tenant.name,
      baseUrl: depsOf(ctx).publicBaseUrl ?? 'http://localhost:3000',
      now: depsOf(ctx).clock.now(),
    });
  }),
});
