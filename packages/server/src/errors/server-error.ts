import { errorCodesOf, GomomoError, type ErrorCodeOf } from '@gomomo/contracts';

/** Every error `@gomomo/server` raises itself (the registry's server entries), on top of the codes of the packages it mounts. */
export const serverErrorCodes = errorCodesOf('server');

export type ServerErrorCode = ErrorCodeOf<'server'>;

export interface ServerErrorOptions {
  cause?: unknown;
  /** Seconds until a retry can succeed (sent as `Retry-After`). */
  retryAfter?: number;
}

/** The one error class of `@gomomo/server`: a registered `code` and a message that names no other tenant. */
export class ServerError extends GomomoError<'server'> {
  override readonly name = 'ServerError';
  readonly retryAfter: number | undefined;

  constructor(code: ServerErrorCode, message: string, options: ServerErrorOptions = {}) {
    super({ package: 'server', code }, message, options.cause === undefined ? {} : { cause: options.cause });
    this.retryAfter = options.retryAfter;
  }
}

/** True when `error` is a ServerError, optionally with the given code. */
export function isServerError(error: unknown, code?: ServerErrorCode): error is ServerError {
  return error instanceof ServerError && (code === undefined || error.code === code);
}
