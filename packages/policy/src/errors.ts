import { errorCodesOf, errorDescriptionsOf, GomomoError, type ErrorCodeOf } from '@gomomo/contracts';

/**
 * Every error @gomomo/policy throws on purpose (the registry's policy entries). Expected outcomes
 * are values, not errors: a denied action is a `Decision` with `allowed: false`, an unknown tool is
 * `{ ok: false, code: 'UNKNOWN_TOOL' }`. These codes are for misuse: bad input, a broken registry
 * definition, a lost update.
 */
export const policyErrorCodes = errorCodesOf('policy');

export type PolicyErrorCode = ErrorCodeOf<'policy'>;

/** Human-readable meaning of each code (the registry's). */
export const policyErrorDescriptions = errorDescriptionsOf('policy');

export interface PolicyErrorOptions {
  field?: string;
  cause?: unknown;
  details?: Record<string, unknown>;
}

/** The one error class of `@gomomo/policy`: a registered `code`, a specific message, the field at fault. */
export class PolicyError extends GomomoError<'policy'> {
  override readonly name = 'PolicyError';

  constructor(code: PolicyErrorCode, message: string, options: PolicyErrorOptions = {}) {
    super({ package: 'policy', code }, message, options);
  }
}

/** True when `error` is a PolicyError, optionally with the given code. */
export function isPolicyError(error: unknown, code?: PolicyErrorCode): error is PolicyError {
  return error instanceof PolicyError && (code === undefined || error.code === code);
}
