import { createHash, timingSafeEqual } from 'node:crypto';
import { ServerError } from '../errors/server-error.js';
import { isApiKeyFormat } from '../keys/keys.js';
import { baseProcedure, t } from './init.js';
import { depsOf } from './context.js';
import { redeemStreamTicket } from '../push/stream-tickets.js';

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Compares through hashes so neither the length nor the content leaks through timing. */
function isSameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

/**
 * Verifies the API key. A publishable key passes only where `allowPublishable` is set, and only
 * from one of its tenant's allowed origins. 401 = we don't know who you are; 403 = we do, and this
 * is outside what the key may do. Messages never mention other tenants.
 */
function requireKey(allowPublishable: boolean) {
  return t.middleware(async ({ ctx, next }) => {
    if (!ctx.credential) throw new ServerError('UNAUTHORIZED', 'Missing API key: send "Authorization: Bearer sk_live_…" (or a pk_live_… key from a web page)');
    const identity = await depsOf(ctx).keys.verify(ctx.credential, depsOf(ctx).clock.now());
    if (!identity) throw new ServerError('UNAUTHORIZED', 'The API key is not valid or has been revoked');
    ctx.onIdentity?.(identity);
    if (identity.kind === 'publishable') {
      if (!allowPublishable) throw new ServerError('FORBIDDEN', 'A publishable key may only chat and read services and availability; use a secret key on your server');
      if (!ctx.origin || !identity.origins.includes(ctx.origin)) {
        throw new ServerError('FORBIDDEN', `The origin ${ctx.origin ?? '(none)'} is not allowed for this publishable key; add it to the tenant's allowed origins`);
      }
    }
    return next({ ctx: { ...ctx, identity, tenantId: identity.tenantId } });
  });
}

/** Chat, services, availability: secret keys, or publishable keys from an allowed origin. */
export const publishableProcedure = baseProcedure.use(requireKey(true));

/** Everything else a tenant does: secret keys only. */
export const secretProcedure = baseProcedure.use(requireKey(false));

/** Tenant onboarding and key management: the ADMIN_SECRET only. */
export const adminProcedure = baseProcedure.use(
  t.middleware(({ ctx, next }) => {
    if (!ctx.credential) throw new ServerError('UNAUTHORIZED', 'Missing admin secret: send "Authorization: Bearer <ADMIN_SECRET>"');
    if (isSameSecret(ctx.credential, depsOf(ctx).adminSecret)) return next();
    if (isApiKeyFormat(ctx.credential)) throw new ServerError('FORBIDDEN', 'API keys cannot onboard tenants or manage keys; use the admin secret');
    throw new ServerError('UNAUTHORIZED', 'The admin secret is not valid');
  }),
);

/**
 * Event streams: a single-use ticket from `chat.streamTicket` (connection param `ticket`), spent
 * here. The ticket names the tenant and the conversation; no key travels in the stream's URL.
 */
export const ticketProcedure = baseProcedure.use(
  t.middleware(async ({ ctx, next }) => {
    if (!ctx.streamTicket) throw new ServerError('UNAUTHORIZED', 'Missing stream ticket: POST chat.streamTicket with your key and session token, then open the stream with connectionParams {"ticket": …}');
    const grant = await redeemStreamTicket(depsOf(ctx).pool, { ticket: ctx.streamTicket, now: depsOf(ctx).clock.now() });
    if (!grant) throw new ServerError('UNAUTHORIZED', 'The stream ticket is not valid, has expired or was already used; get a new one from chat.streamTicket');
    return next({ ctx: { ...ctx, tenantId: grant.tenantId, streamGrant: grant } });
  }),
);
