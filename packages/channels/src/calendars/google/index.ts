export { startGoogleConnect, finishGoogleConnect } from './connect.js';
export type { StartConnectInput } from './connect.js';
export { syncGoogleBusy, isRevokedGrant } from './busy-sync.js';
export type { BusySyncOutcome } from './busy-sync.js';
export { writeGoogleEvent } from './event-writer.js';
export type { CalendarEventInput } from './event-writer.js';
export { googleEventIdOf } from './event-id.js';
export { googleScopes } from './google-api.js';
export type { GoogleCalendarOptions } from './google-api.js';
