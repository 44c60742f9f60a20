/**
 * Every error the booking engine throws on purpose. The server maps each code to an HTTP/tRPC
 * status through one table; keep this list closed and documented.
 */
export const bookingErrorCodes = [
  'VALIDATION',
  'NOT_FOUND',
  'SLOT_UNAVAILABLE',
  'HOLD_EXPIRED',
  'HOLD_NOT_ACTIVE',
  'CONTACT_MISMATCH',
  'ALREADY_CANCELLED',
  'APPOINTMENT_STARTED',
  'CHANGE_DEADLINE_PASSED',
  'BUSY',
  'CONFLICT',
  'DATABASE',
] as const;

export type BookingErrorCode = (typeof bookingErrorCodes)[number];

/** Human-readable meaning of each code, used by the docs and the server's error table test. */
export const bookingErrorDescriptions: Record<BookingErrorCode, string> = {
  VALIDATION: 'The input is malformed; `field` names what is wrong.',
  NOT_FOUND: 'The tenant, service, resource, hold or booking does not exist (for this tenant).',
  SLOT_UNAVAILABLE: 'The requested time is taken, outside opening hours, or otherwise not bookable.',
  HOLD_EXPIRED: 'The hold ran past its time-to-live before it was confirmed.',
  HOLD_NOT_ACTIVE: 'The hold was already confirmed, released or belongs to another session.',
  CONTACT_MISMATCH: 'The email or phone given does not match the booking.',
  ALREADY_CANCELLED: 'The booking was cancelled before this request.',
  APPOINTMENT_STARTED: 'The appointment has started (or is over); it can no longer be cancelled or moved.',
  CHANGE_DEADLINE_PASSED: "The service's change deadline (no cancellations or moves within N hours of the start) has passed.",
  BUSY: 'The database stayed too contended to finish; retrying later is safe.',
  CONFLICT: 'A unique value (such as a slug) is already in use.',
  DATABASE: 'An unexpected database failure; nothing was written.',
};

export interface BookingErrorOptions {
  field?: string;
  cause?: unknown;
  details?: Record<string, unknown>;
}

/** The one error class of `@gomomo/core`: a closed `code`, a specific message, the field at fault. */
export class BookingError extends Error {
  override readonly name = 'BookingError';
  readonly code: BookingErrorCode;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: BookingErrorCode, message: string, options: BookingErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.details = options.details;
  }
}

/** True when `error` is a BookingError, optionally with the given code. */
export function isBookingError(error: unknown, code?: BookingErrorCode): error is BookingError {
  return error instanceof BookingError && (code === undefined || error.code === code);
}
