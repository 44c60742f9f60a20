/** Every error `@gomomo/server` raises itself, on top of the codes of the packages it mounts. */
export const serverErrorCodes = [
  'UNAUTHORIZED',
  'FORBIDDEN',
  'SESSION_NOT_FOUND',
  'ROUTE_NOT_FOUND',
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'IDEMPOTENCY_MISMATCH',
  'IDEMPOTENCY_IN_PROGRESS',
  'UNAVAILABLE',
  'INTERNAL',
] as const;

export type ServerErrorCode = (typeof serverErrorCodes)[number];

export interface ServerErrorOptions {
  cause?: unknown;
  /** Seconds until a retry can succeed (sent as `Retry-After`). */
  retryAfter?: number;
}

/** The one error class of `@gomomo/server`: a closed `code` and a message that names no other tenant. */
export class ServerError extends Error {
  override readonly name = 'ServerError';
  readonly code: ServerErrorCode;
  readonly retryAfter: number | undefined;

  constructor(code: ServerErrorCode, message: string, options: ServerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryAfter = options.retryAfter;
  }
}

/** True when `error` is a ServerError, optionally with the given code. */
export function isServerError(error: unknown, code?: ServerErrorCode): error is ServerError {
  return error instanceof ServerError && (code === undefined || error.code === code);
}
