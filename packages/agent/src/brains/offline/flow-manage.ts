import { DateTime } from 'luxon';
import { explainNoChange, isChangeRefusal } from './change-rules.js';
import { chooseCandidate, findByVerifiedPhone, proofOf } from './find-by-phone.js';
import { describeSent, readCode, sendCode } from './flow-code.js';
import { findSlots, pickSlot } from './offer.js';
import { readAnswer } from './read-answer.js';
import { hasTime, resetOffer, startFlow, type Ctx } from './state.js';

const codeActions = { move: 'move', cancel: 'cancel', check: 'lookup' } as const;

async function findBooking(ctx: Ctx, verb: 'move' | 'cancel' | 'check'): Promise<string | null> {
  const { s, turn } = ctx;
  if (s.step === 'choose_booking' && s.candidates) {
    const said = chooseCandidate(ctx);
    if (said !== null) return said;
  }
  if (!s.reference && turn.verifiedContact?.phone && !s.searchedPhone) {
    const said = await findByVerifiedPhone(ctx, verb);
    if (said !== null) return said;
  }
  if (!s.reference || !(s.email || s.phone)) {
    s.step = 'reference';
    if (s.reference) return `Thanks. What email address or phone number was booking ${s.reference} made with?`;
    return 'Sure. Please give me your booking reference (it looks like GM-7K3Q9) and the email address or phone number you booked with.';
  }
  if (s.step === 'code') {
    const said = await readCode(ctx);
    if (said !== null) return said;
  }
  // A contact not proven yet, where the tenant asks for a code: the code goes to it first (the
  // tool checks the reference and contact as a lookup would, with the same answers on a mismatch).
  // Finding the booking is a lookup whatever the flow: a tenant may protect either.
  const needsCode = !s.byVerifiedPhone && ((await turn.needsCode?.('lookup', proofOf(ctx))) || (await turn.needsCode?.(codeActions[verb], proofOf(ctx))));
  const result = needsCode ? await sendCode(ctx) : await turn.callTool('lookup_booking', { reference: s.reference, ...proofOf(ctx) });
  if (needsCode && result.ok) return describeSent(ctx, result.data);
  if (result.ok) {
    if (result.data.status === 'cancelled') {
      startFlow(s, 'idle');
      return 'That booking is already cancelled. Would you like to book a new appointment?';
    }
    const d = result.data;
    if (isChangeRefusal(d.changeRefusal)) {
      const reference = s.reference;
      startFlow(s, 'idle');
      return explainNoChange({ tenant: turn.tenant, code: d.changeRefusal, booking: { serviceName: d.serviceName as string, label: d.label as string }, reference, deadlineHours: d.changeDeadlineHours as number });
    }
    s.booking = { serviceId: '', serviceName: d.serviceName as string, label: d.label as string, start: d.start as string };
    s.serviceId = ctx.services.find((service) => service.name === d.serviceName)?.id;
    s.booking.serviceId = s.serviceId ?? '';
    return null;
  }
  if (result.guard === 'mismatch-limit') {
    startFlow(s, 'idle');
    return "For your security I can't look up bookings in this conversation any more. Please contact the business directly.";
  }
  const reference = s.reference;
  // Same answer for a wrong reference and a wrong contact: nothing about the booking leaks.
  s.reference = undefined;
  s.email = undefined;
  s.phone = turn.verifiedContact?.phone ?? turn.offeredContact?.phone;
  s.byVerifiedPhone = undefined;
  s.step = 'reference';
  return `I couldn't find booking ${reference} with those details, so I can't change anything. Please check the reference and the email or phone number you booked with.`;
}

/** "your Consultation on Tue, Mar 10, 9:00 AM (GM-7K3Q9)": the booking a summary is about. */
function describeBooking(ctx: Ctx): string {
  const { s } = ctx;
  const reference = s.pinned?.reference ?? s.reference;
  return `your ${s.booking!.serviceName} on ${s.booking!.label} (${reference})`;
}

/** A no leaves everything as it was, and says so. */
function keepAsIs(ctx: Ctx): string {
  const kept = describeBooking(ctx);
  startFlow(ctx.s, 'idle');
  return `OK — nothing changed: ${kept} stays as it is. Anything else I can help with?`;
}

/** Cancelling: reference and contact → found → "shall I cancel?" (pinned) → yes → cancelled. */
export async function runCancel(ctx: Ctx): Promise<string> {
  const { s, turn } = ctx;
  if (s.step === 'manage_confirm' && s.booking && s.pinned) {
    const answer = readAnswer(ctx);
    if (answer === 'yes') {
      // The yes agrees to the pinned booking, whatever other reference the same reply mentions.
      const { reference, proof } = s.pinned;
      const result = await turn.callTool('cancel_booking', { reference, ...proof });
      const booking = s.booking;
      startFlow(s, 'idle');
      if (result.ok) return `Done: your ${booking.serviceName} on ${booking.label} (${reference}) has been cancelled. Anything else?`;
      if (result.code === 'ALREADY_CANCELLED') return 'That booking was already cancelled.';
      if (isChangeRefusal(result.code)) return explainNoChange({ tenant: turn.tenant, code: result.code, booking, reference, deadlineHours: deadlineOf(ctx, booking) });
      return "Sorry, I couldn't cancel it just now, and the booking is unchanged. Please try again in a moment.";
    }
    if (answer === 'no') return keepAsIs(ctx);
    return `Just to be sure: shall I cancel ${describeBooking(ctx)}? Please answer yes or no — nothing changes until you do.`;
  }
  if (!s.booking) {
    const said = await findBooking(ctx, 'cancel');
    if (said !== null) return said;
  }
  s.step = 'manage_confirm';
  s.pinned = { action: 'cancel', reference: s.reference, proof: proofOf(ctx), start: s.booking!.start, label: s.booking!.label };
  if (s.byVerifiedPhone) return `Your ${s.booking!.serviceName} on ${s.booking!.label} (${s.reference})? Shall I cancel it?`;
  return `I found your ${s.booking!.serviceName} on ${s.booking!.label} (${s.reference}). Shall I cancel it?`;
}

/** "When is my appointment?": reference and contact → found → its time, changing nothing. */
export async function runLookup(ctx: Ctx): Promise<string> {
  const { s } = ctx;
  const said = await findBooking(ctx, 'check');
  if (said !== null) return said;
  const { booking, reference } = s;
  startFlow(s, 'idle');
  return `Your ${booking!.serviceName} is on ${booking!.label} (reference ${reference}). Would you like to reschedule or cancel it, or is there anything else I can help with?`;
}

/** Rescheduling: reference and contact → found → new day → slot → "move it?" → yes → moved. */
export async function runReschedule(ctx: Ctx): Promise<string> {
  const { s, u, time, turn } = ctx;
  if (s.step === 'manage_confirm' && s.booking && s.chosen && s.pinned) {
    const answer = readAnswer(ctx);
    if (answer === 'yes') {
      // The pinned summary's booking and new time, whatever else the same reply mentions.
      const { reference, proof, start } = s.pinned;
      const far = isFar(ctx, start) ? { confirmFarDate: true } : {};
      const result = await turn.callTool('reschedule_booking', { reference, newStart: start, ...proof, ...far });
      const { booking, chosen } = s;
      if (result.ok) {
        startFlow(s, 'idle');
        return `Done: your ${booking.serviceName} has been moved from ${booking.label} to ${result.data.label as string}. Your reference is still ${reference}.`;
      }
      resetOffer(s);
      if (isChangeRefusal(result.code)) {
        startFlow(s, 'idle');
        return explainNoChange({ tenant: turn.tenant, code: result.code, booking, reference, deadlineHours: deadlineOf(ctx, booking) });
      }
      if (result.code === 'SLOT_UNAVAILABLE') return `Sorry, ${chosen.label} was just taken, and your appointment is unchanged. ${(await findSlots(ctx, s.serviceId!)) ?? ''}`.trim();
      return "Sorry, I couldn't move it just now, and your appointment is unchanged. Which time would you like me to try?";
    }
    if (answer === 'no' && !u.wantsOther) return keepAsIs(ctx);
    if (answer === 'unclear' && !u.wantsOther && u.choice === null) {
      return `Just to be sure: shall I move ${describeBooking(ctx)} to ${s.pinned.label}? Please answer yes or no — nothing changes until you do.`;
    }
    s.chosen = undefined;
    s.pinned = undefined;
    if (answer !== 'change') s.step = 'pick';
  }
  const isPickByTime = s.step === 'pick' && !time.date && time.exactMinutes !== undefined;
  if (hasTime(time) && !isPickByTime && s.step !== 'reference' && s.step !== 'choose_booking' && s.step !== 'code') {
    s.when = time;
    resetOffer(s);
  }
  if (!s.booking) {
    const said = await findBooking(ctx, 'move');
    if (said !== null) return said;
    if (hasTime(time) && !s.when) s.when = time;
  }
  if (s.step === 'pick') {
    const picked = pickSlot(ctx);
    if (picked !== 'picked' && picked !== 'none') return picked!;
  }
  if (!s.when && !s.chosen) {
    s.step = 'date';
    if (s.byVerifiedPhone) return `Your ${s.booking!.serviceName} on ${s.booking!.label} (${s.reference})? When would you like to move it to?`;
    return `I found your ${s.booking!.serviceName} on ${s.booking!.label}. When would you like to move it to?`;
  }
  if (!s.chosen) {
    if (s.step === 'pick' && s.offered) return 'Which of the times above suits you? Reply with its number, or ask for another time.';
    const found = await findSlots(ctx, s.serviceId!);
    if (found !== null) return found;
  }
  s.step = 'manage_confirm';
  s.pinned = { action: 'reschedule', reference: s.reference, proof: proofOf(ctx), start: s.chosen!.start, label: s.chosen!.label };
  const move = `Move your ${s.booking!.serviceName} from ${s.booking!.label} to ${s.chosen!.label}?`;
  // One question covers both: the yes to this exact far date is the far-date confirmation.
  if (isFar(ctx, s.chosen!.start)) return `Just to double-check: ${s.chosen!.label} is ${daysAhead(ctx, s.chosen!.start)} days from today. ${move}`;
  return move;
}

function deadlineOf(ctx: Ctx, booking: { serviceId: string }): number | undefined {
  return ctx.services.find((service) => service.id === booking.serviceId)?.changeDeadlineHours;
}

function daysAhead(ctx: Ctx, start: string): number {
  return Math.floor(DateTime.fromISO(start).diff(DateTime.fromJSDate(ctx.turn.now), 'days').days);
}

function isFar(ctx: Ctx, start: string): boolean {
  const limit = ctx.turn.farDateConfirmDays;
  return limit > 0 && daysAhead(ctx, start) > limit;
}
