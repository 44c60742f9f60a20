import { errorCodesOf, errorDescriptionsOf, GomomoError, type ErrorCodeOf } from '@gomomo/contracts';

/** The channel error codes (the registry's channels entries). Delivery codes tell the outbox sender what to do next. */
export const channelErrorCodes = errorCodesOf('channels');

export type ChannelErrorCode = ErrorCodeOf<'channels'>;

/** What each code means (the registry's). */
export const channelErrorDescriptions = errorDescriptionsOf('channels');

export interface ChannelErrorOptions {
  field?: string | undefined;
  retryAfterMs?: number | undefined;
  cause?: unknown;
}

/** The one error class of @gomomo/channels. */
export class ChannelError extends GomomoError<'channels'> {
  override readonly name = 'ChannelError';
  readonly retryAfterMs: number | undefined;

  constructor(code: ChannelErrorCode, message: string, options: ChannelErrorOptions = {}) {
    super({ package: 'channels', code }, message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** True when `error` is a ChannelError (optionally of one code). */
export function isChannelError(error: unknown, code?: ChannelErrorCode): error is ChannelError {
  return error instanceof ChannelError && (code === undefined || error.code === code);
}
