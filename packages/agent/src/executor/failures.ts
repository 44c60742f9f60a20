import { isBookingError } from '@gomomo/core';
import type { ToolFailure, ToolFailureCode } from '../tools/tool-context.js';

const guidance: Partial<Record<string, { code: ToolFailureCode; message: string }>> = {
  SLOT_UNAVAILABLE: { code: 'SLOT_UNAVAILABLE', message: 'That time is not available (just taken, or outside opening hours). Check availability again and offer other times; never promise this one.' },
  HOLD_EXPIRED: { code: 'HOLD_EXPIRED', message: 'The hold lapsed before it was confirmed. Check availability again and hold a slot anew.' },
  HOLD_NOT_ACTIVE: { code: 'HOLD_EXPIRED', message: 'That hold is no longer active. Check availability again and hold a slot anew.' },
  CONTACT_MISMATCH: { code: 'CONTACT_MISMATCH', message: 'The email or phone does not match that booking, so nothing was shown or changed. Ask the customer to check the reference and the contact details they booked with. Never reveal anything about the booking.' },
  NOT_FOUND: { code: 'NOT_FOUND', message: 'Nothing matches that (the reference, service or slot does not exist here). Ask the customer to check it.' },
  ALREADY_CANCELLED: { code: 'ALREADY_CANCELLED', message: 'That booking was already cancelled.' },
  BUSY: { code: 'BUSY', message: 'The booking system is busy; nothing was changed. Apologise and ask the customer to try again in a moment.' },
};

/** What the receptionist does when a booking may no longer change: explain, and offer what is left. */
const changeRefusalAdvice =
  'Nothing was changed. Explain this rule to the customer in plain words, then offer what they can do instead: keep the booking as it is, or contact the business directly (staff can help with exceptions). Never promise the change.';

/**
 * The tool failure for a booking that may no longer change (it has started, or its service's
 * change deadline has passed): core's specific reason plus what to offer instead.
 */
export function describeChangeRefusal<C extends 'APPOINTMENT_STARTED' | 'CHANGE_DEADLINE_PASSED'>(code: C, reason: string): { code: C; message: string } {
  return { code, message: `${reason}. ${changeRefusalAdvice}` };
}

/**
 * A confirm refused for unanswered required intake questions: core's message names them, and the
 * receptionist is told to ask them, save each answer, and show the summary again before a new yes.
 */
function describeMissingIntake(reason: string): ToolFailure {
  const named = reason.replace(/^Hold \S+: /, '');
  return {
    code: 'INTAKE_INCOMPLETE',
    message: `Nothing was booked: ${named}. Ask the customer these questions one at a time (list_intake gives their kind and choices) and save each answer with answer_intake, then show the summary again and confirm only after their yes.`,
  };
}

/**
 * Turns an engine failure into words the model can explain. Validation errors keep their
 * specifics (which field, what is wrong); anything unexpected becomes a plain "could not" so no
 * stack trace or SQL ever reaches a customer. A tool's descriptor may word its own failures first
 * (the hold tool's quota refusal) and fall back to this.
 */
export function describeFailure(tool: string, error: unknown): ToolFailure {
  if (isBookingError(error)) {
    if (error.code === 'VALIDATION') return { code: 'INVALID_ARGS', message: `${error.message}. Fix the arguments and call ${tool} again.` };
    if (error.code === 'APPOINTMENT_STARTED' || error.code === 'CHANGE_DEADLINE_PASSED') return describeChangeRefusal(error.code, error.message);
    if (error.code === 'INTAKE_INCOMPLETE') return describeMissingIntake(error.message);
    const known = guidance[error.code];
    if (known) return known;
  }
  return { code: 'FAILED', message: `${tool} could not be completed because of an internal problem; nothing was changed. Apologise and offer to try again.` };
}
