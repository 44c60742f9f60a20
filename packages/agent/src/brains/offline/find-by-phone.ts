import type { UpcomingBooking } from '../../system/upcoming-by-phone.js';
import type { Say } from './offer.js';
import type { Ctx } from './state.js';

function useCandidate(ctx: Ctx, booking: UpcomingBooking): void {
  ctx.s.reference = booking.reference;
  ctx.s.byVerifiedPhone = true;
  ctx.s.candidates = undefined;
}

/** How a booking is proven to be the customer's: the verified phone it was picked by, else what they typed. */
export function proofOf(ctx: Ctx): { email: string } | { phone: string | undefined } {
  const { s, turn } = ctx;
  if (s.byVerifiedPhone && turn.verifiedContact?.phone) return { phone: turn.verifiedContact.phone };
  return s.email ? { email: s.email } : { phone: s.phone };
}

/**
 * SMS without a reference: the sender's verified number stands in for it. One upcoming booking is
 * taken (the next step names it for the customer to confirm), several are listed by number, none
 * is said plainly. Null when a booking was chosen and the flow goes on to look it up.
 */
export async function findByVerifiedPhone(ctx: Ctx, verb: 'move' | 'cancel' | 'check'): Promise<Say> {
  const { s, turn } = ctx;
  s.searchedPhone = true;
  const found = await turn.findUpcomingBookings();
  if (found.length === 1) {
    useCandidate(ctx, found[0]!);
    return null;
  }
  if (found.length === 0) {
    s.step = 'reference';
    return "I couldn't find any upcoming appointments booked with this phone number. If you booked with another number or an email address, please give me the booking reference (it looks like GM-7K3Q9) and that email or phone.";
  }
  s.candidates = found;
  s.step = 'choose_booking';
  const list = found.map((b, i) => `${i + 1}. ${b.serviceName} on ${b.label} (${b.reference})`).join('\n');
  return `You have ${found.length} upcoming appointments:\n${list}\nWhich one would you like to ${verb}? Reply with its number.`;
}

/** The customer's answer to the numbered list: a number, or one of the listed references. */
export function chooseCandidate(ctx: Ctx): Say {
  const { s, u } = ctx;
  const candidates = s.candidates ?? [];
  const byReference = u.reference ? candidates.find((b) => b.reference === u.reference) : undefined;
  const chosen = byReference ?? (u.choice !== null ? candidates[u.choice] : undefined);
  if (chosen) {
    useCandidate(ctx, chosen);
    return null;
  }
  if (u.reference) {
    // A reference that is not on this number's list: the ordinary path, proven by what they typed.
    s.candidates = undefined;
    return null;
  }
  return `Please reply with a number from 1 to ${candidates.length}.`;
}
