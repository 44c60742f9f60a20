/**
 * Every error `@gomomo/agent` throws on purpose. Expected outcomes of a tool call (a refused
 * guardrail, a taken slot) are values, not errors; these are for callers that misuse the API.
 */
export const agentErrorCodes = [
  'VALIDATION',
  'SESSION_TENANT_MISMATCH',
  'SESSION_CHANNEL_MISMATCH',
  'TENANT_NOT_FOUND',
  'PROVIDER',
] as const;

export type AgentErrorCode = (typeof agentErrorCodes)[number];

/** Human-readable meaning of each code, for the docs and the server's error table. */
export const agentErrorDescriptions: Record<AgentErrorCode, string> = {
  VALIDATION: 'The turn input is malformed; `field` names what is wrong.',
  SESSION_TENANT_MISMATCH: 'The session id belongs to a conversation of another tenant.',
  SESSION_CHANNEL_MISMATCH: 'The session id belongs to a conversation on another channel.',
  TENANT_NOT_FOUND: 'The tenant of the turn does not exist.',
  PROVIDER: 'The language model provider failed; the customer got an apology instead.',
};

export interface AgentErrorOptions {
  field?: string;
  cause?: unknown;
}

/** The one error class of `@gomomo/agent`: a closed `code`, a specific message, the field at fault. */
export class AgentError extends Error {
  override readonly name = 'AgentError';
  readonly code: AgentErrorCode;
  readonly field: string | undefined;

  constructor(code: AgentErrorCode, message: string, options: AgentErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
  }
}

/** True when `error` is an AgentError, optionally with the given code. */
export function isAgentError(error: unknown, code?: AgentErrorCode): error is AgentError {
  return error instanceof AgentError && (code === undefined || error.code === code);
}
