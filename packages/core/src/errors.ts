import { errorCodesOf, errorDescriptionsOf, GomomoError, type ErrorCodeOf } from '@gomomo/contracts';

/**
 * Every error the booking engine throws on purpose, from `@gomomo/contracts`' registry (core's
 * entries). The server maps each code to an HTTP/tRPC status through one table keyed by it.
 */
export const bookingErrorCodes = errorCodesOf('core');

export type BookingErrorCode = ErrorCodeOf<'core'>;

/** Human-readable meaning of each code (the registry's), used by the docs and the server's error table test. */
export const bookingErrorDescriptions = errorDescriptionsOf('core');

export interface BookingErrorOptions {
  field?: string;
  cause?: unknown;
  details?: Record<string, unknown>;
}

/** The one error class of `@gomomo/core`: a registered `code`, a specific message, the field at fault. */
export class BookingError extends GomomoError<'core'> {
  override readonly name = 'BookingError';

  constructor(code: BookingErrorCode, message: string, options: BookingErrorOptions = {}) {
    super({ package: 'core', code }, message, options);
  }
}

/** True when `error` is a BookingError, optionally with the given code. */
export function isBookingError(error: unknown, code?: BookingErrorCode): error is BookingError {
  return error instanceof BookingError && (code === undefined || error.code === code);
}
