import { errorCodesOf, errorDescriptionsOf, GomomoError, type ErrorCodeOf } from '@gomomo/contracts';

/**
 * Every error `@gomomo/agent` throws on purpose (the registry's agent entries). Expected outcomes
 * of a tool call (a refused guardrail, a taken slot) are values, not errors; these are for callers
 * that misuse the API. A failing language model is not one: the brains answer with an apology.
 */
export const agentErrorCodes = errorCodesOf('agent');

export type AgentErrorCode = ErrorCodeOf<'agent'>;

/** Human-readable meaning of each code (the registry's). */
export const agentErrorDescriptions = errorDescriptionsOf('agent');

export interface AgentErrorOptions {
  field?: string;
  cause?: unknown;
}

/** The one error class of `@gomomo/agent`: a registered `code`, a specific message, the field at fault. */
export class AgentError extends GomomoError<'agent'> {
  override readonly name = 'AgentError';

  constructor(code: AgentErrorCode, message: string, options: AgentErrorOptions = {}) {
    super({ package: 'agent', code }, message, options);
  }
}

/** True when `error` is an AgentError, optionally with the given code. */
export function isAgentError(error: unknown, code?: AgentErrorCode): error is AgentError {
  return error instanceof AgentError && (code === undefined || error.code === code);
}
