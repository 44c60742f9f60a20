import { DateTime } from 'luxon';
import { formatDay } from '../../format/time.js';
import { findSlots, pickSlot, type Say } from './offer.js';
import { runIntake } from './flow-intake.js';
import { answerSameAgain } from './flow-welcome.js';
import { answerOtherStaff, chooseUsualStaff } from './flow-staff.js';
import { runWaitlist } from './flow-waitlist.js';
import { listServiceNames } from './replies.js';
import { hasTime, resetOffer, serviceOf, startFlow, type Ctx } from './state.js';
import type { TimeRequest } from './understand-time.js';
import { readAnswer } from './read-answer.js';
import { readBareName } from './understand.js';

/** A correction keeps what it doesn't change: "actually Monday" keeps "after 3", "at 2pm" keeps the day. */
function mergeWhen(previous: TimeRequest | undefined, next: TimeRequest): TimeRequest {
  if (!previous) return next;
  const hasTimeOfDay = next.exactMinutes !== undefined || next.afterMinutes !== undefined || next.beforeMinutes !== undefined;
  if (next.date && hasTimeOfDay) return next;
  if (next.date) {
    const { exactMinutes, afterMinutes, beforeMinutes } = previous;
    return { ...next, ...(exactMinutes !== undefined ? { exactMinutes } : {}), ...(afterMinutes !== undefined ? { afterMinutes } : {}), ...(beforeMinutes !== undefined ? { beforeMinutes } : {}) };
  }
  return { ...(previous.date ? { date: previous.date } : {}), ...(previous.dateTo ? { dateTo: previous.dateTo } : {}), ...next };
}

function contactLine(ctx: Ctx): string {
  return ctx.s.email ?? ctx.s.phone ?? '';
}

function askDetails(ctx: Ctx, lead: string): string {
  const { s } = ctx;
  ctx.s.step = 'details';
  if (!s.name && !(s.email || s.phone)) return `${lead} To book it, what name and email address or phone number should I use?`;
  if (!s.name) return `${lead} What name should I put the booking under?`;
  return `${lead} What email address or phone number should I use for the booking, ${s.name}?`;
}

/** Takes the chosen slot on hold, after a far date was confirmed. Null when held. */
async function holdChosen(ctx: Ctx): Promise<Say> {
  const { s, turn } = ctx;
  const chosen = s.chosen!;
  const farDays = turn.farDateConfirmDays;
  const days = Math.floor(DateTime.fromISO(chosen.start).diff(DateTime.fromJSDate(turn.now), 'days').days);
  if (farDays > 0 && days > farDays && !s.farConfirmed) {
    s.step = 'far_confirm';
    return `Just to double-check: ${chosen.label} is ${days} days from today. Is that the date you want?`;
  }
  const result = await turn.callTool('hold_slot', { serviceId: s.serviceId, start: chosen.start, ...(s.staff ? { resourceId: s.staff.id } : {}), ...(s.farConfirmed ? { confirmFarDate: true } : {}) });
  if (result.ok) {
    s.holdId = result.data.holdId as string;
    return null;
  }
  if (result.code === 'SLOT_UNAVAILABLE') {
    resetOffer(s);
    const again = await findSlots(ctx, s.serviceId!);
    return `Sorry, ${chosen.label}${s.staff ? ` with ${s.staff.name}` : ''} was just taken by someone else. ${again ?? ''}`.trim();
  }
  if (result.guard === 'far-date') {
    s.step = 'far_confirm';
    return `Just to double-check: is ${chosen.label} the date you want?`;
  }
  resetOffer(s);
  s.step = 'date';
  return "Sorry, I couldn't hold that time. Which other day or time would suit you?";
}

async function confirmBooking(ctx: Ctx): Promise<Say> {
  const { s, turn } = ctx;
  // The yes agrees to the pinned summary's hold, whatever the state learned since.
  const holdId = s.pinned?.holdId ?? s.holdId;
  s.pinned = undefined;
  const result = await turn.callTool('confirm_booking', { holdId, name: s.name, ...(s.email ? { email: s.email } : { phone: s.phone }) });
  if (result.ok) {
    const d = result.data;
    startFlow(s, 'idle');
    return `You're booked: ${d.serviceName as string} with ${d.with as string} on ${d.label as string}. Your reference is ${d.reference as string} — keep it to reschedule or cancel. Anything else I can help with?`;
  }
  if (result.code === 'HOLD_EXPIRED' || result.guard === 'live-hold') {
    s.holdId = undefined;
    const held = await holdChosen(ctx);
    if (held !== null) return `The hold on that time ran out. ${held}`;
    pinBooking(ctx);
    return `The hold on that time ran out, so I took ${s.chosen!.label} again for you. Shall I book it now?`;
  }
  if (result.code === 'INTAKE_INCOMPLETE') {
    // The service's required questions were never asked for this hold (a waitlist offer answered
    // YES by text): ask them now; the summary follows the last answer.
    s.intake = undefined;
    s.step = null;
    return (await runIntake(ctx)) ?? "Sorry, I couldn't complete the booking just now, and nothing was booked. Shall I try again?";
  }
  if (result.code === 'SLOT_UNAVAILABLE') {
    resetOffer(s);
    s.holdId = undefined;
    return `Sorry, that time is no longer available. ${(await findSlots(ctx, s.serviceId!)) ?? ''}`.trim();
  }
  pinBooking(ctx);
  return "Sorry, I couldn't complete the booking just now, and nothing was booked. Shall I try again?";
}

/** Shows the summary's terms to the customer's next reply: this hold, this time. */
function pinBooking(ctx: Ctx): void {
  const { s } = ctx;
  s.step = 'confirm';
  s.pinned = { action: 'book', holdId: s.holdId, start: s.chosen!.start, label: s.chosen!.label };
}

/** The customer's answer to the booking summary; null when it changes the wish and the flow goes on. */
async function answerSummary(ctx: Ctx): Promise<Say> {
  const { s, u, turn } = ctx;
  const answer = readAnswer(ctx);
  if (answer === 'yes') return (await confirmBooking(ctx)) ?? '';
  // Our own hold would make the slot look taken to the next search: give it back first.
  if (answer !== 'unclear' || u.wantsOther) await turn.releaseHolds();
  const label = s.pinned!.label;
  if (answer === 'no' || (answer === 'unclear' && u.wantsOther)) {
    s.holdId = undefined;
    s.chosen = undefined;
    s.pinned = undefined;
    s.step = 'pick';
    const picked = pickSlot({ ...ctx, u: { ...u, isNo: false, wantsOther: true } });
    return `OK — nothing booked: I've let go of ${label}. ${typeof picked === 'string' && picked !== 'picked' && picked !== 'none' ? picked : ''}`.trim();
  }
  if (answer === 'change') {
    s.holdId = undefined;
    s.pinned = undefined;
    return null;
  }
  if (u.service || u.choice !== null) return null;
  return `Just to be sure: shall I book ${serviceOf(ctx)?.name ?? 'your appointment'} on ${label}? Please answer yes or no.`;
}

/** The booking flow: service → day → slot → hold → details → summary → yes → booked. */
export async function runBooking(ctx: Ctx): Promise<string> {
  const note = await chooseBooking(ctx);
  if (note !== null && typeof note === 'object') return note.reply;
  const said = await continueBooking(ctx);
  return note ? `${note} ${said}` : said;
}

/** The wish this message sets (service, staff): a note to lead the reply, or the whole reply. */
async function chooseBooking(ctx: Ctx): Promise<string | null | { reply: string }> {
  const { s, u } = ctx;
  if (u.service && u.service.id !== s.serviceId && s.step !== 'intake') {
    s.serviceId = u.service.id;
    // Another service may not be one the chosen person does.
    s.staff = undefined;
    resetOffer(s);
    s.holdId = undefined;
  }
  if (s.step === 'same_again') answerSameAgain(ctx);
  if (s.step === 'other_staff' && s.staff) {
    const asked = answerOtherStaff(ctx);
    if (asked !== null) return { reply: asked };
  }
  return s.step === 'intake' ? null : chooseUsualStaff(ctx);
}

async function continueBooking(ctx: Ctx): Promise<string> {
  const { s, u, time } = ctx;
  if (s.step === 'confirm' && s.pinned) {
    const said = await answerSummary(ctx);
    if (said !== null) return said;
  }
  const isPickByTime = s.step === 'pick' && !time.date && time.exactMinutes !== undefined;
  // An intake answer (a birth date, "3") is not a new wish for the appointment's time.
  if (hasTime(time) && !isPickByTime && s.step !== 'intake') {
    // A new wish while holding: our own hold must not make the slot look taken.
    if (s.holdId) await ctx.turn.releaseHolds();
    s.when = mergeWhen(s.when, time);
    resetOffer(s);
    s.holdId = undefined;
  }
  if (s.step === 'far_confirm') {
    if (u.isYes) s.farConfirmed = true;
    else if (u.isNo) {
      resetOffer(s);
      s.when = undefined;
      s.step = 'date';
      return 'No problem. Which day would you prefer instead?';
    }
  }
  if (s.step === 'pick') {
    const picked = pickSlot(ctx);
    if (picked !== 'picked' && picked !== 'none') return picked!;
  }
  if (s.step === 'details' && !s.name && !u.name) s.name = readBareName(ctx.turn.text) ?? undefined;
  if (s.step === 'waitlist_offer' && u.isYes) {
    s.flow = 'waitlist';
    s.step = null;
    return runWaitlist(ctx);
  }
  return advance(ctx);
}

async function advance(ctx: Ctx): Promise<string> {
  const { s } = ctx;
  if (!s.serviceId) {
    if (ctx.services.length === 1) s.serviceId = ctx.services[0]!.id;
    else {
      s.step = 'service';
      return `Sure! Which service would you like: ${listServiceNames(ctx.services)}?`;
    }
  }
  if (!s.chosen) {
    if (s.step === 'pick' && s.offered) return 'Which of the times above suits you? Reply with its number, or ask for another time.';
    const found = await findSlots(ctx, s.serviceId!);
    if (found !== null) return found;
  }
  if (!s.holdId) {
    const held = await holdChosen(ctx);
    if (held !== null) return held;
  }
  const service = serviceOf(ctx)?.name ?? 'your appointment';
  if (!s.name || !(s.email || s.phone)) return askDetails(ctx, `I'm holding ${s.chosen!.label} for ${service} for you for a few minutes.`);
  const asked = await runIntake(ctx);
  if (asked !== null) return asked;
  pinBooking(ctx);
  return `To confirm: ${service}${s.staff ? ` with ${s.staff.name}` : ''} on ${s.chosen!.label} for ${s.name} (${contactLine(ctx)}). Shall I book it?`;
}

export function describeDay(ctx: Ctx): string {
  return ctx.s.when?.date ? formatDay(ctx.s.when.date, ctx.turn.tenant.timeZone) : 'that day';
}
