/**
 * @gomomo/policy — the guardrails in code: a default-deny policy engine with per-tenant versioned
 * rules and kill switches, the closed tool registries, a tamper-evident audit log and PII redaction.
 */
export { PolicyError, policyErrorCodes, policyErrorDescriptions, isPolicyError } from './errors.js';
export type { PolicyErrorCode, PolicyErrorOptions } from './errors.js';

export { actors, channels } from './types.js';
export type { Actor, Channel, Decision, PolicyContext } from './types.js';
export { chatActions, autonomousActions, irreversibleActions, isInFamily } from './actions.js';
export { bookingChangeActions } from './actions.js';
export type { ChatAction, AutonomousAction } from './actions.js';

export { createPolicyEngine } from './engine/policy-engine.js';
export type { EvaluateOptions, PolicyEngine, PolicyEngineOptions } from './engine/policy-engine.js';
export { policyRuleSchema } from './rules/schema.js';
export type { ArgPredicate, FollowUpLimits, PolicyRule, RuleConditions, StoredRule, TimeWindow } from './rules/schema.js';
export type { KillSwitch, PolicySnapshot } from './rules/store.js';

export { defineTool, createToolRegistry } from './tools/registry.js';
export type { ArgIssue, ParseResult, RegistryKind, ToolDefinition, ToolRegistry } from './tools/registry.js';
export { authorizeToolCall, unknownToolAction } from './tools/authorize.js';
export type { Authorizer, ToolAuthorization, ToolCall } from './tools/authorize.js';

export { appendAudit, appendAudits, auditBatchOf } from './audit/append.js';
export { queryAudit } from './audit/query.js';
export type { AuditPage, AuditQuery } from './audit/query.js';
export { verifyAuditChain } from './audit/verify.js';
export { setAuditPseudonymKey, developmentAuditKey, pseudonymOf } from './audit/pseudonym.js';
export type { ChainVerification } from './audit/verify.js';
export type { AppendResult, AuditEntry, AuditEntryInput, AuditOutcome } from './audit/types.js';

export { redact } from './pii/redact.js';
export { redactText } from './pii/redact-text.js';
export type { RedactTextOptions } from './pii/redact-text.js';
export { createRedactingLogger } from './pii/logger.js';
export type { LoggerLike, LogLevel, RedactingLogger } from './pii/logger.js';
