import { ServerError } from '../errors/server-error.js';
import { baseProcedure, t } from '../trpc/init.js';
import { depsOf, type OpaqueDeps } from '../trpc/context.js';
import { csrfHeader } from './cookies.js';
import { findSession, notSignedIn, type StaffRole } from './staff-store.js';
import { csrfTokenOf, isSameToken } from './tokens.js';

/** What every console procedure's `ctx` carries once the session is checked. */
export interface StaffContext {
  tenantId: string;
  staffId: string;
  role: StaffRole;
  staffEmail: string;
  staffName: string;
  /** The session token (for sign-out); never returned to the page. */
  staffToken: string;
}

/**
 * Console procedures called before there is a session (sign-in, accepting an invite): a mutation
 * must still carry the `x-gomomo-csrf` header (any value). A cross-site form cannot set a header,
 * and a cross-site `fetch` with one needs a CORS preflight the console never grants, so a login
 * CSRF is refused too.
 */
export const consolePublicProcedure = baseProcedure.use(
  t.middleware(({ ctx, type, next }) => {
    if (type === 'mutation' && !ctx.csrfToken) throw new ServerError('FORBIDDEN', `Missing ${csrfHeader} header: console changes must come from the console page`);
    return next();
  }),
);

/**
 * Any signed-in staff member (owner or staff). `ctx` gains `{ tenantId, staffId, role }`; every
 * query is scoped to that tenant. Every mutation must send the session's CSRF token (from
 * `console.auth.me`) in `x-gomomo-csrf`; a missing or wrong one answers 403.
 */
export const staffProcedure = baseProcedure.use(
  t.middleware(async ({ ctx, type, next }) => {
    if (!ctx.staffToken) throw notSignedIn();
    const identity = await findSession(depsOf(ctx).pool, ctx.staffToken, depsOf(ctx).clock.now());
    if (!identity) throw notSignedIn();
    if (type === 'mutation' && !(ctx.csrfToken && isSameToken(ctx.csrfToken, csrfTokenOf(ctx.staffToken)))) {
      throw new ServerError('FORBIDDEN', `Missing or wrong ${csrfHeader} header: reload the console and try again`);
    }
    const staff: StaffContext = { tenantId: identity.tenantId, staffId: identity.staffId, role: identity.role, staffEmail: identity.email, staffName: identity.name, staffToken: ctx.staffToken };
    return next({ ctx: { ...ctx, ...staff } });
  }),
);

/** Owner-only actions (settings, staff, keys): a staff-role session answers 403. */
export const ownerProcedure = staffProcedure.use(({ ctx, next }) => {
  if (ctx.role !== 'owner') throw new ServerError('FORBIDDEN', 'Only an owner of this business may do this');
  return next();
});

/** How long a console stream trusts its last session check: turn progress can come many times a second. */
const streamRecheckMs = 1_000;

/**
 * A console stream's messages for as long as the session that opened it stays valid. A
 * subscription's middleware runs once, when it connects, so without this a stream opened before a
 * sign-out, "sign out everywhere" or a disabled account kept hearing the business's bookings and
 * conversations. The session is looked up again before a message when the last check is a second
 * old (the engine's clock); once it has ended the stream ends with UNAUTHORIZED, in the stream.
 */
export async function* whileSignedIn<T>(ctx: { deps: OpaqueDeps; staffToken: string }, messages: AsyncIterable<T>): AsyncGenerator<T> {
  const { pool, clock } = depsOf(ctx);
  let checkedAt = clock.now().getTime();
  for await (const message of messages) {
    const now = clock.now();
    if (now.getTime() - checkedAt >= streamRecheckMs) {
      if (!(await findSession(pool, ctx.staffToken, now))) throw notSignedIn();
      checkedAt = now.getTime();
    }
    yield message;
  }
}
