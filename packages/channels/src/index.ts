/**
 * @gomomo/channels — adapters at the edge. The notification outbox and its sender (claimed with
 * SKIP LOCKED, retried, rate-limited, suppression- and consent-aware), email through Postmark, SMTP
 * or the log transport, SMS through Twilio or the log transport, message templates in English and
 * Spanish, .ics invitations, the delivery webhooks (Postmark bounces and complaints, Twilio
 * status callbacks), and the phone: Twilio voice calls through <Gather> or ConversationRelay.
 */
export { ChannelError, channelErrorCodes, channelErrorDescriptions, isChannelError } from './errors.js';
export type { ChannelErrorCode, ChannelErrorOptions } from './errors.js';

// Explicit on purpose (no `export *`): this list is the package's public surface; `API.md` is its report.
export type { Attachment, Channel, OutboundMessage, SendOptions, SendResult, Transport, Transports } from './transports/types.js';
export { createLogTransport } from './transports/log.js';
export type { LogTransportOptions } from './transports/log.js';
export { createPostmarkTransport } from './email/postmark.js';
export type { PostmarkTransportOptions } from './email/postmark.js';
export { createSmtpTransport } from './email/smtp.js';
export type { SmtpTransportOptions } from './email/smtp.js';
export { createTwilioTransport } from './sms/outbound/twilio.js';
export type { TwilioHttpClient, TwilioTransportOptions } from './sms/outbound/twilio.js';
export { createTransports, deliveryConfigFromEnv, deliveryConfigSchema } from './transports/config.js';
export type { DeliveryConfig } from './transports/config.js';

export { templateNames, locales } from './templates/types.js';
export type { Locale, RenderedEmail, TemplateData, TemplateName } from './templates/types.js';
export { renderEmail } from './templates/email-templates.js';
export { renderSms } from './templates/sms-templates.js';
export { toGsm7 } from './templates/gsm7.js';
export { buildIcs, buildIcsCalendar } from './ics/build-ics.js';
export type { IcsCalendarHeader, IcsEvent } from './ics/build-ics.js';

export type { MessageTopic, NewOutboxMessage, OutboxMessage, OutboxStatus } from './outbox/types.js';
export { enqueueOutboxMessage } from './outbox/enqueue.js';
export { listOutboxMessages } from './outbox/list.js';
export { retryOutboxMessage, retryableStatuses } from './outbox/retry.js';
export { outboxStatuses } from './outbox/types.js';
export { readOutboxHealth } from './outbox/health.js';
export type { OutboxHealth } from './outbox/health.js';
export { createOutboxSender } from './outbox/sender.js';
export type { DrainResult, OutboxSender, OutboxSenderOptions } from './outbox/sender.js';
export type { SmsRateLimit } from './outbox/rate-limit.js';
export { isOptedOut, recordConsent } from './outbox/consent.js';
export type { ConsentInput, ConsentStatus } from './outbox/consent.js';
export { isEmailSuppressed, suppressEmail } from './outbox/suppression.js';
export type { SuppressionReason } from './outbox/suppression.js';
export { normalizeEmail, normalizePhone } from './internal/addresses.js';

export { handlePostmarkWebhook } from './webhooks/postmark-webhook.js';
export type { PostmarkWebhookInput, PostmarkWebhookOptions, PostmarkWebhookResult } from './webhooks/postmark-webhook.js';
export { handleTwilioStatusCallback } from './webhooks/twilio-status.js';
export type { TwilioStatusInput, TwilioStatusOptions, TwilioStatusResult } from './webhooks/twilio-status.js';

export { createInboundSmsHandler } from './sms/inbound/handler.js';
export type {
  DeferredSmsReply,
  InboundSmsHandler,
  InboundSmsHandlerOptions,
  InboundSmsRequest,
  InboundSmsResponse,
  SmsReceptionist,
  SmsReplyMode,
} from './sms/inbound/types.js';
export { addPhoneNumber, listPhoneNumbers, phoneCapabilities } from './sms/inbound/phone-numbers.js';
export type { PhoneCapability, PhoneNumber } from './sms/inbound/phone-numbers.js';
export { publicUrlOf } from './sms/inbound/signature.js';
export { findSmsConversationPhone, smsConversationFor } from './sms/inbound/sms-conversation.js';

export type { ConsentSource, RecordSmsConsentResult, SmsConsentStatus } from './consent/consent-store.js';
export { changeConsent } from './consent/change-consent.js';
export type { ChangeSmsConsentInput, ConsentAudit, ConsentChange, SuppressEmailChange } from './consent/change-consent.js';
export { defaultQuietHours, nextAllowedSendTime, quietHoursSchema, readQuietHours } from './consent/quiet-hours.js';
export type { QuietHours } from './consent/quiet-hours.js';
export type { NextAllowedSendTimeInput } from './consent/quiet-hours.js';
export { recipientTimeZone } from './consent/recipient-zone.js';
export type { RecipientTimeZoneInput } from './consent/recipient-zone.js';
export { smsSendTime } from './consent/send-window.js';
export type { SmsSendTimeInput } from './consent/send-window.js';

export { formatSmsReply } from './sms/format/format-reply.js';
export type { FormatSmsReplyInput } from './sms/format/format-reply.js';

export { createVoiceHandler, voicePaths } from './voice/handler.js';
export type { VoiceHandler } from './voice/handler.js';
export type { VoiceEscalation, VoiceHandlerOptions, VoiceReceptionist, VoiceWebhookRequest, VoiceWebhookResponse } from './voice/types.js';
export type { RelayConnection, RelaySessions, RelaySocket } from './voice/relay.js';
export { formatForEar } from './voice/ear.js';
export { startGoogleConnect, finishGoogleConnect, syncGoogleBusy, isRevokedGrant, writeGoogleEvent, googleEventIdOf, googleScopes } from './calendars/google/index.js';
export type { StartConnectInput, BusySyncOutcome, CalendarEventInput, GoogleCalendarOptions } from './calendars/google/index.js';
export { listStaleConnections, listConnectionStatuses } from './calendars/connections.js';
export type { CalendarConnection, ConnectionStatus } from './calendars/connections.js';
export { disconnectCalendar } from './calendars/disconnect.js';
export type { DisconnectInput, DisconnectOutcome } from './calendars/disconnect.js';
export { startMicrosoftConnect, finishMicrosoftConnect, syncMicrosoftBusy, writeMicrosoftEvent } from './calendars/microsoft/index.js';
export type { MicrosoftCalendarOptions, MicrosoftConnectOptions } from './calendars/microsoft/index.js';
export { createCalendarProvider } from './calendars/provider.js';
export type { CalendarProviderOptions } from './calendars/provider.js';
export { vacateOtherResources } from './calendars/move.js';
export type { VacateDeps } from './calendars/move.js';

// ICS feeds (issue 18 item 4): a resource's bookings as a secret subscription URL, and outside ICS URLs as busy time.
export { createIcsSubscription, listIcsSubscriptions, revokeIcsSubscription, renderIcsSubscription } from './ics/subscription/subscriptions.js';
export type { RenderedIcsFeed } from './ics/subscription/subscriptions.js';
export { addIcsImport, listIcsImports, removeIcsImport, refreshIcsImport, refreshDueIcsImports, icsBusySourceOf } from './ics/import/imports.js';
export type { IcsImport, IcsImportDeps, IcsRefreshOutcome } from './ics/import/imports.js';
export { checkIcsUrl, fetchIcs } from './ics/import/fetch-ics.js';
export type { FetchIcsOptions, FetchIcsResult } from './ics/import/fetch-ics.js';
export { expandIcsBusy } from './ics/import/busy-from-ics.js';
export type { ExpandOptions } from './ics/import/busy-from-ics.js';
