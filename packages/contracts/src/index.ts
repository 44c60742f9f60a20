export { actors, channels } from './receptionist.js';
export type {
  Actor,
  BookingInfo,
  Channel,
  DevicePort,
  DomainSessionEvent,
  HistoryMessage,
  OfferedSlot,
  ReceptionistPort,
  SentTurnResult,
  SessionEvent,
  StaffSessionEvent,
  StartedConversation,
  TurnEvent,
  TurnInput,
  TurnResult,
  TurnStatus,
  VerifiedContact,
} from './receptionist.js';
export {
  bookingReferencePattern,
  bookingReferenceSchema,
  e164Pattern,
  emailMaxLength,
  emailSchema,
  isSessionTokenFormat,
  personNameSchema,
  phoneSchema,
  sessionTokenPattern,
  sessionTokenSchema,
} from './schemas.js';
export { apiErrorPackages, errorCodesOf, errorDescriptionsOf, errorRegistry, isRegisteredCode } from './error-registry.js';
export type { ApiErrorCode, ApiErrorPackage, ErrorCodeOf, ErrorPackage, ErrorRef } from './error-registry.js';
export { GomomoError, isGomomoError } from './gomomo-error.js';
export type { GomomoErrorOptions } from './gomomo-error.js';
