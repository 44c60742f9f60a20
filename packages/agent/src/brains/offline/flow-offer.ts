import { startFlow, type Ctx } from './state.js';

/**
 * A waitlist offer held for this conversation becomes the booking on the table: the slot is chosen
 * and held, the details are the waitlist entry's, and the step is the summary, so the customer's
 * "YES" to the offer message books it through the same confirm as any booking. A conversation in
 * the middle of holding another slot is not interrupted.
 */
export function presentOffer(ctx: Ctx): void {
  const { s, turn } = ctx;
  const offer = turn.pendingOffer;
  if (!offer || s.holdId === offer.holdId || s.offerHoldId === offer.holdId) return;
  if (s.holdId && s.flow !== 'idle' && s.flow !== 'waitlist') return;
  startFlow(s, 'book');
  s.serviceId = offer.serviceId;
  s.chosen = { start: offer.start, end: offer.end, label: offer.label };
  s.holdId = offer.holdId;
  s.offerHoldId = offer.holdId;
  s.name ??= offer.client.name;
  if (!s.email && !s.phone) {
    s.email = offer.client.email ?? undefined;
    s.phone = offer.client.phone ?? undefined;
  }
  // Opening the link: the booking flow states the summary (and pins it) from what is set here.
  if (offer.isOpening) {
    s.step = 'details';
    return;
  }
  s.step = 'confirm';
  // The offer message is the summary the customer is answering (service, day, time, "reply YES to
  // book"), so it is pinned like one: a yes books exactly this hold, whatever else the reply says.
  s.pinned = { action: 'book', holdId: offer.holdId, start: offer.start, label: offer.label };
}

/** A "no" to a waitlist offer gives the hold back at once, so the next person in line gets the slot. */
export async function declineOffer(ctx: Ctx): Promise<string | null> {
  const { s, u, turn } = ctx;
  if (s.step !== 'confirm' || !s.offerHoldId || s.holdId !== s.offerHoldId || !u.isNo) return null;
  await turn.releaseHolds();
  startFlow(s, 'idle');
  return "No problem, I've let that time go to the next person on the waiting list, and nothing was booked. Is there anything else I can help with?";
}
