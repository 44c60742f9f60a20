/**
 * @gomomo/autonomy — what happens without a user asking. Domain events become jobs on a Postgres
 * queue (graphile-worker) in the event's own transaction; handlers call the closed registry of
 * orchestrator tools, each gated by policy and recorded; messages go through the outbox of
 * @gomomo/channels and are delivered exactly once.
 */
export { AutonomyError, autonomyErrorCodes, autonomyErrorDescriptions } from './errors.js';
export type { AutonomyErrorCode } from './errors.js';
// Explicit and small on purpose: apps start the autonomous side and configure it; the queue, the
// tools and the handlers are its internals (tests import them from their modules).
export { autonomyConfigFromEnv, defaultAutonomyConfig } from './config.js';
export type { AutonomyConfig } from './config.js';
export { startAutonomy } from './start.js';
export type { AutonomyHandle, StartAutonomyOptions } from './start.js';
export type { OfferLinkIssuer } from './tools/context.js';
export type { TaskHooks } from './handlers/tasks.js';
export { databaseCalendarProvider } from './calendar/provider.js';
export type { CalendarAppointment, CalendarProvider, RevokedCalendar } from './calendar/provider.js';
