import { errorCodesOf, errorDescriptionsOf, GomomoError, type ErrorCodeOf } from '@gomomo/contracts';

/** The autonomy error codes (the registry's autonomy entries). */
export const autonomyErrorCodes = errorCodesOf('autonomy');
export type AutonomyErrorCode = ErrorCodeOf<'autonomy'>;

/** What each code means (the registry's). */
export const autonomyErrorDescriptions = errorDescriptionsOf('autonomy');

/** The one error class of @gomomo/autonomy. */
export class AutonomyError extends GomomoError<'autonomy'> {
  override readonly name = 'AutonomyError';

  constructor(code: AutonomyErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super({ package: 'autonomy', code }, message, options);
  }
}
