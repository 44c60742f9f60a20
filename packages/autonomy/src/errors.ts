/** The closed list of autonomy error codes. */
export const autonomyErrorCodes = ['VALIDATION', 'CONFIGURATION', 'NOT_FOUND', 'TIMEOUT', 'UNKNOWN_TOOL', 'CALENDAR'] as const;
export type AutonomyErrorCode = (typeof autonomyErrorCodes)[number];

export const autonomyErrorDescriptions: Record<AutonomyErrorCode, string> = {
  VALIDATION: 'A job payload or setting is malformed; `field` names it.',
  CONFIGURATION: 'The worker is missing something it needs to start.',
  NOT_FOUND: 'A job refers to a row that no longer exists.',
  TIMEOUT: 'A job ran past its time limit; it will be retried.',
  UNKNOWN_TOOL: 'A tool outside the closed orchestrator registry was asked for.',
  CALENDAR: 'The calendar provider failed to sync an appointment.',
};

/** The one error class of @gomomo/autonomy. */
export class AutonomyError extends Error {
  override readonly name = 'AutonomyError';
  readonly code: AutonomyErrorCode;
  readonly field: string | undefined;

  constructor(code: AutonomyErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
  }
}
