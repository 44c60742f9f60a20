export { mountWidget, type WidgetHandle, type WidgetOptions } from './mount.js';
export { renderSnippet, renderSnippetScript, type SnippetOptions } from './snippet/snippet.js';
export type { WidgetTransport, HistoryEntry, SubscribeHandlers } from './transport/transport.js';
export type { WidgetEvents, WidgetEventName } from './state/emitter.js';
export type { BookingInfo, ChatMessage, Contact, OfferedSlot, PushEvent, TurnEvent, TurnResult, TurnStatus } from './types.js';
export { stringTables, type StringKey, type StringTable } from './i18n/strings.js';
export { buildIcs, type CalendarEvent } from './ics/ics.js';
