export { startMicrosoftConnect, finishMicrosoftConnect } from './connect.js';
export type { MicrosoftConnectOptions } from './connect.js';
export { syncMicrosoftBusy } from './busy-sync.js';
export { writeMicrosoftEvent } from './event-writer.js';
export type { MicrosoftCalendarOptions } from './graph.js';
