import { errorRegistry, isRegisteredCode, type ErrorCodeOf, type ErrorPackage, type ErrorRef } from './error-registry.js';

/** What every gomomo error may carry besides its code and message. */
export interface GomomoErrorOptions {
  /** The input field at fault, for validation errors. */
  field?: string | undefined;
  cause?: unknown;
  details?: Record<string, unknown> | undefined;
}

/**
 * The one error factory: every package's error class (core's BookingError, policy's PolicyError,
 * the agent's AgentError, channels' ChannelError, autonomy's AutonomyError, the server's
 * ServerError) extends it with its package, so its `code` is typed by the registry and the
 * `{ package, code }` pair is unique across gomomo.
 */
export class GomomoError<P extends ErrorPackage = ErrorPackage> extends Error {
  /** The package that raised it; with `code`, a key into `errorRegistry`. */
  readonly package: P;
  readonly code: ErrorCodeOf<P>;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(ref: { package: P; code: ErrorCodeOf<P> }, message: string, options: GomomoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.package = ref.package;
    this.code = ref.code;
    this.field = options.field;
    this.details = options.details;
  }
}

/**
 * True when `error` is a registered gomomo error (of `pkg`, when given). Matched by shape, not
 * `instanceof`: the receptionist is injected, and a second copy of a package must still map.
 */
export function isGomomoError<P extends ErrorPackage = ErrorPackage>(error: unknown, pkg?: P): error is GomomoError<P> & ErrorRef {
  if (!(error instanceof Error)) return false;
  const candidate = error as { package?: unknown; code?: unknown };
  if (typeof candidate.package !== 'string' || !Object.hasOwn(errorRegistry, candidate.package)) return false;
  if (pkg !== undefined && candidate.package !== pkg) return false;
  return isRegisteredCode(candidate.package as ErrorPackage, candidate.code);
}
