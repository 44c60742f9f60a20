import { adminRouter } from './routers/admin.js';
import { bookingsRouter } from './routers/bookings.js';
import { availabilityRouter, servicesRouter } from './routers/catalog.js';
import { chatRouter } from './routers/chat.js';
import { devicesRouter, widgetRouter } from './routers/devices.js';
import { tenantRouter } from './routers/tenant.js';
import { waitlistRouter } from './routers/waitlist.js';
import { consoleRouter } from './console/router.js';
import { router } from './trpc/init.js';

/** The whole API. Its type is what `@gomomo/client` is typed by. */
export const appRouter = router({
  chat: chatRouter,
  devices: devicesRouter,
  widget: widgetRouter,
  services: servicesRouter,
  availability: availabilityRouter,
  bookings: bookingsRouter,
  waitlist: waitlistRouter,
  tenant: tenantRouter,
  admin: adminRouter,
  console: consoleRouter,
});

export type AppRouter = typeof appRouter;
