import { auditPage } from './audit.js';
import { bookingsPage } from './bookings.js';
import { calendarsPage } from './calendars.js';
import { inboxPage } from './inbox.js';
import { messagesPage } from './messages.js';
import { resourcesPage } from './resources.js';
import { servicesPage } from './services.js';
import type { ConsolePage } from './page.js';
import { settingsPage } from './settings.js';

/** The console's pages in navigation order; the first is the landing page. One line per page. */
export const pages: ConsolePage[] = [
  bookingsPage,
  inboxPage,
  messagesPage,
  auditPage,
  settingsPage,
  servicesPage,
  resourcesPage,
  calendarsPage,
];
