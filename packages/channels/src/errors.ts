/** The closed list of channel error codes. Delivery codes tell the outbox sender what to do next. */
export const channelErrorCodes = [
  'VALIDATION',
  'CONFIGURATION',
  'PERMANENT',
  'TRANSIENT',
  'RATE_LIMITED',
  'SIGNATURE',
  'NOT_FOUND',
] as const;

export type ChannelErrorCode = (typeof channelErrorCodes)[number];

/** What each code means, for docs and for the server's status table. */
export const channelErrorDescriptions: Record<ChannelErrorCode, string> = {
  VALIDATION: 'The input is malformed; `field` names the part.',
  CONFIGURATION: 'A provider is missing settings it needs.',
  PERMANENT: 'The provider refused the message for good (bad address, inactive recipient); do not retry.',
  TRANSIENT: 'The provider failed or timed out; retry later.',
  RATE_LIMITED: 'The provider or our own per-recipient limit asked us to slow down; retry after `retryAfterMs`.',
  SIGNATURE: 'A webhook failed authentication.',
  NOT_FOUND: 'The webhook refers to a message we never sent.',
};

export interface ChannelErrorOptions {
  field?: string | undefined;
  retryAfterMs?: number | undefined;
  cause?: unknown;
}

/** The one error class of @gomomo/channels. */
export class ChannelError extends Error {
  override readonly name = 'ChannelError';
  readonly code: ChannelErrorCode;
  readonly field: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: ChannelErrorCode, message: string, options: ChannelErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** True when `error` is a ChannelError (optionally of one code). */
export function isChannelError(error: unknown, code?: ChannelErrorCode): error is ChannelError {
  return error instanceof ChannelError && (code === undefined || error.code === code);
}
