import { router } from '../trpc/init.js';
import { consoleAuthRouter } from './auth-router.js';
import { consoleAuditRouter } from './audit-router.js';
import { consoleBookingsRouter } from './bookings-router.js';
import { consoleCatalogRouter } from './catalog-router.js';
import { consoleCalendarsRouter } from './calendars-router.js';
import { consoleCustomersRouter } from './customers-router.js';
import { consoleIcsRouter } from './ics-router.js';
import { consoleKillSwitchesRouter } from './kill-switches-router.js';
import { inboxRouter } from './inbox-router.js';
import { consoleMessagesRouter } from './messages-router.js';
import { consoleQuietHoursRouter } from './quiet-hours-router.js';
import { consoleSettingsRouter } from './settings-router.js';

/**
 * The staff console's procedures (`console.*`), all behind a staff session (console/auth.ts) except
 * sign-in, invitations and the first owner. One line per area; an area is one file.
 */
export const consoleRouter = router({
  auth: consoleAuthRouter,
  bookings: consoleBookingsRouter,
  messages: consoleMessagesRouter,
  audit: consoleAuditRouter,
  settings: consoleSettingsRouter,
  killSwitches: consoleKillSwitchesRouter,
  catalog: consoleCatalogRouter,
  quietHours: consoleQuietHoursRouter,
  inbox: inboxRouter,
  calendars: consoleCalendarsRouter,
  ics: consoleIcsRouter,
  customers: consoleCustomersRouter,
});
