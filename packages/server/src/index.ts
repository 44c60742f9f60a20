/**
 * @gomomo/server — the hosted receptionist as a fastify plugin: the tRPC router (chat, services,
 * availability, bookings, waitlist, tenant settings, admin), per-tenant API keys, isolation through
 * core's `withTenant`, REST with an OpenAPI 3.1 document, and push over SSE fed by LISTEN/NOTIFY.
 */
export { gomomoPlugin, sendError } from './plugin.js';
export type { GomomoPluginOptions } from './plugin.js';
export { appRouter } from './router.js';
export type { AppRouter } from './router.js';
export type { SessionEvent } from './routers/chat.js';
export type { Receptionist, TurnEvent, TurnResult, TurnStatus, HistoryMessage } from './trpc/receptionist.js';
export type { ServerDeps } from './trpc/context.js';
export { calendarBindingOf, findCalendarOwner } from './console/calendar-session.js';
export type { CalendarOwner } from './console/calendar-session.js';
export type { CalendarConnectOptions, IcsConsoleOptions } from './console/calendar-options.js';
export { icsSchemas, publicIcsImport } from './console/ics-schemas.js';

export { ServerError, isServerError, serverErrorCodes } from './errors/server-error.js';
export type { ServerErrorCode, ServerErrorOptions } from './errors/server-error.js';
export { errorTable, isGomomoErrorCode } from './errors/error-table.js';
export type { ErrorMapping, GomomoErrorCode, TrpcCode } from './errors/error-table.js';
export { toPublicError, errorBody } from './errors/to-public-error.js';
export type { FieldError, PublicError } from './errors/to-public-error.js';

export { createApiKey, listApiKeys, revokeApiKey, verifyApiKey } from './keys/keys.js';
export type { ApiKeyKind, ApiKeySummary, CreatedApiKey, KeyIdentity } from './keys/keys.js';
export { onboardTenant, onboardTenantSchema } from './keys/onboard.js';
export { addAllowedOrigins } from './keys/origins.js';
export type { OnboardTenantInput, OnboardedTenant } from './keys/onboard.js';

export type { EventHub, HubMessage } from './push/event-hub.js';
export type { RateLimitOptions } from './http/rate-limit.js';
export { isWidgetScriptBuilt } from './http/widget-script.js';
export { logSerializers, redactSecrets, redactUrl } from './http/log-redaction.js';
export { gomomoHostOptions } from './http/host-errors.js';
export { registerSecurityHeaders } from './http/security-headers.js';
export type { StreamCapOptions } from './http/stream-cap.js';
export type { TwilioWebhookOptions, PostmarkWebhookOptions } from './webhooks/channel-webhooks.js';
