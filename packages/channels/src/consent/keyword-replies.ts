import { toSmsText } from '../sms/format/plain-text.js';

export interface KeywordReplyContext {
  businessName: string;
  /** How to reach a person, from the tenant's settings (`settings.sms.helpContact`), if any. */
  helpContact?: string | undefined;
}

// Wording follows the CTIA Messaging Principles and Best Practices (§5.1–5.2): the opt-out reply
// names the program, confirms no further messages will be sent and how to resubscribe; the HELP
// reply names the business, says what the messages are and how to stop. Each fits one GSM-7 SMS
// for business names of ordinary length.

/** The one reply to STOP and its equivalents. */
export function renderOptOutReply(context: KeywordReplyContext, keyword: string): string {
  // "CANCEL" is on the carriers' list, but a customer texting it may mean an appointment: say how.
  const cancelHint = keyword === 'CANCEL' ? ' To cancel an appointment instead, text START, then "cancel my appointment".' : '';
  return toSmsText(`${context.businessName}: you are unsubscribed and will get no more texts from us. Reply START to resubscribe.${cancelHint}`);
}

/** The reply to START, UNSTOP or (while opted out) YES. */
export function renderOptInReply(context: KeywordReplyContext): string {
  return toSmsText(`${context.businessName}: you are subscribed again to appointment texts. Msg & data rates may apply. Reply HELP for help, STOP to opt out.`);
}

/** The reply to HELP and INFO. */
export function renderHelpReply(context: KeywordReplyContext): string {
  const contact = context.helpContact ? ` Need a person? ${context.helpContact}.` : '';
  return toSmsText(
    `${context.businessName}: automated texts about your appointments (booking, changes, reminders). Text us to book, move or cancel.${contact} Msg & data rates may apply. Reply STOP to opt out.`,
  );
}
