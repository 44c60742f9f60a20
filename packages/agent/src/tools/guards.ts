// The guardrails in code that the tools share; each tool names its own in its descriptor
// (tools/<tool>.ts, `guardrail`). Consent to an irreversible action is not checked here: the
// policy gate's customer-confirmed check (policy/gate.ts, isConfirmedTurn) is the one place, and
// it runs first, reading the tool's `reversibility`.
import { DateTime } from 'luxon';
import { decideConsent, type ConsentAction } from '../consent/decide-consent.js';
import type { Refusal } from './descriptor.js';
import type { GuardName, ToolContext } from './tool-context.js';

/** Availability is searched in windows of at most this many days (the engine's own bound too). */
export const maxRangeDays = 14;

const refuse = (guard: GuardName, message: string): Refusal => ({ guard, message });

/** The dates asked for are real, not past, in order and at most `maxRangeDays` long. */
export function checkRange(args: { from: string; to?: string | undefined }, context: ToolContext): Refusal | null {
  const { scope, deps } = context;
  const zone = scope.tenant.timeZone;
  const today = DateTime.fromJSDate(deps.clock.now(), { zone }).startOf('day');
  const from = DateTime.fromISO(args.from, { zone });
  const to = DateTime.fromISO(args.to ?? args.from, { zone });
  if (!from.isValid || !to.isValid) return refuse('range', 'from and to must be real calendar dates like 2026-12-01.');
  if (from < today) return refuse('range', `${args.from} is in the past (today is ${today.toISODate()} in ${zone}). Ask the customer for a day from today on.`);
  if (to < from) return refuse('range', 'to is before from. Ask the customer which days they mean.');
  if (to.diff(from, 'days').days + 1 > maxRangeDays) {
    return refuse('range', `That is more than ${maxRangeDays} days. Ask the customer to narrow it down to a specific day or a window of up to two weeks.`);
  }
  return null;
}

/**
 * A start more than `farDateConfirmDays` ahead needs `confirmFarDate`, which counts only when the
 * customer's own message this turn is a yes: holding a slot and moving a booking alike.
 */
export function checkFarDate(args: { start: string; confirmFarDate?: boolean | undefined }, context: ToolContext & { tool: string; consent: ConsentAction }): Refusal | null {
  const { scope, deps, tool, consent } = context;
  if (deps.farDateConfirmDays <= 0) return null;
  const start = DateTime.fromISO(args.start, { setZone: true });
  const days = Math.floor(start.diff(DateTime.fromJSDate(deps.clock.now()), 'days').days);
  if (days <= deps.farDateConfirmDays) return null;
  const label = start.setZone(scope.tenant.timeZone).toFormat('cccc, LLLL d, yyyy');
  if (!args.confirmFarDate) {
    return refuse('far-date', `${label} is ${days} days ahead (more than ${deps.farDateConfirmDays}). Ask the customer to confirm that exact date; only after they say yes, call ${tool} again with confirmFarDate: true.`);
  }
  if (decideConsent(scope.userText, { action: consent }).kind !== 'yes') {
    return refuse('far-date', `confirmFarDate is only accepted right after the customer said yes to ${label}. Ask them to confirm the date first.`);
  }
  return null;
}

// The conversation's holds were read when the turn opened and follow this turn's own hold calls
// (see ToolScope.holds), so this guard costs no round trip. The engine checks the hold again.
export function checkLiveHold(args: { holdId: string }, context: ToolContext): Refusal | null {
  const { scope, deps } = context;
  const hold = scope.holds.find((h) => h.id === args.holdId);
  // The same message whether the hold is someone else's, used up or unknown: no probing other sessions.
  if (!hold) return refuse('live-hold', 'There is no active hold with that id in this conversation (it was booked, released, or never existed). Hold a slot with hold_slot first.');
  if (hold.expiresAt.getTime() <= deps.clock.now().getTime()) return refuse('live-hold', 'That hold has expired. Check availability again and hold a new slot.');
  return null;
}

/** A booking or waitlist entry needs a way to reach the customer. */
export function checkContact(args: { name?: string; email?: string | undefined; phone?: string | undefined }): Refusal | null {
  if (args.email || args.phone) return null;
  return refuse('contact-required', "An email address or a phone number is required. Ask the customer for one (and their name if you don't have it).");
}

// The limit on failed lookups is not here: it counts across conversations, in Postgres, so the
// executor checks it (lookup-attempts.ts) right before the engine is asked.
/** Finding or changing a booking needs the contact it was made with. */
export function checkVerification(args: { email?: string | undefined; phone?: string | undefined }): Refusal | null {
  if (args.email || args.phone) return null;
  return refuse('verification-required', 'To find or change a booking you need its reference and the email or phone number it was made with. Ask the customer for both.');
}

