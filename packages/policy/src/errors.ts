/**
 * Every error @gomomo/policy throws on purpose. Expected outcomes are values, not errors: a denied
 * action is a `Decision` with `allowed: false`, an unknown tool is `{ ok: false, code: 'UNKNOWN_TOOL' }`.
 * These codes are for misuse: bad input, a broken registry definition, a lost update.
 */
export const policyErrorCodes = ['VALIDATION', 'DUPLICATE_TOOL', 'NOT_FOUND', 'VERSION_CONFLICT'] as const;

export type PolicyErrorCode = (typeof policyErrorCodes)[number];

/** Human-readable meaning of each code, used by the docs and the server's error table test. */
export const policyErrorDescriptions: Record<PolicyErrorCode, string> = {
  VALIDATION: 'The input is malformed; `field` names what is wrong.',
  DUPLICATE_TOOL: 'A tool registry was given two tools with the same name.',
  NOT_FOUND: 'The rule (or rule version) does not exist for this tenant.',
  VERSION_CONFLICT: 'The rule changed since the caller read it (optimistic concurrency); re-read and retry.',
};

export interface PolicyErrorOptions {
  field?: string;
  cause?: unknown;
  details?: Record<string, unknown>;
}

/** The one error class of `@gomomo/policy`: a closed `code`, a specific message, the field at fault. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  readonly code: PolicyErrorCode;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: PolicyErrorCode, message: string, options: PolicyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.details = options.details;
  }
}

/** True when `error` is a PolicyError, optionally with the given code. */
export function isPolicyError(error: unknown, code?: PolicyErrorCode): error is PolicyError {
  return error instanceof PolicyError && (code === undefined || error.code === code);
}
