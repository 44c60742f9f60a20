/**
 * @gomomo/agent — the receptionist a customer talks to: eight chat tools, one guarded tool
 * executor, conversations stored in Postgres, and two brains behind one interface (any
 * OpenAI-compatible model, or the built-in offline one).
 */
export { createReceptionist } from './receptionist.js';
export type { OpenedOffer, OpenOfferInput, Receptionist, ReceptionistConfig, ReceptionistOptions } from './receptionist.js';
export { isSessionTokenFormat } from './conversations/session-tokens.js';
export { issueOfferLink, isOfferTokenFormat } from './conversations/offer-links.js';
export { issueHandoffLink } from './conversations/handoff-link.js';
export type { FoundConversation, StartedConversation } from './conversations/session-tokens.js';
export { createStaffDesk } from './handoff/staff-desk.js';
export type { ConversationDetail, ConversationSummary, StaffActor, StaffDesk, StaffReplyDelivery, TranscriptMessage } from './handoff/staff-desk.js';
export type { HandoffReason } from './handoff/mark-needs-staff.js';
export { escalateToStaff, escalateToStaffIn } from './handoff/escalate-to-staff.js';
export type { StaffEscalation } from './handoff/escalate-to-staff.js';
export { detectPersonRequest } from './handoff/asks-for-person.js';
export { handoffStates } from './conversations/store.js';
export type { Handoff } from './conversations/store.js';
export { defaultCodeLimits } from './identity/codes.js';
export type { CodeLimits, CodeMessage, CodeSender } from './identity/codes.js';
export { defaultIdentityCodes } from './identity/requirement.js';
export type { CodeAction, IdentityCodeSettings } from './identity/requirement.js';
export { defaultHoldQuota } from './tools/hold-quota.js';
export type { HoldQuotaSettings } from './tools/hold-quota.js';

export { createOfflineBrain } from './brains/offline/offline-brain.js';
export { createOpenAIBrain } from './providers/openai-brain.js';
export type { OpenAIBrainOptions } from './providers/openai-brain.js';
export type { Brain, BrainReply, BrainTurn, OpeningHours } from './brains/types.js';
export type { UpcomingBooking } from './system/upcoming-by-phone.js';
export type { ReturningCustomer } from './customers/returning.js';
export { systemPrompt } from './prompts/system-prompt.js';

export { AgentError, agentErrorCodes, agentErrorDescriptions, isAgentError } from './errors.js';
export type { AgentErrorCode, AgentErrorOptions } from './errors.js';

export { chatToolNames, chatToolSpecs, chatToolArgs, toFunctionDefinitions } from './tools/definitions.js';
export type { ChatToolName, ChatToolArgs, ChatToolSpec } from './tools/definitions.js';
export { toolFailureCodes } from './executor/types.js';
export type { GuardName, ToolFailureCode, ToolResult, ToolTiming } from './executor/types.js';

export type {
  ChatChannel,
  ConversationMessage,
  OfferedSlot,
  ToolCallRecord,
  TurnEvent,
  TurnInput,
  TurnResult,
  TurnStatus,
  VerifiedContact,
} from './types.js';

export { createFaqEntry, deleteFaqEntry, faqEntryInputSchema, listFaqEntries, maxFaqEntries, updateFaqEntry } from './faq/store.js';
export type { FaqEntry, FaqEntryInput } from './faq/store.js';
