/**
 * @gomomo/channels — adapters at the edge. The notification outbox and its sender (claimed with
 * SKIP LOCKED, retried, rate-limited, suppression- and consent-aware), email through Postmark, SMTP
 * or the log transport, SMS through Twilio or the log transport, message templates in English and
 * Spanish, .ics invitations, and the delivery webhooks (Postmark bounces and complaints, Twilio
 * status callbacks).
 */
export { ChannelError, channelErrorCodes, channelErrorDescriptions, isChannelError } from './errors.js';
export type { ChannelErrorCode, ChannelErrorOptions } from './errors.js';

export type { Attachment, Channel, OutboundMessage, SendOptions, SendResult, Transport, Transports } from './transports/types.js';
export { createLogTransport } from './transports/log.js';
export type { LogTransportOptions } from './transports/log.js';
export { createPostmarkTransport } from './email/postmark.js';
export type { PostmarkTransportOptions } from './email/postmark.js';
export { createSmtpTransport } from './email/smtp.js';
export type { SmtpTransportOptions } from './email/smtp.js';
export { createTwilioTransport, isTwilioOptOutError } from './sms/outbound/twilio.js';
export type { TwilioHttpClient, TwilioTransportOptions } from './sms/outbound/twilio.js';
export { createTransports, deliveryConfigFromEnv, deliveryConfigSchema } from './transports/config.js';
export type { DeliveryConfig } from './transports/config.js';

export { templateNames, locales } from './templates/types.js';
export type { Locale, RenderedEmail, TemplateData, TemplateName } from './templates/types.js';
export { renderEmail, escapeHtml } from './templates/email-templates.js';
export { renderSms } from './templates/sms-templates.js';
export { isGsm7, toGsm7, countGsm7Septets, measureSms, singleSegmentLimit } from './templates/gsm7.js';
export { formatLongTime, formatShortTime } from './templates/format-time.js';
export { buildIcs } from './ics/build-ics.js';
export type { IcsEvent } from './ics/build-ics.js';

export { outboxStatuses } from './outbox/types.js';
export type { MessageTopic, NewOutboxMessage, OutboxMessage, OutboxStatus } from './outbox/types.js';
export { enqueueOutboxMessage } from './outbox/enqueue.js';
export { listOutboxMessages } from './outbox/list.js';
export { readOutboxHealth } from './outbox/health.js';
export type { OutboxHealth } from './outbox/health.js';
export { createOutboxSender } from './outbox/sender.js';
export type { DrainResult, OutboxSender, OutboxSenderOptions } from './outbox/sender.js';
export { defaultSmsRateLimit } from './outbox/rate-limit.js';
export type { SmsRateLimit } from './outbox/rate-limit.js';
export { isOptedOut, recordConsent } from './outbox/consent.js';
export type { ConsentInput, ConsentStatus } from './outbox/consent.js';
export { isEmailSuppressed, suppressEmail } from './outbox/suppression.js';
export type { SuppressionReason } from './outbox/suppression.js';
export { normalizeEmail, normalizePhone } from './internal/addresses.js';

export { handlePostmarkWebhook, verifyPostmarkAuthorization } from './webhooks/postmark-webhook.js';
export type { PostmarkWebhookInput, PostmarkWebhookOptions, PostmarkWebhookResult } from './webhooks/postmark-webhook.js';
export { handleTwilioStatusCallback } from './webhooks/twilio-status.js';
export type { TwilioStatusInput, TwilioStatusOptions, TwilioStatusResult } from './webhooks/twilio-status.js';
export * from './sms/inbound/index.js';
export * from './consent/index.js';
export * from './sms/format/index.js';
