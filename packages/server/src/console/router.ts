import { router } from '../trpc/init.js';
import { consoleAuthRouter } from './auth-router.js';
import { inboxRouter } from './inbox-router.js';

/**
 * The staff console's procedures (`console.*`), all behind a staff session (console/auth.ts) except
 * sign-in, invitations and the first owner. One line per area; an area is one file.
 */
export const consoleRouter = router({
  auth: consoleAuthRouter,
  inbox: inboxRouter,
});
