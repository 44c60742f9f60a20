export { createInboundSmsHandler } from './handler.js';
export type {
  DeferredSmsReply,
  InboundSmsHandler,
  InboundSmsHandlerOptions,
  InboundSmsRequest,
  InboundSmsResponse,
  SmsReceptionist,
  SmsReplyMode,
} from './types.js';
export { addPhoneNumber, listPhoneNumbers, findTenantByNumber, listUnroutedSms } from './phone-numbers.js';
export type { PhoneNumber } from './phone-numbers.js';
export { isTwilioSignatureValid, publicUrlOf } from './signature.js';
export { parseInboundSms } from './parse-webhook.js';
export type { InboundSms } from './parse-webhook.js';
export { queueDeferredReply, fallbackReply, mediaOnlyReply } from './conversation.js';
export { smsConversationFor } from './sms-conversation.js';
