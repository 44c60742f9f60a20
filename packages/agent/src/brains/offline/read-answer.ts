import { decideConsent } from '../../consent/decide-consent.js';
import { dayOf, minutesOfDay } from '../../format/time.js';
import { hasTime, type Ctx, type PinnedSummary } from './state.js';
import type { TimeRequest } from './understand-time.js';

/** The customer's answer to the pinned summary: agree, decline, unclear, or a different time. */
export type Answer = 'yes' | 'no' | 'unclear' | 'change';

const referencePattern = /\bGM-?[0-9A-Z]{5}\b/gi;

/**
 * Leaves out the sentences about another booking: "Yes please. I also have GM-KSUQC, that one stays
 * as it is." answers the summary with its first sentence only. A reply that names only another
 * booking says nothing about this one (and reads as unclear).
 */
function aboutSummary(text: string, pinned: PinnedSummary): string {
  const own = pinned.reference?.replace(/^GM-?/i, '').toUpperCase();
  const sentences = text.split(/(?<=[.!?;])\s+/);
  const kept = sentences.filter((sentence) => {
    const named = [...sentence.matchAll(referencePattern)].map((m) => m[0].toUpperCase().replace(/^GM-?/, ''));
    return named.every((ref) => ref === own);
  });
  return kept.join(' ');
}

/** Whether what the customer said about time is the summary's own day and time ("yes, 10am is perfect"). */
export function restatesSummary(time: TimeRequest, pinned: PinnedSummary, timeZone: string): boolean {
  if (time.isPast) return false;
  if (time.dateTo !== undefined && time.dateTo !== time.date) return false;
  if (time.date !== undefined && time.date !== dayOf(pinned.start, timeZone)) return false;
  const minutes = minutesOfDay(pinned.start, timeZone);
  if (time.exactMinutes !== undefined && time.exactMinutes !== minutes) return false;
  if (time.afterMinutes !== undefined && minutes < time.afterMinutes) return false;
  if (time.beforeMinutes !== undefined && minutes >= time.beforeMinutes) return false;
  return true;
}

/**
 * Reads a reply to the pinned summary. Consent is decided by decideConsent on the words about this
 * summary; a day or time other than the summary's is a change of mind, never a yes to it.
 */
export function readAnswer(ctx: Ctx): Answer {
  const { s, time, turn } = ctx;
  const pinned = s.pinned;
  if (!pinned) return 'unclear';
  if (hasTime(time) && !restatesSummary(time, pinned, turn.tenant.timeZone)) return 'change';
  const about = aboutSummary(turn.text, pinned);
  if (about.trim() === '') return 'unclear';
  return decideConsent(about, { action: pinned.action === 'book' ? 'confirm' : pinned.action, reference: pinned.reference }).kind;
}
